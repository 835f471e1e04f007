package io.coredumptools.emulator.unicorn;

/** Called on a CPU interrupt or exception (int3 is 3, int 0x80 is 0x80...). */
@FunctionalInterface
public interface InterruptHook {
    void onInterrupt(Unicorn unicorn, int interruptNumber);
}
