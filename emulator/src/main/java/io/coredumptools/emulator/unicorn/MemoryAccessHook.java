package io.coredumptools.emulator.unicorn;

/** Called on a valid data read or write in the hooked range (before a read, after a write's value is known). */
@FunctionalInterface
public interface MemoryAccessHook {
    void onAccess(Unicorn unicorn, MemoryAccessType type, long address, int size, long value);
}
