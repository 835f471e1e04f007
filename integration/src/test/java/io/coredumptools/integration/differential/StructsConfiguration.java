package io.coredumptools.integration.differential;

import io.coredumptools.testkit.Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One build of structs.c as structs.exp makes it: the types of the first struct fields ({@code -DtA=tc -DtB=td}),
 * the sizes {@code n} it runs test_struct_calls and test_struct_returns for, and the fixtures of that build.
 */
record StructsConfiguration(
        List<String> types, List<Integer> calls, List<Integer> returns, Fixture kernelCore, Fixture gcoreCore) {

    /** structs.exp: start_structs_test, the print settings. */
    static final List<String> SETTINGS =
            List.of("set print sevenbit-strings", "set print address off", "set width 0", "set print elements 300");

    /**
     * test_struct_returns sends advance, p/c, return, (next), p/c, advance, p/c, finish, p/c per size (about 9).
     */
    static final int COMMANDS_PER_STRUCT_RETURN = 9;

    /** Every configuration of structs.exp, in its order. */
    static final List<StructsConfiguration> EXP = List.of(
            run(List.of("tc"), range(1, 17), range(1, 8), Fixture.STRUCTS_TC, Fixture.STRUCTS_TC_GCORE),
            run(List.of("ts"), range(1, 5), range(1, 4), Fixture.STRUCTS_TS, Fixture.STRUCTS_TS_GCORE),
            run(List.of("ti"), range(1, 3), range(1, 2), Fixture.STRUCTS_TI, Fixture.STRUCTS_TI_GCORE),
            run(List.of("tl"), range(1, 3), range(1, 2), Fixture.STRUCTS_TL, Fixture.STRUCTS_TL_GCORE),
            run(List.of("tll"), range(1, 2), range(1, 1), Fixture.STRUCTS_TLL, Fixture.STRUCTS_TLL_GCORE),
            run(List.of("tf"), range(1, 3), range(1, 2), Fixture.STRUCTS_TF, Fixture.STRUCTS_TF_GCORE),
            run(List.of("td"), range(1, 2), range(1, 1), Fixture.STRUCTS_TD, Fixture.STRUCTS_TD_GCORE),
            run(List.of("tld"), range(1, 2), range(1, 1), Fixture.STRUCTS_TLD, Fixture.STRUCTS_TLD_GCORE),
            run(List.of("ts", "tc"), range(2, 8), range(2, 2), Fixture.STRUCTS_TS_TC, Fixture.STRUCTS_TS_TC_GCORE),
            run(List.of("ti", "tc"), range(2, 6), range(2, 2), Fixture.STRUCTS_TI_TC, Fixture.STRUCTS_TI_TC_GCORE),
            run(List.of("tl", "tc"), range(2, 6), range(2, 2), Fixture.STRUCTS_TL_TC, Fixture.STRUCTS_TL_TC_GCORE),
            run(List.of("tll", "tc"), range(2, 2), List.of(), Fixture.STRUCTS_TLL_TC, Fixture.STRUCTS_TLL_TC_GCORE),
            run(List.of("tf", "tc"), range(2, 6), range(2, 2), Fixture.STRUCTS_TF_TC, Fixture.STRUCTS_TF_TC_GCORE),
            run(List.of("td", "tc"), range(2, 2), List.of(), Fixture.STRUCTS_TD_TC, Fixture.STRUCTS_TD_TC_GCORE),
            run(List.of("tld", "tc"), range(2, 2), List.of(), Fixture.STRUCTS_TLD_TC, Fixture.STRUCTS_TLD_TC_GCORE),
            run(List.of("tc", "ts"), range(2, 6), range(2, 2), Fixture.STRUCTS_TC_TS, Fixture.STRUCTS_TC_TS_GCORE),
            run(List.of("tc", "ti"), range(2, 4), range(2, 2), Fixture.STRUCTS_TC_TI, Fixture.STRUCTS_TC_TI_GCORE),
            run(List.of("tc", "tl"), range(2, 4), range(2, 2), Fixture.STRUCTS_TC_TL, Fixture.STRUCTS_TC_TL_GCORE),
            run(List.of("tc", "tll"), range(2, 2), List.of(), Fixture.STRUCTS_TC_TLL, Fixture.STRUCTS_TC_TLL_GCORE),
            run(List.of("tc", "tf"), range(2, 4), List.of(), Fixture.STRUCTS_TC_TF, Fixture.STRUCTS_TC_TF_GCORE),
            run(List.of("tc", "td"), range(2, 2), List.of(), Fixture.STRUCTS_TC_TD, Fixture.STRUCTS_TC_TD_GCORE),
            run(List.of("tc", "tld"), range(2, 2), List.of(), Fixture.STRUCTS_TC_TLD, Fixture.STRUCTS_TC_TLD_GCORE),
            run(List.of("td", "tf"), range(2, 2), range(2, 2), Fixture.STRUCTS_TD_TF, Fixture.STRUCTS_TD_TF_GCORE),
            run(List.of("tf", "td"), range(2, 2), range(2, 2), Fixture.STRUCTS_TF_TD, Fixture.STRUCTS_TF_TD_GCORE));

    /** E.g. "{tc td}", as the .exp names its builds (structs-tc-td). */
    String label() {
        return "{" + String.join(" ", types) + "}";
    }

    boolean first() {
        return this == EXP.get(0);
    }

    /**
     * What the .exp sends for this build: on the first, "p chartest" at chartest-done; then "ptype fooN" (N the
     * number of types); then per size n of test_struct_calls: "p/c fun<n>()", "call Fun<n>(foo<n>)", "p/c L<n>".
     */
    List<String> commands() {
        List<String> commands = new ArrayList<>();
        if (first()) {
            commands.add("p chartest");
        }
        commands.add("ptype foo" + types.size());
        for (int n : calls) {
            commands.add("p/c fun" + n + "()");
            commands.add("call Fun" + n + "(foo" + n + ")");
            commands.add("p/c L" + n);
        }
        return commands;
    }

    private static StructsConfiguration run(
            List<String> types, List<Integer> calls, List<Integer> returns, Fixture kernel, Fixture gcore) {
        return new StructsConfiguration(types, calls, returns, kernel, gcore);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }
}
