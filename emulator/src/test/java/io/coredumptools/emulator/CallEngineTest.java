package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.testkit.Fixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Calls on a real core, through the Java API. */
class CallEngineTest {
    @TempDir
    static Path emptyDebugDir;

    private static Emulator open(Fixture fixture) throws Exception {
        return TestEmulators.open(fixture);
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void everyCallStartsFromTheCrashImageUnlessKeepingState(boolean debugFiles) throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE, debugFiles, emptyDebugDir, true)) {
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
            emu.setKeepState(true);
            assertThat(emu.call("next_id").asInt()).isEqualTo(44);
            assertThat(emu.call("next_id").asInt()).isEqualTo(45);
        }
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void integerDoubleAndStackArguments(boolean debugFiles) throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE, debugFiles, emptyDebugDir, true)) {
            assertThat(emu.call("scale", Argument.of(1.5), Argument.of(3)).xmm0())
                    .isEqualTo(4.5);
            CallResult sum = emu.call(
                    "sum8",
                    Argument.of(1),
                    Argument.of(2),
                    Argument.of(3),
                    Argument.of(4),
                    Argument.of(5),
                    Argument.of(6),
                    Argument.of(7),
                    Argument.of(8));
            assertThat(sum.rax()).isEqualTo(204);
            long gp = emu.readLong(emu.symbols().lookup("gp").orElseThrow().address());
            assertThat(emu.call("point_sum", Argument.of(gp)).asInt()).isEqualTo(7);
            long head =
                    emu.readLong(emu.symbols().lookup("list_head").orElseThrow().address());
            assertThat(emu.call("list_sum", Argument.of(head)).rax()).isEqualTo(4999950000L);
        }
    }

    @Test
    void tlsFollowsTheSelectedThread() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE)) {
            assertThat(emu.call("get_tls").rax()).isEqualTo(1111);
            emu.selectThread(1);
            assertThat(emu.call("get_tls").rax()).isEqualTo(2222);
        }
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void nullDereferenceIsASegfaultWithBacktraceAndDisassembly(boolean debugFiles) throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE, debugFiles, emptyDebugDir, true)) {
            assertThatThrownBy(() -> emu.call("point_sum", Argument.of(0)))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        EmulationFault fault = e.fault();
                        assertThat(fault.kind()).isEqualTo(FaultKind.UNMAPPED_READ);
                        assertThat(fault.signal()).isEqualTo(11);
                        assertThat(fault.address()).isEqualTo(0);
                        assertThat(fault.backtrace().get(0).location()).startsWith("point_sum");
                        assertThat(fault.disassembly()).anyMatch(l -> l.startsWith("=> "));
                        assertThat(fault.report()).contains("SIGSEGV").contains("point_sum");
                    });
            assertThat(emu.call("next_id").asInt()).as("usable after a fault").isEqualTo(43);
        }
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void endlessLoopEndsWithABudgetFault(boolean debugFiles) throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE, debugFiles, emptyDebugDir, true)) {
            emu.setBudget(CallBudget.DEFAULT);
            long started = System.nanoTime();
            assertThatThrownBy(() -> emu.call("spin_forever"))
                    .isInstanceOfSatisfying(
                            CallFailedException.class,
                            e -> assertThat(e.fault().kind()).isEqualTo(FaultKind.BUDGET_EXHAUSTED));
            assertThat(System.nanoTime() - started)
                    .isLessThan(20_000_000_000L); // a 1 s budget; generous for a loaded CI machine
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
        }
    }
}
