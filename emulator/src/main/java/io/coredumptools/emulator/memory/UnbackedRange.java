package io.coredumptools.emulator.memory;

/**
 * Process memory the image cannot supply, left unmapped in unicorn so that an access faults, and kept
 * so the fault can be explained.
 *
 * @param origin       the recorded file path for MISSING_FILE and BEYOND_FILE_END, the core path otherwise
 * @param segmentStart for TRUNCATED_CORE: the start of the PT_LOAD segment the core cut (else 0)
 * @param segmentEnd   for TRUNCATED_CORE: its end
 * @param cutOffset    for TRUNCATED_CORE: the file offset where the core ends inside that segment's data
 */
public record UnbackedRange(
        long start,
        long end,
        String perms,
        Reason reason,
        String origin,
        long segmentStart,
        long segmentEnd,
        long cutOffset) {

    public UnbackedRange(long start, long end, String perms, Reason reason, String origin) {
        this(start, end, perms, reason, origin, 0, 0, 0);
    }

    public enum Reason {
        /** File-backed memory not in the core whose file was not found on this machine. */
        MISSING_FILE,
        /** Bytes the core's headers promise but the (truncated) core file does not hold. */
        TRUNCATED_CORE,
        /** Read-only file-backed memory past the end of the file found here: a different file. */
        BEYOND_FILE_END,
        /** Not dumped (coredump_filter, VM_DONTDUMP, [vvar]) and not file-backed. */
        NOT_DUMPED,
        /** Unicorn refused to map the range (e.g. [vsyscall]). */
        UNMAPPABLE
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    /** Why an access at {@code address} (inside this range) cannot be served, and what to do about it. */
    public String explain(long address) {
        String at = "0x" + Long.toHexString(address) + " lies in ";
        String range = "[0x" + Long.toHexString(start) + "-0x" + Long.toHexString(end) + ")";
        return switch (reason) {
            case MISSING_FILE ->
                at + origin + " " + range + " which is MISSING on this machine: pass --sysroot or --map";
            case TRUNCATED_CORE ->
                at + range + " which is cut off in the truncated core " + origin + ": its segment [0x"
                        + Long.toHexString(segmentStart) + "-0x" + Long.toHexString(segmentEnd)
                        + ") has data in the core only up to file offset 0x" + Long.toHexString(cutOffset)
                        + ", where the file ends; the bytes are unknown (writes there go to fresh zeroed pages)."
                        + " Get the complete core (check ulimit -c and disk space where it was written)";
            case BEYOND_FILE_END ->
                at + origin + " " + range + " beyond the end of that file on this machine: it is not "
                        + "the file the process mapped; pass --sysroot or --map to the right one";
            case NOT_DUMPED ->
                at + range + " (" + perms + ") which the kernel did not dump and no file backs "
                        + "(coredump_filter or a VM_DONTDUMP mapping); its contents are unknown";
            case UNMAPPABLE -> at + range + " (" + origin + ") which the emulator cannot map";
        };
    }
}
