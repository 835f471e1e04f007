package io.coredumptools.emulator.debug;

/** A data watchpoint: stop after an access of the given kind to [address, address+length). */
public record Watchpoint(long address, int length, Kind kind) {
    public enum Kind {
        WRITE,
        READ,
        ACCESS
    }

    /** Whether [accessAddress, accessAddress+accessSize) overlaps the watched bytes (without wrapping at 2^64). */
    public boolean covers(long accessAddress, int accessSize) {
        return Long.compareUnsigned(accessAddress - address, length) < 0
                || Long.compareUnsigned(address - accessAddress, accessSize) < 0;
    }
}
