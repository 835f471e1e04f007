package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.testkit.Fixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resuming a thread as gdb and lldb drive an inferior call: registers set by hand, breakpoints as hooks. */
class DebugResumeTest {
    private static ResumeRequest until(Set<Long> breakpoints) {
        return new ResumeRequest(false, breakpoints, List.of(), TestEmulators.GENEROUS);
    }

    /** Sets up a call of {@code function} returning to {@code returnAddress}, as a debugger does with G and M. */
    private static RegisterFile callFrame(Emulator emu, long function, long returnAddress) {
        RegisterFile r = RegisterFile.of(emu.threads().get(0));
        long sp = ((r.rsp() - 0x100) & ~0xfL) - 8;
        emu.write(
                sp,
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(returnAddress)
                        .array());
        r.general[7] = sp;
        r.rip = function;
        return r;
    }

    @Test
    void returnToABreakpointAtTheEntryPointStopsThereWithPcAtTheBreakpoint() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            long entry = emu.core().auxvValue(AuxvEntry.AT_ENTRY).orElseThrow();
            RegisterFile r = callFrame(emu, emu.resolveFunction("next_id"), entry);
            Stop stop = emu.resume(r, until(Set.of(entry)));
            assertThat(stop.kind()).isEqualTo(Stop.Kind.BREAKPOINT);
            assertThat(stop.pc()).isEqualTo(entry);
            assertThat(r.rip).isEqualTo(entry);
            assertThat(r.general[0]).isEqualTo(43);
        }
    }

    @Test
    void returnToADummyOnTheNonExecutableStackIsASegfaultThereAsOnALiveProcess() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            RegisterFile r = RegisterFile.of(emu.threads().get(0));
            long dummy = r.rsp() - 0x81;
            emu.write(dummy, new byte[] {(byte) 0xCC});
            r = callFrame(emu, emu.resolveFunction("next_id"), dummy);
            Stop stop = emu.resume(r, until(Set.of(dummy)));
            assertThat(stop.kind()).isEqualTo(Stop.Kind.SIGNAL);
            assertThat(stop.signal()).isEqualTo(11);
            assertThat(r.rip).isEqualTo(dummy);
            assertThat(r.general[0]).isEqualTo(43);
        }
    }

    @Test
    void breakpointInsideTheCalledFunctionThenStepAndContinue() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            long entry = emu.core().auxvValue(AuxvEntry.AT_ENTRY).orElseThrow();
            long pointSum = emu.resolveFunction("point_sum");
            RegisterFile r = callFrame(emu, emu.resolveFunction("point_sum"), entry);
            r.general[5] = emu.readLong(emu.symbols().lookup("gp").orElseThrow().address());
            Stop atFunction =
                    emu.resume(r, new ResumeRequest(false, Set.of(entry, pointSum), List.of(), TestEmulators.GENEROUS));
            // Starting on point_sum's own breakpoint resumes past it: the next stop is the return.
            assertThat(atFunction.kind())
                    .as("%s", atFunction.fault().map(EmulationFault::report).orElse(""))
                    .isEqualTo(Stop.Kind.BREAKPOINT);
            assertThat(atFunction.pc()).isEqualTo(entry);

            // next_id returns into point_sum, whose breakpoint stops it there.
            RegisterFile fresh = callFrame(emu, emu.resolveFunction("next_id"), pointSum);
            Stop hit = emu.resume(fresh, until(Set.of(pointSum)));
            assertThat(hit.kind()).isEqualTo(Stop.Kind.BREAKPOINT);
            assertThat(fresh.rip).isEqualTo(pointSum);
            fresh.general[5] =
                    emu.readLong(emu.symbols().lookup("gp").orElseThrow().address());
            long before = fresh.rip;
            Stop step = emu.resume(fresh, new ResumeRequest(true, Set.of(pointSum), List.of(), TestEmulators.GENEROUS));
            assertThat(step.kind())
                    .as("%s", step.fault().map(EmulationFault::report).orElse(""))
                    .isEqualTo(Stop.Kind.STEP);
            assertThat(fresh.rip).isGreaterThan(before).isLessThan(before + 16);
        }
    }

    @Test
    void writeWatchpointStopsAfterTheWrite() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            long entry = emu.core().auxvValue(AuxvEntry.AT_ENTRY).orElseThrow();
            long counter = emu.symbols().lookup("counter").orElseThrow().address();
            RegisterFile r = callFrame(emu, emu.resolveFunction("next_id"), entry);
            Stop stop = emu.resume(
                    r,
                    new ResumeRequest(
                            false,
                            Set.of(entry),
                            List.of(new Watchpoint(counter, 4, Watchpoint.Kind.WRITE)),
                            TestEmulators.GENEROUS));
            assertThat(stop.kind()).isEqualTo(Stop.Kind.WATCHPOINT);
            assertThat(stop.dataAddress()).isEqualTo(counter);
            assertThat(emu.readStruct(counter, 4).getInt()).isEqualTo(42 + 1);
        }
    }

    @Test
    void afterAWatchpointHitAStepLeavesTheStoreAndAContinueReachesTheReturn() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            long entry = emu.core().auxvValue(AuxvEntry.AT_ENTRY).orElseThrow();
            long counter = emu.symbols().lookup("counter").orElseThrow().address();
            List<Watchpoint> watch = List.of(new Watchpoint(counter, 4, Watchpoint.Kind.WRITE));
            RegisterFile r = callFrame(emu, emu.resolveFunction("next_id"), entry);
            Stop hit = emu.resume(r, new ResumeRequest(false, Set.of(entry), watch, TestEmulators.GENEROUS));
            assertThat(hit.kind()).isEqualTo(Stop.Kind.WATCHPOINT);
            assertThat(emu.readStruct(counter, 4).getInt()).as("written once").isEqualTo(42 + 1);
            long afterStore = r.rip;
            Stop step = emu.resume(r, new ResumeRequest(true, Set.of(entry), watch, TestEmulators.GENEROUS));
            assertThat(step.kind()).isEqualTo(Stop.Kind.STEP);
            assertThat(r.rip).isNotEqualTo(afterStore);
            if (r.rip != entry) {
                // Not yet back (the store was not next_id's last instruction): continuing gets there.
                Stop end = emu.resume(r, new ResumeRequest(false, Set.of(entry), watch, TestEmulators.GENEROUS));
                assertThat(end.kind())
                        .as("%s", end.fault().map(EmulationFault::report).orElse(""))
                        .isEqualTo(Stop.Kind.BREAKPOINT);
            }
            assertThat(r.rip).isEqualTo(entry);
            assertThat(r.general[0]).isEqualTo(43);
            assertThat(emu.readStruct(counter, 4).getInt()).isEqualTo(43);
        }
    }

    private static long residentMiB() throws Exception {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void aStepThenAContinueKeepsTheTranslationBufferAndTheBudgetStopSaysHowLongItRan() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            long entry = emu.core().auxvValue(AuxvEntry.AT_ENTRY).orElseThrow();
            long head =
                    emu.readLong(emu.symbols().lookup("list_head").orElseThrow().address());
            // Translate a good deal of code first, then step and continue into an endless loop, as gdb's
            // "next" then "continue" would.
            emu.call("list_sum", Argument.of(head));
            long before = residentMiB();
            RegisterFile r = callFrame(emu, emu.resolveFunction("spin_forever"), entry);
            Stop step = emu.resume(r, new ResumeRequest(true, Set.of(entry), List.of(), TestEmulators.GENEROUS));
            assertThat(step.kind()).isEqualTo(Stop.Kind.STEP);
            CallBudget budget = new CallBudget(0, java.time.Duration.ofMillis(100));
            Stop spun = emu.resume(r, new ResumeRequest(false, Set.of(entry), List.of(), budget));
            long after = residentMiB();
            assertThat(spun.kind()).isEqualTo(Stop.Kind.SIGNAL);
            EmulationFault fault = spun.fault().orElseThrow();
            assertThat(fault.kind()).isEqualTo(FaultKind.BUDGET_EXHAUSTED);
            assertThat(emu.symbolize(spun.pc())).startsWith("spin_forever");
            java.util.regex.Matcher ran =
                    java.util.regex.Pattern.compile("ran for (\\d+) ms").matcher(fault.detail());
            assertThat(ran.find()).as(fault.detail()).isTrue();
            assertThat(Long.parseLong(ran.group(1))).as(fault.detail()).isGreaterThanOrEqualTo(100);
            // Unicorn 2.0.1 flushed its whole translation buffer when a counted step was followed by an uncounted
            // run: about 1 GiB became resident.
            assertThat(after - before)
                    .as("MiB resident after the step and continue")
                    .isLessThan(400);
        }
    }
}
