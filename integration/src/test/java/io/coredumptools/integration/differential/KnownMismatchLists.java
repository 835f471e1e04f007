package io.coredumptools.integration.differential;

import java.util.Map;

/**
 * The known mismatches of gdb's test programs (what fails today on main), one place, each with the defect
 * observed. A fix makes entries fail as "NOW EQUAL": delete them then.
 */
final class KnownMismatchLists {
    private KnownMismatchLists() {}

    static final String NO_HEAP_LITERAL = "issue 8: no heap yet at the stop point: the memory malloc gives gdb for a"
            + " string literal cannot be written ('Cannot access memory at address 0x6000008012a0')";

    /** callfuncs.exp with -DPROTOTYPES: every call agrees on both kinds of core today. */
    static final KnownMismatches CALLFUNCS = KnownMismatches.none();

    /** callfuncs.exp with -DNO_PROTOTYPES ("noproto"): the same. */
    static final KnownMismatches CALLFUNCS_NOPROTO = KnownMismatches.none();

    static final KnownMismatches CALL_STRS = KnownMismatches.none()
            .onEach(
                    "kernel",
                    NO_HEAP_LITERAL,
                    "calls: print  str_func1(\"test string\")",
                    "calls: call  str_func1(\"test string\")",
                    "calls: print  str_func(\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\")",
                    "calls: call  str_func(\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\")")
            .onEach(
                    "gcore",
                    NO_HEAP_LITERAL,
                    "calls: print  str_func1(\"test string\")",
                    "calls: call  str_func1(\"test string\")",
                    "calls: print  str_func(\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\")",
                    "calls: call  str_func(\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\")");

    /** By configuration label: every structs configuration run agrees today, on both kinds of core. */
    static final Map<String, KnownMismatches> STRUCTS = Map.of(
            "{tc}", KnownMismatches.none(),
            "{ts}", KnownMismatches.none(),
            "{tll}", KnownMismatches.none(),
            "{tf}", KnownMismatches.none(),
            "{td}", KnownMismatches.none(),
            "{tld}", KnownMismatches.none(),
            "{tc td}", KnownMismatches.none(),
            "{tf td}", KnownMismatches.none());
}
