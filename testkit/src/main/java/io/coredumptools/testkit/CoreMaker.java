package io.coredumptools.testkit;

/** How a fixture's core is produced. */
public enum CoreMaker {
    /**
     * The program crashes by itself (abort) and the kernel writes the core, as in the field. Falls back to
     * {@link #GDB_GCORE} when the kernel pipes cores to a handler (core_pattern starting with '|').
     */
    KERNEL_CRASH,
    /** gdb runs the program to its SIGABRT and writes the core there with {@code gcore}. */
    GDB_GCORE
}
