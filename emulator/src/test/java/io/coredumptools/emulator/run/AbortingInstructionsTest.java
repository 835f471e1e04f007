package io.coredumptools.emulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.ChildJvm;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.ExternalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instructions that unicorn 2.0.1 cannot translate without aborting the process ("tcg fatal error": a corrupt core
 * killed a whole server that way, issue 11) stop as the CPU stops on them: SIGILL at the instruction, after the
 * instructions before it in its block ran. Run in a child JVM ({@link AbortingInstructionsProbe}), since without the
 * guard the first of them kills the JVM that runs it.
 */
class AbortingInstructionsTest {
    @TempDir
    Path dir;

    @Test
    void eachStopsAsAnInvalidInstructionAtItselfAndTheProcessLives() {
        CommandResult result = ExternalCommand.run(
                ChildJvm.command(AbortingInstructionsProbe.class, List.of()), dir, Duration.ofMinutes(5));
        assertThat(result.stderr()).doesNotContain("tcg fatal error");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        String atTheInstruction = "INVALID_INSTRUCTION at +0xf rip +0xf rax=4";
        assertThat(result.stdout().lines())
                .containsExactly(
                        "far-jump-through-register-after-movs " + atTheInstruction,
                        "far-call-through-register-first INVALID_INSTRUCTION at +0x0 rip +0x0 rax=0",
                        "far-call-with-rex-w " + atTheInstruction,
                        "far-jump-with-operand-size " + atTheInstruction,
                        "lock-cmp-memory " + atTheInstruction,
                        "lock-cmpsw-after-operand-size " + atTheInstruction,
                        "lock-cmp-byte-with-segment " + atTheInstruction,
                        "lock-bts-of-register " + atTheInstruction,
                        "lock-btc-of-register-by-immediate-with-rex " + atTheInstruction,
                        "far-jump-stepped-onto " + atTheInstruction + " after 3 steps",
                        "twice-in-one-engine " + atTheInstruction + " / " + atTheInstruction,
                        "far-call-written-by-the-run INVALID_INSTRUCTION at +0x100 rip +0x100 rax=0");
    }
}
