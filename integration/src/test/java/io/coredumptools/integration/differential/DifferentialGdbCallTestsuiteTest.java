package io.coredumptools.integration.differential;

import io.coredumptools.testkit.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 8, acceptance: gdb's own inferior-call tests (gdb/testsuite/gdb.base callfuncs, call-strs and structs; the
 * .c files unchanged in testkit's fixtures) as a differential test. Each program is compiled "-g -O0" as the
 * testsuite does and stopped where its .exp stops it; a kernel core (SIGABRT delivered there) and a gcore core are
 * taken at that point. Every print/call command of the .exp then runs through gdb on corestub, in the default
 * restore mode, and must print what gdb prints on the live program stopped at the same point (not what the .exp's
 * regexps accept). The .exp files read are callfuncs.exp and structs.exp of binutils-gdb commit 9eed0023 (2018)
 * and call-strs.exp of commit 02e7ea18 (2010), with callfuncs.c of commit 88b9d363 and call-strs.c of 0f71a2f6
 * (the version that matches that .exp: no unbuffer_output.c).
 *
 * <p>Where an .exp reruns the program between blocks, the sessions here go on from where the block left gdb (back
 * at the stop point, dummy frames popped): the same on both sides.
 */
class DifferentialGdbCallTestsuiteTest {

    /** callfuncs.exp, perform_all_tests: set before the calls. */
    private static final List<String> EXP_PRINT_SETTINGS =
            List.of("set print sevenbit-strings", "set print address off", "set width 0", "set language c");

    @ParameterizedTest(name = "{0} core")
    @EnumSource(CoreKind.class)
    void callfuncsWithPrototypes(CoreKind kind) {
        callfuncs("callfuncs", Fixture.CALLFUNCS, Fixture.CALLFUNCS_GCORE, true, KnownMismatchLists.CALLFUNCS)
                .check(kind);
    }

    @ParameterizedTest(name = "{0} core")
    @EnumSource(CoreKind.class)
    void callfuncsWithoutPrototypes(CoreKind kind) {
        callfuncs(
                        "callfuncs-noproto",
                        Fixture.CALLFUNCS_NOPROTO,
                        Fixture.CALLFUNCS_NOPROTO_GCORE,
                        false,
                        KnownMismatchLists.CALLFUNCS_NOPROTO)
                .check(kind);
    }

    @ParameterizedTest(name = "{0} core")
    @EnumSource(CoreKind.class)
    void callStrs(CoreKind kind) {
        List<String> commands = List.of(
                "print buf",
                "print s",
                "print  str_func1(s)",
                "print  str_func1(\"test string\")",
                "call  str_func1(s)",
                "call  str_func1(\"test string\")",
                "print  str_func1(buf)",
                "call str_func1(buf)",
                "print  str_func(\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\")",
                "call  str_func(\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\")",
                "print  str_func(s,s,s,s,s,s,s)",
                "call  str_func(s,s,s,s,s,s,s)");
        new GdbTestProgram(
                        "call-strs",
                        Fixture.CALL_STRS,
                        Fixture.CALL_STRS_GCORE,
                        List.of(new GdbScript(
                                "calls",
                                List.of("set print sevenbit-strings", "set print address off", "set width 0"),
                                commands)),
                        List.of(),
                        KnownMismatchLists.CALL_STRS)
                .check(kind);
    }

    /**
     * structs.exp, test_struct_calls of every configuration it builds (see {@link
     * StructsConfiguration#EXP}); each configuration is its own program, checked on its own, all reported.
     */
    @ParameterizedTest(name = "{0} core")
    @EnumSource(CoreKind.class)
    void structs(CoreKind kind) {
        List<String> failures = new ArrayList<>();
        for (StructsConfiguration configuration : StructsConfiguration.EXP) {
            Exclusion returns = new Exclusion(
                    "test_struct_returns " + configuration.returns(),
                    StructsConfiguration.COMMANDS_PER_STRUCT_RETURN
                            * configuration.returns().size(),
                    "resumes the program itself from the stop point (advance fun<n>, return, next, finish of the"
                            + " program's own frames): the live process running on its kernel, not an inferior"
                            + " call");
            try {
                new GdbTestProgram(
                                "structs" + configuration.label(),
                                configuration.kernelCore(),
                                configuration.gcoreCore(),
                                List.of(new GdbScript(
                                        "calls", StructsConfiguration.SETTINGS, configuration.commands())),
                                List.of(returns),
                                KnownMismatchLists.STRUCTS.get(configuration.label()))
                        .check(kind);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " structs configurations differ from their known mismatches:\n"
                    + String.join("\n", failures));
        }
    }

    /** callfuncs.exp: do_function_calls, then the call-dummy breakpoint blocks and the last prints. */
    private static GdbTestProgram callfuncs(
            String name, Fixture kernel, Fixture gcore, boolean prototypes, KnownMismatches known) {
        return new GdbTestProgram(
                name,
                kernel,
                gcore,
                List.of(
                        new GdbScript("calls", EXP_PRINT_SETTINGS, doFunctionCalls(prototypes)),
                        new GdbScript("dummy-frames", EXP_PRINT_SETTINGS, callDummyBlocks())),
                List.of(new Exclusion(
                        "fetch_all_registers (info all-registers, 10 times)",
                        10,
                        "not a print or call: the .exp compares registers within one session; the register set"
                                + " itself differs by CPU (k0-k7 on AVX-512 machines only)")),
                known);
    }

    /** do_function_calls {prototypes}, in the .exp's order, including its unwindonsignal settings. */
    private static List<String> doFunctionCalls(boolean prototypes) {
        List<String> c = new ArrayList<>();
        c.add("set unwindonsignal on");
        for (String type : List.of("char", "short", "int", "long")) {
            List<String> args = switch (type) {
                case "char" -> List.of("0,0", "'a','b'", "char_val1,char_val2", "'a',char_val2", "char_val1,'b'");
                case "short" -> List.of("0,0", "10,-23", "short_val1,short_val2", "10,short_val2", "short_val1,-23");
                case "int" -> List.of("0,0", "87,-26", "int_val1,int_val2", "87,int_val2", "int_val1,-26");
                default -> List.of("0,0", "789,-321", "long_val1,long_val2", "789,long_val2", "long_val1,-321");
            };
            args.forEach(a -> c.add("p t_" + type + "_values(" + a + ")"));
        }
        c.add("p t_float_values(0.0,0.0)");
        c.add("p t_float_values(3.14159,-2.3765)");
        c.add("p t_float_values(float_val1,float_val2)");
        c.add("p t_float_values(3.14159,float_val2)");
        c.add("p t_float_values(float_val1,-2.3765)");
        c.add("p ((int (*) ()) t_float_values)(float_val1,-2.3765)");
        c.add("p t_float_values2(0.0,0.0)");
        c.add(
                prototypes
                        ? "p ((int (*) (float, float)) t_float_values2)(0.0,0.0)"
                        : "p ((int (*) ()) t_float_values2)(0.0,0.0)");
        c.add("p t_float_values2(3.14159,float_val2)");
        c.add(
                prototypes
                        ? "p ((int (*) (float, float)) t_float_values2)(3.14159,float_val2)"
                        : "p ((int (*) ()) t_float_values2)(3.14159,float_val2)");
        c.add("p t_float_many_args (" + numbered("float_val", 1, 15, ", ") + ")");
        c.add("p t_small_values(1,2,3,4,5,6,7,8,9,10)");
        c.add("p t_double_values(0.0,0.0)");
        c.add("p t_double_values(45.654,-67.66)");
        c.add("p t_double_values(double_val1,double_val2)");
        c.add("p t_double_values(45.654,double_val2)");
        c.add("p t_double_values(double_val1,-67.66)");
        c.add("p t_double_many_args (" + numbered("double_val", 1, 15, ", ") + ")");
        c.add("p t_double_int(99.0, 1)");
        c.add("p t_double_int(99.0, 99)");
        c.add("p t_int_double(99, 1.0)");
        c.add("p t_int_double(99, 99.0)");
        // support_complex_tests: true for gcc on x86-64, so the .exp built with -DTEST_COMPLEX.
        for (String prefix : List.of("fc", "dc", "ldc")) {
            String type = switch (prefix) {
                case "fc" -> "float";
                case "dc" -> "double";
                default -> "long_double";
            };
            c.add("p t_" + type + "_complex_values(" + prefix + "1, " + prefix + "2)");
            c.add("p t_" + type + "_complex_values(" + prefix + "3, " + prefix + "4)");
            String cycle = String.join(
                    ", ",
                    IntStream.range(0, 16).mapToObj(i -> prefix + (i % 4 + 1)).toList());
            c.add("p t_" + type + "_complex_many_args(" + cycle + ")");
            String same = prefix.equals("ldc")
                    // sic: the .exp has no space before the eighth argument here
                    ? "ldc1, ldc1, ldc1, ldc1, ldc1, ldc1, ldc1,ldc1, ldc1, ldc1, ldc1, ldc1, ldc1, ldc1, ldc1, ldc1"
                    : String.join(", ", java.util.Collections.nCopies(16, prefix + "1"));
            c.add("p t_" + type + "_complex_many_args(" + same + ")");
        }
        c.add("p t_string_values(string_val2,string_val1)");
        c.add("p t_string_values(string_val1,string_val2)");
        c.add("p t_string_values(\"string 1\",\"string 2\")");
        c.add("p t_string_values(\"string 1\",string_val2)");
        c.add("p t_string_values(string_val1,\"string 2\")");
        c.add("p t_char_array_values(char_array_val2,char_array_val1)");
        c.add("p t_char_array_values(char_array_val1,char_array_val2)");
        c.add("p t_char_array_values(\"carray 1\",\"carray 2\")");
        c.add("p t_char_array_values(\"carray 1\",char_array_val2)");
        c.add("p t_char_array_values(char_array_val1,\"carray 2\")");
        c.add("p doubleit(4)");
        c.add("p add(4,5)");
        c.add("p t_func_values(func_val2,func_val1)");
        c.add("p t_func_values(func_val1,func_val2)");
        c.add("p function_struct.func(5)");
        c.add("p function_struct_ptr->func(10)");
        c.add("p t_func_values(add,func_val2)");
        c.add("p t_func_values(func_val1,doubleit)");
        c.add("p t_call_add(add,3,4)");
        c.add("p t_call_add(func_val1,3,4)");
        c.add("p t_enum_value1(enumval1)");
        c.add("p t_enum_value1(enum_val1)");
        c.add("p t_enum_value1(enum_val2)");
        c.add("p t_enum_value2(enumval2)");
        c.add("p t_enum_value2(enum_val2)");
        c.add("p t_enum_value2(enum_val1)");
        c.add("p sum_args(1,{2})");
        c.add("p sum_args(2,{2,3})");
        c.add("p sum_args(3,{2,3,4})");
        c.add("p sum_args(4,{2,3,4,5})");
        c.add("p sum10 (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)");
        c.add("p cmp10 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)");
        for (String member : List.of("c", "s", "i", "l", "f", "d", "fc", "dc", "ldc", "a")) {
            c.add("p t_structs_" + member + "(struct_val1)");
        }
        c.add("set unwindonsignal off");
        return c;
    }

    /**
     * perform_all_tests after do_function_calls: a breakpoint in a called function then continue, finish,
     * return; four nested call dummies unwound with finish; calls with a broken $sp; the last two prints.
     */
    private static List<String> callDummyBlocks() {
        List<String> c = new ArrayList<>();
        c.add("break add");
        c.addAll(List.of("print add(4,5)", "continue", "bt 2"));
        c.addAll(List.of("print add(4,5)", "finish", "bt 2"));
        c.addAll(List.of("print add(4,5)", "return 7", "bt 2"));
        c.addAll(List.of("break sum10", "break t_small_values"));
        c.addAll(List.of("print add(2,3)", "backtrace", "print add(4,5)", "backtrace"));
        c.addAll(List.of("print sum10(2,4,6,8,10,12,14,16,18,20)", "backtrace"));
        c.addAll(List.of("print t_small_values(1,3,5,7,9,11,13,15,17,19)", "backtrace"));
        for (int level = 4; level >= 1; level--) {
            c.addAll(List.of("finish", "backtrace"));
        }
        c.addAll(List.of(
                "set $old_sp = $sp",
                "set $sp = 0",
                "call doubleit (1)",
                "set $sp = -1",
                "call doubleit (1)",
                "set $sp = $old_sp"));
        c.add("print callfunc (Lcallfunc, 5)");
        c.add("print *((int *(*) (void)) voidfunc)()");
        return c;
    }

    private static String numbered(String prefix, int from, int to, String separator) {
        return String.join(
                separator,
                IntStream.rangeClosed(from, to).mapToObj(i -> prefix + i).toList());
    }
}
