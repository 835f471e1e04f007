package io.coredumptools.integration.differential;

import java.util.Map;

/**
 * The known mismatches of gdb's test programs (what fails today on main), one place, each with the defect
 * observed. A fix makes entries fail as "NOW EQUAL": delete them then.
 */
final class KnownMismatchLists {
    private KnownMismatchLists() {}

    /**
     * A gcore core (made with the kernel's default coredump_filter, as in the field) has no copy of the
     * program's unmodified read-only segment, and corestub does not map it from the file either.
     */
    static final String GCORE_RODATA = "issue 9: gcore leaves out the program's read-only data segment (.rodata at"
            + " 0x555555558000, absent from 'info proc mappings') and corestub does not map it from the file: the"
            + " callee faults reading a constant or string there (SIGSEGV at si_addr 0x5555555580xx, shown at the"
            + " function's entry line)";

    static final String NEWFSTATAT = "issue 8: printf on a stdout the program never used: newfstatat (262) of fd 1"
            + " is not emulated ('corestub: SIGSYS ... syscall 262 ... in fstatat', gdb sees SIGUSR2); gdb stays in"
            + " that frame (the .exp does not set unwindonsignal), so the later calls run nested in it";

    static final String NO_HEAP_LITERAL = "issue 8: no heap yet at the stop point: the memory malloc gives gdb for a"
            + " string literal cannot be written ('Cannot access memory at address 0x6000008012a0')";

    /** callfuncs.exp with -DPROTOTYPES. */
    static final KnownMismatches CALLFUNCS = callfuncs("int (*) (float, float)");

    /** callfuncs.exp with -DNO_PROTOTYPES ("noproto"): the same, but for the cast the .exp uses then. */
    static final KnownMismatches CALLFUNCS_NOPROTO = callfuncs("int (*) ()");

    /**
     * @param floatValues2Cast the function-pointer type the .exp casts t_float_values2 to in this build
     */
    private static KnownMismatches callfuncs(String floatValues2Cast) {
        return KnownMismatches.none()
                .onEach(
                        "gcore",
                        GCORE_RODATA,
                        "calls: p t_float_values(0.0,0.0)",
                        "calls: p t_float_values(3.14159,-2.3765)",
                        "calls: p t_float_values(float_val1,float_val2)",
                        "calls: p t_float_values(3.14159,float_val2)",
                        "calls: p t_float_values(float_val1,-2.3765)",
                        "calls: p ((int (*) ()) t_float_values)(float_val1,-2.3765)",
                        "calls: p t_float_values2(0.0,0.0)",
                        "calls: p ((" + floatValues2Cast + ") t_float_values2)(0.0,0.0)",
                        "calls: p t_float_values2(3.14159,float_val2)",
                        "calls: p ((" + floatValues2Cast + ") t_float_values2)(3.14159,float_val2)",
                        "calls: p t_float_many_args (float_val1, float_val2, float_val3, float_val4, float_val5, float_val6, float_val7, float_val8, float_val9, float_val10, float_val11, float_val12, float_val13, float_val14, float_val15)",
                        "calls: p t_double_values(0.0,0.0)",
                        "calls: p t_double_values(45.654,-67.66)",
                        "calls: p t_double_values(double_val1,double_val2)",
                        "calls: p t_double_values(45.654,double_val2)",
                        "calls: p t_double_values(double_val1,-67.66)",
                        "calls: p t_double_many_args (double_val1, double_val2, double_val3, double_val4, double_val5, double_val6, double_val7, double_val8, double_val9, double_val10, double_val11, double_val12, double_val13, double_val14, double_val15)",
                        "calls: p t_double_int(99.0, 1)",
                        "calls: p t_double_int(99.0, 99)",
                        "calls: p t_int_double(99, 1.0)",
                        "calls: p t_int_double(99, 99.0)",
                        "calls: p t_float_complex_values(fc1, fc2)",
                        "calls: p t_float_complex_values(fc3, fc4)",
                        "calls: p t_float_complex_many_args(fc1, fc2, fc3, fc4, fc1, fc2, fc3, fc4, fc1, fc2, fc3, fc4, fc1, fc2, fc3, fc4)",
                        "calls: p t_float_complex_many_args(fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1, fc1)",
                        "calls: p t_double_complex_values(dc1, dc2)",
                        "calls: p t_double_complex_values(dc3, dc4)",
                        "calls: p t_double_complex_many_args(dc1, dc2, dc3, dc4, dc1, dc2, dc3, dc4, dc1, dc2, dc3, dc4, dc1, dc2, dc3, dc4)",
                        "calls: p t_double_complex_many_args(dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1, dc1)",
                        "calls: p t_long_double_complex_values(ldc1, ldc2)",
                        "calls: p t_long_double_complex_values(ldc3, ldc4)",
                        "calls: p t_long_double_complex_many_args(ldc1, ldc2, ldc3, ldc4, ldc1, ldc2, ldc3, ldc4, ldc1, ldc2, ldc3, ldc4, ldc1, ldc2, ldc3, ldc4)",
                        "calls: p t_long_double_complex_many_args(ldc1, ldc1, ldc1, ldc1, ldc1, ldc1, ldc1,ldc1, ldc1, ldc1, ldc1, ldc1, ldc1, ldc1, ldc1, ldc1)",
                        "calls: p t_string_values(string_val2,string_val1)",
                        "calls: p t_string_values(string_val1,string_val2)",
                        "calls: p t_string_values(\"string 1\",\"string 2\")",
                        "calls: p t_string_values(\"string 1\",string_val2)",
                        "calls: p t_string_values(string_val1,\"string 2\")",
                        "calls: p t_structs_ldc(struct_val1)");
    }

    static final KnownMismatches CALL_STRS = KnownMismatches.none()
            .onEach(
                    "kernel",
                    NEWFSTATAT,
                    "calls: print  str_func1(s)",
                    "calls: call  str_func1(s)",
                    "calls: print  str_func1(buf)",
                    "calls: call str_func1(buf)",
                    "calls: print  str_func(s,s,s,s,s,s,s)",
                    "calls: call  str_func(s,s,s,s,s,s,s)")
            .onEach(
                    "kernel",
                    NO_HEAP_LITERAL,
                    "calls: print  str_func1(\"test string\")",
                    "calls: call  str_func1(\"test string\")",
                    "calls: print  str_func(\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\")",
                    "calls: call  str_func(\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\")")
            .onEach(
                    "gcore",
                    GCORE_RODATA,
                    "calls: print  str_func1(s)",
                    "calls: call  str_func1(s)",
                    "calls: print  str_func1(buf)",
                    "calls: call str_func1(buf)",
                    "calls: print  str_func(s,s,s,s,s,s,s)",
                    "calls: call  str_func(s,s,s,s,s,s,s)")
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
