package io.coredumptools.emulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.emulator.unicorn.MemoryAccessType;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner on hand-written code: the pc of every kind of stop is the instruction's own, with the registers of
 * that point (unicorn 2.0.1 reports the start of the translated block for a fault in an uncounted run, so each
 * faulting instruction here comes after others in the same block).
 */
class RunnerTest {
    private static final long CODE = 0x40_0000L;
    private static final long DATA = 0x50_0000L;
    private static final long READ_ONLY = 0x60_0000L;
    private static final long UNMAPPED = 0x70_0000L;
    private static final CallBudget GENEROUS = new CallBudget(0, Duration.ofSeconds(30));
    /** mov eax, 4: a plain instruction to put before the one under test, in the same block. */
    private static final byte[] MOV_EAX_4 = bytes(0xb8, 4, 0, 0, 0);

    private Unicorn uc;
    private Runner runner;

    @BeforeEach
    void open() {
        uc = Unicorn.openX86_64();
        uc.mapMemory(CODE, 0x1000, MemoryProtection.READ | MemoryProtection.EXEC);
        uc.mapMemory(DATA, 0x1000, MemoryProtection.READ | MemoryProtection.WRITE);
        uc.mapMemory(READ_ONLY, 0x1000, MemoryProtection.READ);
        uc.writeRegister(X86Register.RSP, DATA + 0x800);
        runner = new Runner(uc, SyscallHandler.NONE);
    }

    @AfterEach
    void close() {
        runner.close();
        uc.close();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Writes three movs, then {@code code}, then nops: returns the address of {@code code}. */
    private long load(byte[] code) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(MOV_EAX_4);
        all.writeBytes(MOV_EAX_4);
        all.writeBytes(MOV_EAX_4);
        all.writeBytes(code);
        all.writeBytes(bytes(0x90, 0x90, 0x90, 0x90));
        uc.writeMemory(CODE, all.toByteArray());
        return CODE + 3L * MOV_EAX_4.length;
    }

    private RunResult runToEnd(long until) {
        return runner.run(RunRequest.call(CODE, until, GENEROUS));
    }

    @Test
    void aNullReadStopsAtTheReadingInstruction() {
        long at = load(bytes(0x8b, 0x04, 0x25, 0, 0, 0, 0)); // mov eax, [0]
        RunResult r = runToEnd(at + 11);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.MEMORY_FAULT);
        assertThat(r.accessType()).contains(MemoryAccessType.READ_UNMAPPED);
        assertThat(r.pc()).isEqualTo(at);
        assertThat(uc.readRegister(X86Register.RIP)).isEqualTo(at);
        assertThat(r.dataAddress()).isZero();
    }

    @Test
    void anSseReadOfUnmappedMemoryStopsAtTheReadingInstruction() {
        long at = load(bytes(0x66, 0x0f, 0x6f, 0x04, 0x25, 0, 0, 0x70, 0)); // movdqa xmm0, [0x700000]
        RunResult r = runToEnd(at + 13);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.MEMORY_FAULT);
        assertThat(r.pc()).isEqualTo(at);
        assertThat(r.dataAddress()).isEqualTo(UNMAPPED);
    }

    @Test
    void aWriteToReadOnlyMemoryStopsAtTheWritingInstruction() {
        uc.writeRegister(X86Register.RBX, READ_ONLY);
        long at = load(bytes(0x89, 0x03)); // mov [rbx], eax
        RunResult r = runToEnd(at + 6);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.MEMORY_FAULT);
        assertThat(r.accessType()).contains(MemoryAccessType.WRITE_PROT);
        assertThat(r.pc()).isEqualTo(at);
        assertThat(uc.readRegister(X86Register.RAX))
                .as("the movs before it ran")
                .isEqualTo(4);
    }

    @Test
    void aJumpToUnmappedMemoryStopsAtItsTarget() {
        long at = load(bytes(0x48, 0xc7, 0xc0, 0, 0, 0x70, 0, 0xff, 0xe0)); // mov rax, 0x700000; jmp rax
        RunResult r = runToEnd(at + 13);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.MEMORY_FAULT);
        assertThat(r.accessType()).contains(MemoryAccessType.FETCH_UNMAPPED);
        assertThat(r.pc()).isEqualTo(UNMAPPED);
    }

    @Test
    void aDivisionByZeroStopsAtTheDivision() {
        long at = load(bytes(0x31, 0xc9, 0xf7, 0xf1)); // xor ecx, ecx; div ecx
        RunResult r = runToEnd(at + 8);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.CPU_EXCEPTION);
        assertThat(r.interrupt()).isZero();
        assertThat(r.pc()).isEqualTo(at + 2);
    }

    @Test
    void ud2StopsAtItselfAsAnInvalidInstruction() {
        long at = load(bytes(0x0f, 0x0b));
        RunResult r = runToEnd(at + 6);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.INVALID_INSTRUCTION);
        assertThat(r.pc()).isEqualTo(at);
    }

    @Test
    void int3StopsWithThePcPastItAsTheKernelReportsIt() {
        long at = load(bytes(0xcc));
        RunResult r = runToEnd(at + 5);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.CPU_EXCEPTION);
        assertThat(r.interrupt()).isEqualTo(3);
        assertThat(r.pc()).isEqualTo(at + 1);
    }

    @Test
    void hltIsAGeneralProtectionFaultAtTheHlt() {
        long at = load(bytes(0xf4));
        RunResult r = runToEnd(at + 5);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.CPU_EXCEPTION);
        assertThat(r.interrupt()).isEqualTo(13);
        assertThat(r.pc()).isEqualTo(at);
    }

    @Test
    void aSingleStepRunsExactlyOneInstructionAndDoesNotReportTheBreakpointItLandsOn() {
        load(new byte[0]);
        RunResult r =
                runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, true, Set.of(CODE, CODE + 5), List.of()));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.STEPPED);
        assertThat(r.pc()).isEqualTo(CODE + 5);
        RunResult again =
                runner.run(new RunRequest(CODE + 5, Runner.NO_END, GENEROUS, true, Set.of(CODE + 5), List.of()));
        assertThat(again.pc()).isEqualTo(CODE + 10);
    }

    @Test
    void aResumeFromABreakpointPassesItAndStopsAtTheNextOne() {
        long at = load(new byte[0]);
        RunResult r = runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(CODE, at), List.of()));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.BREAKPOINT);
        assertThat(r.pc()).isEqualTo(at);
        assertThat(uc.readRegister(X86Register.RIP)).isEqualTo(at);
        // The same breakpoints, registered once: the next resume from the breakpoint goes on past it.
        RunResult next = runner.run(new RunRequest(at, at + 4, GENEROUS, false, Set.of(CODE, at), List.of()));
        assertThat(next.cause()).isEqualTo(RunResult.Cause.RETURNED);
    }

    @Test
    void aRemovedBreakpointKeepsAnIdleHookThatNeverStopsARunAndServesItsReturn() {
        long at = load(new byte[0]);
        RunResult hit = runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(at), List.of()));
        assertThat(hit.cause()).isEqualTo(RunResult.Cause.BREAKPOINT);
        // Removed (gdb's z0 at the stop): the hook stays, idle, while code does not run there.
        RunResult before =
                runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(CODE + 5), List.of()));
        assertThat(before.pc()).isEqualTo(CODE + 5);
        assertThat(runner.registeredBreakpointHooks()).isEqualTo(2);
        // Inserted again (the next call's Z0): the kept hook stops the run. The run passed CODE + 5, now idle:
        // that idle hook fired without stopping it, and is deleted.
        RunResult again = runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(at), List.of()));
        assertThat(again.cause()).isEqualTo(RunResult.Cause.BREAKPOINT);
        assertThat(again.pc()).isEqualTo(at);
        assertThat(runner.registeredBreakpointHooks()).isEqualTo(1);
        // Removed, and the code runs through it: no stop there, and its idle hook that fired is deleted.
        RunResult through = runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(at + 2), List.of()));
        assertThat(through.cause()).isEqualTo(RunResult.Cause.BREAKPOINT);
        assertThat(through.pc()).isEqualTo(at + 2);
        assertThat(runner.registeredBreakpointHooks()).isEqualTo(1);
    }

    @Test
    void atMostSixteenIdleBreakpointHooksAreKept() {
        load(new byte[0]);
        Set<Long> many = new java.util.HashSet<>();
        for (int i = 0; i < Runner.MAX_IDLE_BREAKPOINT_HOOKS + 8; i++) {
            many.add(DATA + 0x100 + i); // never executed
        }
        runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, many, List.of()));
        assertThat(runner.registeredBreakpointHooks()).isEqualTo(many.size());
        runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(CODE + 10), List.of()));
        assertThat(runner.registeredBreakpointHooks()).isEqualTo(Runner.MAX_IDLE_BREAKPOINT_HOOKS + 1);
    }

    @Test
    void aWriteWatchpointOnAReadModifyWriteStopsAfterItWithTheStoreDoneOnce() {
        uc.writeLong(DATA + 0x40, 1);
        uc.writeRegister(X86Register.RBX, DATA + 0x40);
        long at = load(bytes(0x83, 0x03, 0x05)); // add dword [rbx], 5
        Watchpoint watch = new Watchpoint(DATA + 0x40, 4, Watchpoint.Kind.WRITE);
        RunResult r = runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(), List.of(watch)));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.WATCHPOINT);
        assertThat(r.dataAddress()).isEqualTo(DATA + 0x40);
        assertThat(r.pc()).as("after the add").isEqualTo(at + 3);
        assertThat(uc.readLong(DATA + 0x40)).isEqualTo(6);
        // Continuing makes progress: the next stop is the end, not the same hit again.
        RunResult next = runner.run(new RunRequest(r.pc(), at + 7, GENEROUS, false, Set.of(), List.of(watch)));
        assertThat(next.cause()).isEqualTo(RunResult.Cause.RETURNED);
        assertThat(uc.readLong(DATA + 0x40)).isEqualTo(6);
    }

    @Test
    void aWatchpointOnAPushStopsAfterThePushWithTheStackPointerMovedOnce() {
        long at = load(bytes(0x50)); // push rax
        Watchpoint watch = new Watchpoint(DATA + 0x7f8, 8, Watchpoint.Kind.WRITE);
        RunResult r = runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(), List.of(watch)));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.WATCHPOINT);
        assertThat(r.pc()).isEqualTo(at + 1);
        assertThat(uc.readRegister(X86Register.RSP)).isEqualTo(DATA + 0x7f8);
        assertThat(uc.readLong(DATA + 0x7f8)).isEqualTo(4);
    }

    @Test
    void aSingleStepOntoAWatchedStoreReportsTheWatchpointAfterIt() {
        uc.writeRegister(X86Register.RBX, DATA + 0x40);
        long at = load(bytes(0x89, 0x03)); // mov [rbx], eax
        Watchpoint watch = new Watchpoint(DATA + 0x40, 4, Watchpoint.Kind.ACCESS);
        runner.run(new RunRequest(CODE, at, GENEROUS, false, Set.of(), List.of(watch)));
        RunResult r = runner.run(new RunRequest(at, Runner.NO_END, GENEROUS, true, Set.of(), List.of(watch)));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.WATCHPOINT);
        assertThat(r.pc()).isEqualTo(at + 2);
        assertThat(uc.readLong(DATA + 0x40)).isEqualTo(4);
    }

    @Test
    void aReadWatchpointIgnoresWritesAndStopsAfterTheRead() {
        uc.writeRegister(X86Register.RBX, DATA + 0x40);
        // mov [rbx], eax ; mov ecx, [rbx]
        long at = load(bytes(0x89, 0x03, 0x8b, 0x0b));
        Watchpoint watch = new Watchpoint(DATA + 0x40, 4, Watchpoint.Kind.READ);
        RunResult r = runner.run(new RunRequest(CODE, Runner.NO_END, GENEROUS, false, Set.of(), List.of(watch)));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.WATCHPOINT);
        assertThat(r.pc()).isEqualTo(at + 4);
        assertThat(uc.readRegister(X86Register.RCX)).isEqualTo(4);
    }

    @Test
    void anInstructionBudgetStopsAfterExactlyThatManyInstructions() {
        load(new byte[0]);
        RunResult r = runner.run(RunRequest.call(CODE, Runner.NO_END, new CallBudget(2, Duration.ofSeconds(30))));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.INSTRUCTION_BUDGET);
        assertThat(r.pc()).isEqualTo(CODE + 10);
    }

    /** jmp $: an endless loop at CODE. */
    private void loadEndlessLoop() {
        uc.writeMemory(CODE, bytes(0xeb, 0xfe));
    }

    @Test
    void aTimeBudgetStopsAnEndlessLoopAtOneOfItsInstructionsAndSaysHowLongItRan() {
        loadEndlessLoop();
        RunResult r = runner.run(RunRequest.call(CODE, Runner.NO_END, new CallBudget(0, Duration.ofMillis(50))));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.TIME_BUDGET);
        assertThat(r.pc()).isEqualTo(CODE);
        assertThat(r.nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void timeBudgetsShorterAndLongerThanTheWatchdogsSleepBothStopTheLoop() {
        loadEndlessLoop();
        for (Duration budget : List.of(Duration.ofMillis(5), Duration.ofMillis(180), Duration.ofMillis(5))) {
            RunResult r = runner.run(RunRequest.call(CODE, Runner.NO_END, new CallBudget(0, budget)));
            assertThat(r.cause()).as("budget %s", budget).isEqualTo(RunResult.Cause.TIME_BUDGET);
            assertThat(r.nanos()).as("budget %s", budget).isGreaterThanOrEqualTo(budget.toNanos());
        }
    }

    @Test
    void anInterruptFromAnotherThreadStopsTheRun() {
        loadEndlessLoop();
        ScheduledExecutorService presser = Executors.newSingleThreadScheduledExecutor();
        presser.scheduleAtFixedRate(runner::interrupt, 100, 50, TimeUnit.MILLISECONDS);
        try {
            RunResult r = runner.run(RunRequest.call(CODE, Runner.NO_END, GENEROUS));
            assertThat(r.cause()).isEqualTo(RunResult.Cause.INTERRUPTED);
            assertThat(r.pc()).isEqualTo(CODE);
        } finally {
            presser.shutdownNow();
        }
    }

    @Test
    void aHookThatThrowsEndsTheRunAsAnError() {
        load(new byte[0]);
        uc.addCodeHook(CODE + 5, CODE + 5, (engine, address, size) -> {
            throw new IllegalStateException("boom");
        });
        RunResult r = runToEnd(CODE + 20);
        assertThat(r.cause()).isEqualTo(RunResult.Cause.ERROR);
        assertThat(r.failure().orElseThrow()).contains("boom");
    }
}
