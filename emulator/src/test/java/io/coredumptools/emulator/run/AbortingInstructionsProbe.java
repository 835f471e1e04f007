package io.coredumptools.emulator.run;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Runs, in its own JVM, code holding the instructions that make unicorn 2.0.1 abort the process while it translates
 * them (see {@code TranslationGuard}), and prints one line per case: its name, how the run ended, where, and rax.
 * Without the guard the JVM dies at the first case ({@code tcg fatal error}, SIGABRT).
 */
public final class AbortingInstructionsProbe {
    static final long CODE = 0x40_0000L;
    static final long DATA = 0x50_0000L;
    /** mov eax, 4, three times: instructions that run before the one under test, in the same block. */
    static final String MOVS = "b804000000b804000000b804000000";

    static final String NOPS = "90909090";

    private AbortingInstructionsProbe() {}

    /** name, code (hex), and whether to single-step through it instead of one run. */
    static final List<String[]> CASES = List.of(
            new String[] {"far-jump-through-register-after-movs", MOVS + "ffe9" + NOPS, "run"},
            new String[] {"far-call-through-register-first", "ffd8" + NOPS, "run"},
            new String[] {"far-call-with-rex-w", MOVS + "48ffdc" + NOPS, "run"},
            new String[] {"far-jump-with-operand-size", MOVS + "66ffef" + NOPS, "run"},
            new String[] {"lock-cmp-memory", MOVS + "f0390b" + NOPS, "run"},
            new String[] {"lock-cmpsw-after-operand-size", MOVS + "66f0a7" + NOPS, "run"},
            new String[] {"lock-cmp-byte-with-segment", MOVS + "f02e3803" + NOPS, "run"},
            new String[] {"lock-bts-of-register", MOVS + "f00fabc8" + NOPS, "run"},
            new String[] {"lock-btc-of-register-by-immediate-with-rex", MOVS + "f0480fbaf905" + NOPS, "run"},
            new String[] {"far-jump-stepped-onto", MOVS + "ffe9" + NOPS, "step"});

    public static void main(String[] args) {
        for (String[] c : CASES) {
            System.out.println(c[0] + " " + run(c[1], c[2].equals("step")));
            System.out.flush();
        }
        // The same code twice in one engine: the second run must translate it afresh, and refuse it again.
        try (Unicorn uc = engine();
                Runner runner = new Runner(uc, SyscallHandler.NONE)) {
            byte[] code = HexFormat.of().parseHex(MOVS + "ffe9" + NOPS);
            uc.writeMemory(CODE, code);
            String first = describe(uc, runner.run(RunRequest.call(CODE, CODE + code.length, budget())));
            uc.writeRegister(X86Register.RAX, 0);
            String second = describe(uc, runner.run(RunRequest.call(CODE, CODE + code.length, budget())));
            System.out.println("twice-in-one-engine " + first + " / " + second);
        }
        // Written by the run on a writable code page after the guard read it: two nops become call far rax.
        try (Unicorn uc = engine();
                Runner runner = new Runner(uc, SyscallHandler.NONE)) {
            uc.protectMemory(CODE, 0x1000, MemoryProtection.READ | MemoryProtection.WRITE | MemoryProtection.EXEC);
            uc.writeMemory(CODE + 0x100, HexFormat.of().parseHex(NOPS));
            // mov word [rip + 0xf7], 0xd8ff (bytes ff d8 at +0x100); jmp +0x100
            uc.writeMemory(CODE, HexFormat.of().parseHex("66c705f7000000ffd8" + "e9f2000000"));
            RunResult r = runner.run(RunRequest.call(CODE, CODE + 0x104, budget()));
            System.out.println("far-call-written-by-the-run " + describe(uc, r));
        }
    }

    private static Unicorn engine() {
        Unicorn uc = Unicorn.openX86_64();
        uc.mapMemory(CODE, 0x1000, MemoryProtection.READ | MemoryProtection.EXEC);
        uc.mapMemory(DATA, 0x1000, MemoryProtection.READ | MemoryProtection.WRITE);
        uc.writeRegister(X86Register.RSP, DATA + 0x800);
        uc.writeRegister(X86Register.RBX, DATA);
        uc.writeRegister(X86Register.RSI, DATA);
        uc.writeRegister(X86Register.RDI, DATA + 0x100);
        return uc;
    }

    private static CallBudget budget() {
        return new CallBudget(0, Duration.ofSeconds(30));
    }

    private static String run(String hex, boolean step) {
        try (Unicorn uc = engine();
                Runner runner = new Runner(uc, SyscallHandler.NONE)) {
            byte[] code = HexFormat.of().parseHex(hex);
            uc.writeMemory(CODE, code);
            if (!step) {
                return describe(uc, runner.run(RunRequest.call(CODE, CODE + code.length, budget())));
            }
            long pc = CODE;
            for (int i = 0; i < 8; i++) {
                RunResult r = runner.run(new RunRequest(pc, Runner.NO_END, budget(), true, Set.of(), List.of()));
                if (r.cause() != RunResult.Cause.STEPPED) {
                    return describe(uc, r) + " after " + i + " steps";
                }
                pc = r.pc();
            }
            return "no stop in 8 steps";
        }
    }

    private static String describe(Unicorn uc, RunResult r) {
        return r.cause() + " at +0x" + Long.toHexString(r.pc() - CODE) + " rip +0x"
                + Long.toHexString(uc.readRegister(X86Register.RIP) - CODE) + " rax="
                + uc.readRegister(X86Register.RAX);
    }
}
