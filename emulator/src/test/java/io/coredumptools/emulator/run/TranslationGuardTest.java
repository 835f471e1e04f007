package io.coredumptools.emulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.unicorn.HookHandle;
import io.coredumptools.emulator.unicorn.MemoryAccessType;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.UnicornRegion;
import io.coredumptools.emulator.unicorn.X86Register;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the translation guard must not change (the instructions it refuses are in {@link AbortingInstructionsTest}):
 * bytes that only look like a refused instruction run, execute permission is still enforced and reported, and
 * code that loses it stops running.
 */
class TranslationGuardTest {
    private static final long CODE = 0x40_0000L;
    private static final long DATA = 0x50_0000L;
    private static final CallBudget GENEROUS = new CallBudget(0, Duration.ofSeconds(30));

    private Unicorn uc;
    private Runner runner;

    @BeforeEach
    void open() {
        uc = Unicorn.openX86_64();
        uc.mapMemory(CODE, 0x1000, MemoryProtection.READ | MemoryProtection.EXEC);
        uc.mapMemory(DATA, 0x1000, MemoryProtection.READ | MemoryProtection.WRITE);
        uc.writeRegister(X86Register.RSP, DATA + 0x800);
        uc.writeRegister(X86Register.RBX, DATA);
        runner = new Runner(uc, SyscallHandler.NONE);
    }

    @AfterEach
    void close() {
        runner.close();
        uc.close();
    }

    private RunResult run(String hex) {
        byte[] code = HexFormat.of().parseHex(hex);
        uc.writeMemory(CODE, code);
        return runner.run(RunRequest.call(CODE, CODE + code.length, GENEROUS));
    }

    @Test
    void aFarCallPatternInsideOtherInstructionsRuns() {
        // push -1; call (the next instruction); mov ecx, 0xd8ff (bytes ff d8 inside its immediate); pop rax; pop rax
        RunResult r = run("6aff" + "e800000000" + "b9ffd80000" + "58" + "58");
        assertThat(r.cause()).isEqualTo(RunResult.Cause.RETURNED);
        assertThat(uc.readRegister(X86Register.RAX)).isEqualTo(-1L);
        assertThat(uc.readRegister(X86Register.RCX)).isEqualTo(0xd8ff);
    }

    @Test
    void aLockPatternInsideOtherInstructionsRuns() {
        // and al, 0xf0; cmp [rbx], al; mov edx, 0x39f0 (bytes f0 39 inside its immediate)
        RunResult r = run("24f0" + "3803" + "baf0390000");
        assertThat(r.cause()).isEqualTo(RunResult.Cause.RETURNED);
        assertThat(uc.readRegister(X86Register.RDX)).isEqualTo(0x39f0);
    }

    @Test
    void aLockedBitTestAndSetOfMemoryRuns() {
        uc.writeRegister(X86Register.RCX, 3);
        RunResult r = run("f00fab0b"); // lock bts [rbx], ecx: lockable, unlike the same on a register
        assertThat(r.cause()).isEqualTo(RunResult.Cause.RETURNED);
        assertThat(uc.readMemory(DATA, 1)[0]).isEqualTo((byte) 8);
    }

    @Test
    void aJumpToMemoryThatIsNotExecutableIsStillAFetchFaultAtItsTarget() {
        RunResult r = run("48c7c300005000" + "ffe3"); // mov rbx, DATA; jmp rbx
        assertThat(r.cause()).isEqualTo(RunResult.Cause.MEMORY_FAULT);
        assertThat(r.accessType()).contains(MemoryAccessType.FETCH_PROT);
        assertThat(r.pc()).isEqualTo(DATA);
    }

    @Test
    void theRegionsReportTheExecutePermissionTheProgramHas() {
        assertThat(uc.regions())
                .extracting(UnicornRegion::begin, UnicornRegion::perms)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(CODE, MemoryProtection.READ | MemoryProtection.EXEC),
                        org.assertj.core.groups.Tuple.tuple(DATA, MemoryProtection.READ | MemoryProtection.WRITE));
    }

    @Test
    void codeThatLosesTheExecutePermissionAfterItRanFaultsTheNextTime() {
        long callee = CODE + 0x1000;
        uc.mapMemory(callee, 0x1000, MemoryProtection.READ | MemoryProtection.EXEC);
        uc.writeMemory(callee, HexFormat.of().parseHex("c3")); // ret
        // mov rax, callee; call rax; nop: the callee's block is translated and kept, not the first one run
        assertThat(run("48c7c000104000" + "ffd0" + "90").cause()).isEqualTo(RunResult.Cause.RETURNED);
        uc.protectMemory(callee, 0x1000, MemoryProtection.READ);
        RunResult r = runner.run(RunRequest.call(CODE, CODE + 10, GENEROUS));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.MEMORY_FAULT);
        assertThat(r.accessType()).contains(MemoryAccessType.FETCH_PROT);
        assertThat(r.pc()).isEqualTo(callee);
    }

    @Test
    void aFarCallOverwrittenByTheRunBeforeItRunsIsNotRefused() {
        uc.protectMemory(CODE, 0x1000, MemoryProtection.READ | MemoryProtection.WRITE | MemoryProtection.EXEC);
        uc.writeMemory(CODE + 0x100, HexFormat.of().parseHex("ffd8")); // call far rax: #UD on a CPU
        // mov word [rip + 0xf7], 0x9090 (two nops over it at +0x100); jmp +0x100
        uc.writeMemory(CODE, HexFormat.of().parseHex("66c705f70000009090" + "e9f2000000"));
        RunResult r = runner.run(RunRequest.call(CODE, CODE + 0x102, GENEROUS));
        assertThat(r.cause()).isEqualTo(RunResult.Cause.RETURNED);
        assertThat(uc.readMemory(CODE + 0x100, 2)).containsExactly(0x90, 0x90);
    }

    @Test
    void aBreakpointOnARefusedInstructionStopsThereFirstAndTheResumeRaisesTheInvalidInstruction() {
        // mov eax, 4 three times; jmp far rbp (refused: #UD on a CPU); nops
        byte[] code = HexFormat.of().parseHex("b804000000b804000000b804000000" + "ffe9" + "90909090");
        uc.writeMemory(CODE, code);
        long refused = CODE + 15;
        RunResult hit =
                runner.run(new RunRequest(CODE, CODE + code.length, GENEROUS, false, Set.of(refused), List.of()));
        assertThat(hit.cause()).isEqualTo(RunResult.Cause.BREAKPOINT);
        assertThat(hit.pc()).isEqualTo(refused);
        assertThat(uc.readRegister(X86Register.RAX)).isEqualTo(4);
        RunResult resumed =
                runner.run(new RunRequest(refused, CODE + code.length, GENEROUS, false, Set.of(refused), List.of()));
        assertThat(resumed.cause()).isEqualTo(RunResult.Cause.INVALID_INSTRUCTION);
        assertThat(resumed.pc()).isEqualTo(refused);
    }

    @Test
    void aFarCallPatternAfterAnInstructionCapstoneCannotDecodeRuns() {
        // mov eax, 4; rdsspq rax (Capstone 4 decodes it not; a CPU without shadow stacks runs it as a nop);
        // mov al, 0xff; fadd st0, st0: bytes ff d8 across two instructions, fetched one by one
        RunResult r = run("b804000000" + "f3480f1ec8" + "b0ff" + "d8c0");
        assertThat(r.cause()).isEqualTo(RunResult.Cause.RETURNED);
        assertThat(uc.readRegister(X86Register.RAX)).isEqualTo(0xff);
    }

    @Test
    void aFarCallPatternAfterAPrefetchCapstoneCannotDecodeRuns() {
        // mov eax, 4; prefetch /7 [rbx] (0f 0d 3b: Capstone 4 decodes it not); mov al, 0xff; fadd st0, st0
        RunResult r = run("b804000000" + "0f0d3b" + "b0ff" + "d8c0");
        assertThat(r.cause()).isEqualTo(RunResult.Cause.RETURNED);
        assertThat(uc.readRegister(X86Register.RAX)).isEqualTo(0xff);
    }

    @Test
    void aFarCallPatternAfterAnInstructionCapstoneCannotDecodeWithAMemoryOperandRuns() {
        // mov eax, 4; nop dword [0x500000] through a SIB with no base (0f 1e 0c 25 disp32); rdsspd edx (f3 0f 1e ca);
        // mov al, 0xff; fadd st0, st0
        RunResult r = run("b804000000" + "0f1e0c2500005000" + "f30f1eca" + "b0ff" + "d8c0");
        assertThat(r.cause()).isEqualTo(RunResult.Cause.RETURNED);
        assertThat(uc.readRegister(X86Register.RAX)).isEqualTo(0xff);
    }

    @Test
    void codeBytesChangedInHostMemoryDuringTheRunAreJudgedAsTheyAreNow() {
        long host = 0x60_0000L;
        Memory backing = new Memory(0x2000);
        Pointer page = backing.align(0x1000);
        page.write(0, HexFormat.of().parseHex("90" + "e9fa000000"), 0, 6); // nop; jmp +0x100
        page.write(0x100, HexFormat.of().parseHex("ffd8"), 0, 2); // call far rax: #UD on a CPU
        uc.mapMemoryPointer(host, 0x1000, MemoryProtection.READ | MemoryProtection.EXEC, Pointer.nativeValue(page));
        // The nop's hook writes two nops over them in the host memory, unseen by the engine's API.
        HookHandle overwrite =
                uc.addCodeHook(host, host, (engine, address, size) -> page.setShort(0x100, (short) 0x9090));
        try {
            RunResult r = runner.run(RunRequest.call(host, host + 0x102, GENEROUS));
            assertThat(r.cause()).isEqualTo(RunResult.Cause.RETURNED);
        } finally {
            uc.removeHook(overwrite);
            uc.unmapMemory(host, 0x1000);
        }
    }
}
