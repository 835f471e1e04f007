package io.coredumptools.testkit;

/** How a fixture's core is produced. */
public enum CoreMaker {
    /**
     * The program crashes by itself (abort) and the kernel writes the core, as in the field. Falls back to
     * {@link #GDB_GCORE} when the kernel pipes cores to a handler (core_pattern starting with '|').
     */
    KERNEL_CRASH,
    /** gdb runs the program to its SIGABRT and writes the core there with {@code gcore}. */
    GDB_GCORE,
    /**
     * gdb runs the program to the fixture's stop point ({@link Fixture#stopCommands()}, e.g. a breakpoint) and
     * delivers SIGABRT there ({@code signal SIGABRT}); the kernel writes the core, so it records the state at that
     * point. For programs that do not crash by themselves, such as gdb's own test programs. Falls back to
     * {@link #GDB_GCORE_AT_STOP} when the kernel pipes cores to a handler.
     */
    GDB_SIGNAL_AT_STOP,
    /** gdb runs the program to the fixture's stop point and writes the core there with {@code gcore}. */
    GDB_GCORE_AT_STOP
}
