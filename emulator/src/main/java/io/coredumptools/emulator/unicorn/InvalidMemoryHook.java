package io.coredumptools.emulator.unicorn;

/** Called on an access to unmapped memory or one its protection forbids. */
@FunctionalInterface
public interface InvalidMemoryHook {
    /**
     * @return true when the hook made the access valid (mapped the page) and emulation should retry it;
     *         false to stop emulation with the matching UC_ERR_* error
     */
    boolean onInvalidAccess(Unicorn unicorn, MemoryAccessType type, long address, int size, long value);
}
