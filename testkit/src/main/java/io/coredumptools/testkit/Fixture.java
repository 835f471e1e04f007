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

    /** The very DEMO_NO_PIE executable (ET_EXEC) with a core written by gdb's gcore. */
    DEMO_NO_PIE_GCORE(
            "demo.c",
            List.of("-g", "-O1", "-pthread", "-fno-pie", "-no-pie"),
            List.of("-lm"),
            CoreMaker.GDB_GCORE,
            DEMO_NO_PIE,
            List::of),

    /** The very DEMO_STATIC executable with a core written by gdb's gcore. */
    DEMO_STATIC_GCORE(
            "demo.c",
            List.of("-g", "-O1", "-pthread", "-static"),
            List.of("-lm"),
            CoreMaker.GDB_GCORE,
            DEMO_STATIC,
            List::of),

    /** The very DEMO_LAZY executable (cbrt's PLT slot unresolved) with a core written by gdb's gcore. */
    DEMO_LAZY_GCORE(
            "demo.c",
            List.of("-g", "-O1", "-pthread", "-fPIE", "-pie", "-Wl,-z,lazy"),
            List.of("-lm"),
            CoreMaker.GDB_GCORE,
            DEMO_LAZY,
            List::of),

    /**
     * signatures.c with its second unit signatures_unit2.c: functions of many C signatures for the DWARF
     * reader's tests, gcc 12's default DWARF 5, optimised so that gcc splits a function (f_split.cold).
     */
    SIGNATURES(
            "signatures.c",
            List.of("signatures_unit2.c"),
            List.of("-g", "-O2"),
            List.of(),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /** The same program with DWARF 4, as C89 with GNU extensions (the old-style definitions' home). */
    SIGNATURES_DWARF4(
            "signatures.c",
            List.of("signatures_unit2.c"),
            List.of("-gdwarf-4", "-std=gnu89", "-O2"),
            List.of(),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /** The same program with zlib-compressed debug sections (SHF_COMPRESSED). */
    SIGNATURES_COMPRESSED(
            "signatures.c",
            List.of("signatures_unit2.c"),
            List.of("-g", "-O2", "-gz=zlib"),
            List.of(),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /** strings.cc: libstdc++'s std::string and std::vector in globals, for gdb's pretty printers (C++, PIE). */
    CXX_STRINGS(
            "strings.cc",
            List.of("-g", "-O1", "-fPIE", "-pie"),
            List.of("-lstdc++"),
            CoreMaker.KERNEL_CRASH,
            null,
            List::of),

    /** sysv_calls.c: callers and callees passing and returning values of many types, for the ABI tests. */
    SYSV_CALLS("sysv_calls.c", List.of("-g", "-O1"), List.of(), CoreMaker.KERNEL_CRASH, null, List::of),

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

    /**
     * stops.c: loops for the instruction budget and Ctrl-C, a global to watch inside a call; aborts. Its {@code
     * STOPS_SIG*} siblings run the same executable to another signal (see stops.c).
     */
    STOPS("stops.c", List.of("-g", "-O0", "-fPIE", "-pie"), List.of(), CoreMaker.KERNEL_CRASH, null, List::of),

    /** stops.c killed by SIGBUS (a read past the end of a mapped file); kernel core. */
    STOPS_SIGBUS(STOPS, CoreMaker.KERNEL_CRASH, CoreSignal.SIGBUS, "SIGBUS"),
    /** stops.c killed by SIGILL (ud2); kernel core. */
    STOPS_SIGILL(STOPS, CoreMaker.KERNEL_CRASH, CoreSignal.SIGILL, "SIGILL"),
    /** stops.c killed by SIGSYS (a system call its seccomp filter traps); kernel core. */
    STOPS_SIGSYS(STOPS, CoreMaker.KERNEL_CRASH, CoreSignal.SIGSYS, "SIGSYS"),
    /** stops.c stopped by SIGSTOP under gdb; gdb's gcore (SIGSTOP makes no kernel core). */
    STOPS_SIGSTOP(STOPS, CoreMaker.GDB_GCORE, CoreSignal.SIGSTOP, "SIGSTOP"),
    /** stops.c stopped by SIGUSR1 under gdb; gdb's gcore (SIGUSR1 makes no kernel core). */
    STOPS_SIGUSR1(STOPS, CoreMaker.GDB_GCORE, CoreSignal.SIGUSR1, "SIGUSR1"),
    /** stops.c stopped by the real-time signal SIGRTMIN+2 under gdb; gdb's gcore. */
    STOPS_SIGRT(STOPS, CoreMaker.GDB_GCORE, CoreSignal.SIGRTMIN_PLUS_2, "SIGRT"),

    /** noheap.c: a process that never allocated and never wrote to stdout before it aborted. */
    NOHEAP("noheap.c", List.of("-g", "-O1", "-fPIE", "-pie"), List.of(), CoreMaker.KERNEL_CRASH, null, List::of),

    /** The very NOHEAP executable with a core written by gdb's gcore. */
    NOHEAP_GCORE("noheap.c", List.of("-g", "-O1", "-fPIE", "-pie"), List.of(), CoreMaker.GDB_GCORE, NOHEAP, List::of),

    // ---- gdb's own inferior-call test programs (gdb/testsuite/gdb.base, unchanged), stopped where the .exp
    // stops them; compiled "-g -O0" as the testsuite does. Each has a kernel core (SIGABRT delivered at the stop
    // point) and a gcore core of the very same executable at the same point. ----

    /** callfuncs.c as callfuncs.exp builds it first: -DPROTOTYPES (and -DTEST_COMPLEX, supported here). */
    CALLFUNCS(
            "callfuncs.c",
            List.of("-g", "-O0", "-DPROTOTYPES", "-DTEST_COMPLEX"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.CALLFUNCS),
    CALLFUNCS_GCORE(
            "callfuncs.c",
            List.of("-g", "-O0", "-DPROTOTYPES", "-DTEST_COMPLEX"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            CALLFUNCS,
            List::of,
            GdbStops.CALLFUNCS),
    /** callfuncs.c as callfuncs.exp builds it second ("noproto"): K&R definitions, no prototypes in DWARF. */
    CALLFUNCS_NOPROTO(
            "callfuncs.c",
            List.of("-g", "-O0", "-DNO_PROTOTYPES", "-DTEST_COMPLEX"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.CALLFUNCS),
    CALLFUNCS_NOPROTO_GCORE(
            "callfuncs.c",
            List.of("-g", "-O0", "-DNO_PROTOTYPES", "-DTEST_COMPLEX"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            CALLFUNCS_NOPROTO,
            List::of,
            GdbStops.CALLFUNCS),
    /**
     * call-strs.c, stopped before main's first call: stdout never used and no heap yet, so a call's printf
     * initialises stdio and gdb's string literals need the process's first malloc.
     */
    CALL_STRS(
            "call-strs.c",
            List.of("-g", "-O0"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.CALL_STRS),
    CALL_STRS_GCORE(
            "call-strs.c",
            List.of("-g", "-O0"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            CALL_STRS,
            List::of,
            GdbStops.CALL_STRS),
    // ---- for the call-model and resource tests of issue 8; each aborts by itself, as demo.c does ----

    /** callmodel.c: make_str, a struct passed and returned by value, holding a string a call made. */
    CALL_MODEL("callmodel.c", List.of("-g", "-O1", "-fPIE", "-pie"), List.of(), CoreMaker.KERNEL_CRASH, null, List::of),

    /** The very CALL_MODEL executable with a core written by gdb's gcore. */
    CALL_MODEL_GCORE(
            "callmodel.c", List.of("-g", "-O1", "-fPIE", "-pie"), List.of(), CoreMaker.GDB_GCORE, CALL_MODEL, List::of),

    /** quiet.c: never touched stdout before its abort (stdio's stdout unused in the core). */
    QUIET_STDOUT("quiet.c", List.of("-g", "-O1"), List.of(), CoreMaker.KERNEL_CRASH, null, List::of),

    /** floats.c with debug info: parameter types from DWARF. */
    FLOATS("floats.c", List.of("-g", "-O1"), List.of(), CoreMaker.KERNEL_CRASH, null, List::of),

    /** The very FLOATS executable with a core written by gdb's gcore. */
    FLOATS_GCORE("floats.c", List.of("-g", "-O1"), List.of(), CoreMaker.GDB_GCORE, FLOATS, List::of),

    /** floats.c without debug info: only ELF symbols, no parameter types. */
    FLOATS_NO_DEBUG_INFO("floats.c", List.of("-O1"), List.of(), CoreMaker.KERNEL_CRASH, null, List::of),

    /**
     * structs.c as structs.exp builds it, one program per configuration of field types ({@code -DtA=tc -DtB=td}
     * gives {@code struct structN {char a; double b; double c...}}): the configurations the differential test runs.
     * The first ({tc}) stops at the "chartest-done" line as structs.exp does for its first build, the others at
     * main.
     */
    STRUCTS_TC(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS_FIRST),
    STRUCTS_TC_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TC,
            List::of,
            GdbStops.STRUCTS_FIRST),
    STRUCTS_TS(
            "structs.c",
            List.of("-g", "-O0", "-DtA=ts"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TS_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=ts"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TS,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TLL(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tll"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TLL_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tll"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TLL,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TF(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tf"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TF_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tf"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TF,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TD(
            "structs.c",
            List.of("-g", "-O0", "-DtA=td"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TD_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=td"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TD,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TLD(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tld"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TLD_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tld"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TLD,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TI(
            "structs.c",
            List.of("-g", "-O0", "-DtA=ti"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TI_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=ti"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TI,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TL(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tl"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TL_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tl"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TL,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TS_TC(
            "structs.c",
            List.of("-g", "-O0", "-DtA=ts", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TS_TC_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=ts", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TS_TC,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TI_TC(
            "structs.c",
            List.of("-g", "-O0", "-DtA=ti", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TI_TC_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=ti", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TI_TC,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TL_TC(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tl", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TL_TC_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tl", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TL_TC,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TLL_TC(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tll", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TLL_TC_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tll", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TLL_TC,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TF_TC(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tf", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TF_TC_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tf", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TF_TC,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TD_TC(
            "structs.c",
            List.of("-g", "-O0", "-DtA=td", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TD_TC_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=td", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TD_TC,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TLD_TC(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tld", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TLD_TC_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tld", "-DtB=tc"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TLD_TC,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TS(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=ts"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TS_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=ts"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TC_TS,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TI(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=ti"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TI_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=ti"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TC_TI,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TL(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=tl"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TL_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=tl"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TC_TL,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TLL(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=tll"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TLL_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=tll"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TC_TLL,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TF(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=tf"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TF_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=tf"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TC_TF,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TLD(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=tld"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TLD_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=tld"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TC_TLD,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TD_TF(
            "structs.c",
            List.of("-g", "-O0", "-DtA=td", "-DtB=tf"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TD_TF_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=td", "-DtB=tf"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TD_TF,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TD(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=td"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TC_TD_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tc", "-DtB=td"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TC_TD,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TF_TD(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tf", "-DtB=td"),
            List.of(),
            CoreMaker.GDB_SIGNAL_AT_STOP,
            null,
            List::of,
            GdbStops.STRUCTS),
    STRUCTS_TF_TD_GCORE(
            "structs.c",
            List.of("-g", "-O0", "-DtA=tf", "-DtB=td"),
            List.of(),
            CoreMaker.GDB_GCORE_AT_STOP,
            STRUCTS_TF_TD,
            List::of,
            GdbStops.STRUCTS);

    private final String sourceFile;
    private final List<String> gccFlags;
    private final List<String> gccLibraries;
    private final CoreMaker coreMaker;
    private final Fixture programSharedWith;
    private final Supplier<List<String>> programArguments;
    private final List<String> stopCommands;
    private final List<String> companionSourceFiles;
    private final CoreSignal coreSignal;

    Fixture(
            String sourceFile,
            List<String> gccFlags,
            List<String> gccLibraries,
            CoreMaker coreMaker,
            Fixture programSharedWith,
            Supplier<List<String>> programArguments) {
        this(sourceFile, gccFlags, gccLibraries, coreMaker, programSharedWith, programArguments, List.of());
    }

    Fixture(
            String sourceFile,
            List<String> gccFlags,
            List<String> gccLibraries,
            CoreMaker coreMaker,
            Fixture programSharedWith,
            Supplier<List<String>> programArguments,
            List<String> stopCommands) {
        this(
                sourceFile,
                List.of(),
                gccFlags,
                gccLibraries,
                coreMaker,
                programSharedWith,
                programArguments,
                stopCommands);
    }

    /** A sibling of {@link #STOPS} ({@code stops}): its executable, run with {@code argument}, cored at {@code signal}. */
    Fixture(Fixture stops, CoreMaker coreMaker, CoreSignal signal, String argument) {
        this(
                "stops.c",
                List.of(),
                List.of("-g", "-O0", "-fPIE", "-pie"),
                List.of(),
                coreMaker,
                stops,
                () -> List.of(argument),
                List.of(),
                signal);
    }

    /** @param companionSourceFiles more C files under {@code fixtures/}, compiled as further units of the program */
    Fixture(
            String sourceFile,
            List<String> companionSourceFiles,
            List<String> gccFlags,
            List<String> gccLibraries,
            CoreMaker coreMaker,
            Fixture programSharedWith,
            Supplier<List<String>> programArguments) {
        this(
                sourceFile,
                companionSourceFiles,
                gccFlags,
                gccLibraries,
                coreMaker,
                programSharedWith,
                programArguments,
                List.of());
    }

    private Fixture(
            String sourceFile,
            List<String> companionSourceFiles,
            List<String> gccFlags,
            List<String> gccLibraries,
            CoreMaker coreMaker,
            Fixture programSharedWith,
            Supplier<List<String>> programArguments,
            List<String> stopCommands) {
        this(
                sourceFile,
                companionSourceFiles,
                gccFlags,
                gccLibraries,
                coreMaker,
                programSharedWith,
                programArguments,
                stopCommands,
                CoreSignal.SIGABRT);
    }

    private Fixture(
            String sourceFile,
            List<String> companionSourceFiles,
            List<String> gccFlags,
            List<String> gccLibraries,
            CoreMaker coreMaker,
            Fixture programSharedWith,
            Supplier<List<String>> programArguments,
            List<String> stopCommands,
            CoreSignal coreSignal) {
        this.coreSignal = coreSignal;
        this.companionSourceFiles = List.copyOf(companionSourceFiles);
        this.sourceFile = sourceFile;
        this.gccFlags = gccFlags;
        this.gccLibraries = gccLibraries;
        this.coreMaker = coreMaker;
        this.programSharedWith = programSharedWith;
        this.programArguments = programArguments;
        this.stopCommands = List.copyOf(stopCommands);
    }

    /** File name of the C source, e.g. {@code demo.c}. */
    public String sourceFile() {
        return sourceFile;
    }

    /** Name of the built executable: the source name without {@code .c}. */
    public String programName() {
        return sourceFile.substring(0, sourceFile.length() - ".c".length());
    }

    /** Further C files of the program (other compile units), compiled after {@link #sourceFile()}. */
    public List<String> companionSourceFiles() {
        return companionSourceFiles;
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

    /** The signal the core is taken at: SIGABRT but for the {@code STOPS_SIG*} fixtures. */
    public CoreSignal coreSignal() {
        return coreSignal;
    }

    /** The fixture whose executable this one copies instead of compiling its own, if any. */
    public Optional<Fixture> programSharedWith() {
        return Optional.ofNullable(programSharedWith);
    }

    /** Command-line arguments for the program; read when the fixture is built (BIGMEM reads a property). */
    public List<String> programArguments() {
        return List.copyOf(programArguments.get());
    }

    /**
     * The gdb commands that run the program to the point where its core is taken (for
     * {@link CoreMaker#GDB_SIGNAL_AT_STOP} and {@link CoreMaker#GDB_GCORE_AT_STOP}), e.g. {@code break main},
     * {@code run}, {@code next}; a test takes its ground truth on the live process after the same commands. Empty
     * for the programs that abort by themselves.
     */
    public List<String> stopCommands() {
        return stopCommands;
    }

    /** Where gdb's test programs are stopped: as their .exp files do before the calls. */
    private static final class GdbStops {
        /**
         * First of every stop: the program gets the same small environment in every run (the core-making ones and
         * a test's live ground truth), so its stack, and every address on it, is the same in the core and live
         * (gdb turns ASLR off for the programs it runs).
         */
        private static final String FIXED_ENVIRONMENT = "set exec-wrapper env -i LC_ALL=C";

        /** callfuncs.exp: runto_main, then "next" twice, to the line {@code t_structs_c(struct_val1);}. */
        static final List<String> CALLFUNCS = List.of(FIXED_ENVIRONMENT, "break main", "run", "next", "next");
        /** call-strs.exp: runto_main, "step", "next", to the line {@code str_func("abcd", ...);}. */
        static final List<String> CALL_STRS = List.of(FIXED_ENVIRONMENT, "break main", "run", "step", "next");
        /** structs.exp's first build: runto_main, then to the line marked "chartest-done" (line 318). */
        static final List<String> STRUCTS_FIRST =
                List.of(FIXED_ENVIRONMENT, "break main", "run", "break structs.c:318", "continue");
        /** structs.exp's other builds: runto_main. */
        static final List<String> STRUCTS = List.of(FIXED_ENVIRONMENT, "break main", "run");

        private GdbStops() {}
    }
}
