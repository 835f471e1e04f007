package io.coredumptools.emulator;

/**
 * One frame of a fault's backtrace.
 *
 * @param pc       the program counter (frame 0) or return address (outer frames)
 * @param location the symbolized address, e.g. {@code greet+0x12 (demo+0x1189)}
 */
public record StackFrame(int index, long pc, String location) {
    @Override
    public String toString() {
        return "#" + index + "  0x" + Long.toHexString(pc) + " in " + location;
    }
}
