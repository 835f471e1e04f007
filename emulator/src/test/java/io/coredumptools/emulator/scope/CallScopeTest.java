package io.coredumptools.emulator.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.emulator.scope.ScopeDecision.Kind;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The call scope on real cores, driven as gdb drives a call: the debugger writes the return address on the stack
 * (inside the call), sets the registers, resumes until the return, and ends the call. demo.c: next_id() answers 43 at
 * the crash; callmodel.c: make_str and make_holder build what the next call is given.
 */
class CallScopeTest {
    private static final CallBudget GENEROUS = new CallBudget(0, Duration.ofSeconds(30));

    private static Emulator open(Fixture fixture) throws Exception {
        return Emulator.open(
                Fixtures.get(fixture).core(), EmulatorOptions.defaults().withBudget(GENEROUS));
    }

    /** One call as gdb makes it; {@code setUp} may set arguments and write memory (inside the call). */
    private static final class Debugger {
        final Emulator emu;
        final CallScope scope;
        final long entry;
        Optional<ScopeDecision> decision;
        Stop stop;

        Debugger(Emulator emu) {
            this.emu = emu;
            this.scope = emu.scope();
            scope.setMode(RestoreMode.AUTO);
            this.entry = emu.core().auxvValue(AuxvEntry.AT_ENTRY).orElseThrow();
        }

        /** Calls {@code function} with depth {@code depth}; returns rax. {@code setUp} runs after the frame. */
        long call(String function, int depth, java.util.function.Consumer<RegisterFile> setUp) throws Exception {
            RegisterFile r = RegisterFile.of(emu.threads().get(0));
            long sp = ((r.rsp() - 0x200 * depth) & ~0xfL) - 8;
            scope.debuggerWrite(sp, LittleEndian.ofLong(entry), depth);
            r.general[7] = sp;
            r.rip = emu.resolveFunction(function);
            setUp.accept(r);
            decision = scope.beforeResume(0, r, depth);
            stop = emu.resume(r, new ResumeRequest(false, Set.of(entry), List.of(), GENEROUS));
            boolean returned = stop.kind() == Stop.Kind.BREAKPOINT;
            scope.afterResume(r, depth, returned ? Optional.empty() : Optional.of("signal " + stop.signal()));
            if (depth == 1) {
                scope.callsEnded();
            }
            return r.general[0];
        }

        long call(String function) throws Exception {
            return call(function, 1, r -> {});
        }

        long call(String function, long rdi) throws Exception {
            return call(function, 1, r -> r.general[5] = rdi);
        }

        ScopeDecision decided() {
            return decision.orElseThrow();
        }
    }

    @Test
    void anIndependentCallAfterAnotherStartsFromTheBase() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE)) {
            Debugger gdb = new Debugger(emu);
            assertThat(gdb.call("next_id")).isEqualTo(43);
            assertThat(gdb.decided().reason()).contains("no call ran");
            assertThat(gdb.call("next_id")).isEqualTo(43);
            assertThat(gdb.decided().kind()).isEqualTo(Kind.FROM_BASE);
            assertThat(gdb.decided().reason()).contains("no input points into memory");
            assertThat(gdb.scope.fromBaseCount()).isEqualTo(2);
            assertThat(gdb.scope.continuedCount()).isZero();
        }
    }

    @Test
    void theUsersWriteOutsideACallIsPartOfTheBase() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE)) {
            Debugger gdb = new Debugger(emu);
            long counter = emu.symbols().lookup("counter").orElseThrow().address();
            gdb.scope.debuggerWrite(counter, LittleEndian.ofInt(100), 0); // set var counter = 100
            assertThat(gdb.call("next_id")).isEqualTo(101);
            assertThat(gdb.call("next_id"))
                    .as("from the base, which holds the write")
                    .isEqualTo(101);
        }
    }

    @Test
    void anExplicitRestoreEndsTheBase() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE)) {
            Debugger gdb = new Debugger(emu);
            long counter = emu.symbols().lookup("counter").orElseThrow().address();
            long text = emu.resolveFunction("next_id") + 64; // past next_id's code: not run here
            byte[] code = emu.read(text, 4);
            gdb.scope.debuggerWrite(counter, LittleEndian.ofInt(100), 0);
            gdb.scope.debuggerWrite(text, new byte[] {1, 2, 3, 4}, 0); // read-only memory too
            assertThat(gdb.call("next_id")).isEqualTo(101);
            assertThat(emu.read(text, 4)).containsExactly(1, 2, 3, 4);
            gdb.scope.restoreCrashImage(); // monitor snapshot restore
            assertThat(emu.read(text, 4)).containsExactly(code);
            assertThat(gdb.call("next_id")).isEqualTo(43);
        }
    }

    @Test
    void theDebuggersWritesForACallSurviveItsRestore() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE)) {
            Debugger gdb = new Debugger(emu);
            long counter = emu.symbols().lookup("counter").orElseThrow().address();
            assertThat(gdb.call("next_id")).isEqualTo(43);
            long got = gdb.call("next_id", 1, r -> gdb.scope.debuggerWrite(counter, LittleEndian.ofInt(7), 1));
            assertThat(gdb.decided().kind()).isEqualTo(Kind.FROM_BASE);
            assertThat(got).as("written inside the call, before its restore").isEqualTo(8);
        }
    }

    @Test
    void aPointerTheCallBeforeReturnedInAnArgumentRegisterContinuesIt() throws Exception {
        try (Emulator emu = open(Fixture.CALL_MODEL)) {
            Debugger gdb = new Debugger(emu);
            long text = gdb.call("make_str", 3);
            assertThat(emu.readCString(text, 8)).isEqualTo("abc");
            assertThat(gdb.call("strlen", text)).isEqualTo(3);
            assertThat(gdb.decided().kind()).isEqualTo(Kind.CONTINUES);
            assertThat(gdb.decided().reason())
                    .startsWith("rdi=0x" + Long.toHexString(text) + " points into memory an earlier call");
            assertThat(gdb.scope.continuedCount()).isEqualTo(1);
        }
    }

    @Test
    void aPointerAnEarlierCallReturnedKeepsItsMemoryForTheCallsAfter() throws Exception {
        try (Emulator emu = open(Fixture.CALL_MODEL)) {
            Debugger gdb = new Debugger(emu);
            long a = gdb.call("make_str", 3); // set $a = make_str(3)
            gdb.call("make_str", 5); // set $b = make_str(5): no input of its own points anywhere
            assertThat(gdb.decided().kind()).isEqualTo(Kind.CONTINUES);
            assertThat(gdb.decided().reason())
                    .isEqualTo("an earlier call returned 0x" + Long.toHexString(a) + ", which points into memory an"
                            + " earlier call wrote (the debugger may pass it on)");
            assertThat(gdb.call("strlen", a)).as("strlen($a)").isEqualTo(3);
        }
    }

    @Test
    void perCallStartsFromTheBaseEvenThen() throws Exception {
        try (Emulator emu = open(Fixture.CALL_MODEL)) {
            Debugger gdb = new Debugger(emu);
            gdb.scope.setMode(RestoreMode.PER_CALL);
            long text = gdb.call("make_str", 3);
            gdb.call("strlen", text);
            assertThat(gdb.decided()).isEqualTo(ScopeDecision.fromBase("restore-mode per-call"));
            assertThat(emu.readCString(text, 8)).as("make_str's text is gone").isNotEqualTo("abc");
        }
    }

    @Test
    void aStructGdbCopiedOntoTheStackHoldingSuchAPointerContinuesIt() throws Exception {
        try (Emulator emu = open(Fixture.CALL_MODEL)) {
            Debugger gdb = new Debugger(emu);
            long sp = RegisterFile.of(emu.threads().get(0)).rsp();
            long result = sp - 0x1000; // the struct's room, on the stack below the crash sp (as gdb makes it)
            gdb.call("make_holder", 1, r -> {
                r.general[5] = result; // sret: where the struct goes
                r.general[4] = 5;
            });
            byte[] holder = emu.read(result, 32);
            assertThat(emu.readCString(LittleEndian.i64(holder, 0), 8)).isEqualTo("abcde");
            long len = gdb.call("holder_len", 1, r -> {
                long copy = r.rsp() + 8; // the argument in memory, just above the return address
                gdb.scope.debuggerWrite(copy, holder, 1);
            });
            assertThat(gdb.decided().kind()).isEqualTo(Kind.CONTINUES);
            assertThat(gdb.decided().reason()).contains("the debugger wrote at").contains("for this call points into");
            assertThat(len).as("strlen(text) * 1000 + 3 * 5").isEqualTo(5015);
        }
    }

    @Test
    void aLiteralsAllocationBeforeTheArgumentsAreSetContinuesWhenTheCallBeforeReturnedAPointerIntoItsMemory()
            throws Exception {
        try (Emulator emu = open(Fixture.CALL_MODEL)) {
            Debugger gdb = new Debugger(emu);
            long text = gdb.call("make_str", 3);
            long literal = gdb.call("malloc", 2, r -> r.general[5] = 4); // gdb's malloc for "abd", nested
            assertThat(gdb.decided().kind()).isEqualTo(Kind.CONTINUES);
            assertThat(gdb.decided().reason()).startsWith("an earlier call returned 0x" + Long.toHexString(text));
            assertThat(literal).isNotZero().isNotEqualTo(text);
            assertThat(emu.readCString(text, 8)).isEqualTo("abc");
        }
    }

    @Test
    void aFailedCallLeavesNoDamageEvenInSessionMode() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE)) {
            Debugger gdb = new Debugger(emu);
            gdb.scope.setMode(RestoreMode.SESSION);
            assertThat(gdb.call("next_id")).isEqualTo(43);
            assertThat(gdb.call("next_id")).as("session: calls see each other").isEqualTo(44);
            gdb.call("point_sum", 0); // faults on the null pointer
            assertThat(gdb.stop.kind()).isEqualTo(Stop.Kind.SIGNAL);
            assertThat(gdb.call("next_id")).isEqualTo(43);
            assertThat(gdb.decided().reason()).startsWith("the call before failed (signal 11");
            assertThat(gdb.call("next_id")).isEqualTo(44);
        }
    }

    @Test
    void anExplicitRestoreGoesBackToTheBase() throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE)) {
            Debugger gdb = new Debugger(emu);
            gdb.scope.setMode(RestoreMode.MANUAL);
            gdb.call("next_id");
            assertThat(gdb.call("next_id")).isEqualTo(44);
            gdb.scope.restoreBase();
            assertThat(gdb.call("next_id")).isEqualTo(43);
        }
    }
}
