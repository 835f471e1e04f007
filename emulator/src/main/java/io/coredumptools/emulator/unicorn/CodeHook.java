package io.coredumptools.emulator.unicorn;

/** Called before each instruction in the hooked range executes. */
@FunctionalInterface
public interface CodeHook {
    void onInstruction(Unicorn unicorn, long address, int size);
}
