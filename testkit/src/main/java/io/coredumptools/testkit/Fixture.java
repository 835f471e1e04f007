package io.coredumptools.testkit;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The C fixture programs, each a source file under {@code fixtures/} in this module's resources, the gcc
 * flags to build it and how its core is made. Built on first use by {@link Fixtures#get}.
 */
public enum Fixture {
    /** demo.c as a position-independent executable; the usual subject. */
    DEMO_PIE(
            "demo.c",
            List.of("-g", "-O1", "-pthread", "-fPIE", "-pie"),
            List.of("-lm"),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /** demo.c at fixed addresses (ET_EXEC). */
    DEMO_NO_PIE(
            "demo.c",
            List.of("-g", "-O1", "-pthread", "-fno-pie", "-no-pie"),
            List.of("-lm"),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /** demo.c statically linked: no dynamic loader, no link_map, libc inside the executable. */
    DEMO_STATIC(
            "demo.c",
            List.of("-g", "-O1", "-pthread", "-static"),
            List.of("-lm"),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /**
     * demo.c, PIE, explicitly lazily bound: no BIND_NOW, so the PLT slot of cbrt (never called before the
     * crash) is still unresolved in the core.
     */
    DEMO_LAZY(
            "demo.c",
            List.of("-g", "-O1", "-pthread", "-fPIE", "-pie", "-Wl,-z,lazy"),
            List.of("-lm"),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /** The very DEMO_PIE executable (same bytes, same build-id), with a core written by gdb's gcore. */
    DEMO_GCORE(
            "demo.c",
            List.of("-g", "-O1", "-pthread", "-fPIE", "-pie"),
            List.of("-lm"),
            CoreMaker.GDB_GCORE,
            DEMO_PIE,
            List::of),

    /**
     * bigmem.c: a core of {@code bigmem.mib} MiB (system property, default 2048) of touched heap, for
     * benchmarks. Slow and large: not for ordinary tests.
     */
    BIGMEM(
            "bigmem.c",
            List.of("-g", "-O1"),
            List.of(),
            CoreMaker.KERNEL_CRASH,
            null,
            () -> List.of(System.getProperty("bigmem.mib", "2048"))),

    /**
     * faults.c: functions that fault when called (NULL read, write to .rodata, bad jump, SIGFPE, ud2, abort),
     * a line left unflushed in stdout's buffer at the crash, and a worker thread that never allocated.
     */
    FAULTS(
            "faults.c",
            List.of("-g", "-O0", "-pthread", "-fPIE", "-pie"),
            List.of(),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /** faults.c's very executable with a core written by gdb's gcore (unmodified file-backed data left out). */
    FAULTS_GCORE(
            "faults.c",
            List.of("-g", "-O0", "-pthread", "-fPIE", "-pie"),
            List.of(),
            CoreMaker.GDB_GCORE,
            FAULTS,
            List::of),

    /** noheap.c: a process that never allocated and never wrote to stdout before it aborted. */
    NOHEAP("noheap.c", List.of("-g", "-O1", "-fPIE", "-pie"), List.of(), CoreMaker.KERNEL_CRASH, null, List::of);

    private final String sourceFile;
    private final List<String> gccFlags;
    private final List<String> gccLibraries;
    private final CoreMaker coreMaker;
    private final Fixture programSharedWith;
    private final Supplier<List<String>> programArguments;

    Fixture(
            String sourceFile,
            List<String> gccFlags,
            List<String> gccLibraries,
            CoreMaker coreMaker,
            Fixture programSharedWith,
            Supplier<List<String>> programArguments) {
        this.sourceFile = sourceFile;
        this.gccFlags = gccFlags;
        this.gccLibraries = gccLibraries;
        this.coreMaker = coreMaker;
        this.programSharedWith = programSharedWith;
        this.programArguments = programArguments;
    }

    /** File name of the C source, e.g. {@code demo.c}. */
    public String sourceFile() {
        return sourceFile;
    }

    /** Name of the built executable: the source name without {@code .c}. */
    public String programName() {
        return sourceFile.substring(0, sourceFile.length() - ".c".length());
    }

    /** gcc options that go before the source file. */
    public List<String> gccFlags() {
        return gccFlags;
    }

    /** Libraries that go after the source file, where the linker needs them. */
    public List<String> gccLibraries() {
        return gccLibraries;
    }

    public CoreMaker coreMaker() {
        return coreMaker;
    }

    /** The fixture whose executable this one copies instead of compiling its own, if any. */
    public Optional<Fixture> programSharedWith() {
        return Optional.ofNullable(programSharedWith);
    }

    /** Command-line arguments for the program; read when the fixture is built (BIGMEM reads a property). */
    public List<String> programArguments() {
        return List.copyOf(programArguments.get());
    }
}
