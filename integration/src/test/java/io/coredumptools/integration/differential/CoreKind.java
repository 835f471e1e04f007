package io.coredumptools.integration.differential;

/** The two ways a core of a program stopped at a point is made, both at that same point. */
enum CoreKind {
    /** The kernel wrote it: SIGABRT delivered at the stop point. */
    KERNEL("kernel"),
    /** gdb's gcore wrote it at the stop point: unmodified file-backed segments are left out. */
    GCORE("gcore");

    final String label;

    CoreKind(String label) {
        this.label = label;
    }
}
