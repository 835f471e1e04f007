package io.coredumptools.rsp.target;

import java.util.List;

/** What the user should know about the core and its files before trusting an answer, one line each. */
public interface WarningsTarget {
    /** Missing files, build-id mismatches, truncation...: each line without a trailing newline. */
    List<String> problems();

    /**
     * Whether every file served is the very file at the path the process had (so a client on this machine may
     * read them itself: gdb's {@code set sysroot /} then loads their auto-load scripts, the pretty printers).
     */
    boolean filesAreAtTheirRecordedPaths();

    /**
     * What is wrong with the file whose mapping holds {@code address} when the bytes there come from that file (the
     * core does not hold them): missing, or of another build, so code that stopped there ran, or faulted, on bytes
     * that are not the process's. Empty when nothing is.
     */
    java.util.Optional<String> problemAt(long address);
}
