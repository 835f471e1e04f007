package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.patches.Patch;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load-time patches as a debugger sees them, on the demo core's real patches: the crash bytes where the engine
 * holds the patch, what was written elsewhere, and a write of the crash bytes (a breakpoint's shadow put back) keeps
 * the patch in the engine.
 */
class PatchedLocationsTest {
    private static LoadedCore core;
    private static Patch slot;

    @BeforeAll
    static void load() throws Exception {
        core = LoadedCore.open(Fixtures.get(Fixture.DEMO_PIE).core(), EmulatorOptions.defaults());
        slot = core.plan().patches().stream()
                .filter(p -> p.kind() == Patch.Kind.GOT_SLOT)
                .findFirst()
                .orElseThrow();
    }

    @AfterAll
    static void unload() {
        core.close();
    }

    @Test
    void theEnginesPatchReadsAsTheCrashBytesAndAWriteShowsAsWritten() {
        PatchedLocations patches = core.patchedLocations();
        assertThat(patches.count()).isPositive();
        byte[] engine = slot.newBytes();
        patches.showCrashBytes(slot.address(), engine);
        assertThat(engine).isEqualTo(slot.oldBytes());

        // A read that starts inside the slot and goes past it: only the slot's bytes change.
        byte[] tail = new byte[12];
        Arrays.fill(tail, (byte) 0x5a);
        System.arraycopy(slot.newBytes(), 3, tail, 0, slot.length() - 3);
        patches.showCrashBytes(slot.address() + 3, tail);
        assertThat(Arrays.copyOf(tail, slot.length() - 3))
                .isEqualTo(Arrays.copyOfRange(slot.oldBytes(), 3, slot.length()));
        assertThat(tail[slot.length() - 3]).isEqualTo((byte) 0x5a);

        // Written by the debugger or a call: another value shows as it is.
        byte[] written = new byte[slot.length()];
        Arrays.fill(written, (byte) 0x11);
        byte[] shown = written.clone();
        patches.showCrashBytes(slot.address(), shown);
        assertThat(shown).isEqualTo(written);
    }

    @Test
    void writingTheCrashBytesBackKeepsThePatchAndOtherBytesAreWrittenAsGiven() {
        PatchedLocations patches = core.patchedLocations();
        assertThat(patches.toEngine(slot.address(), slot.oldBytes())).isEqualTo(slot.newBytes());
        byte[] breakpoint = {(byte) 0xcc};
        assertThat(patches.toEngine(slot.address(), breakpoint)).containsExactly((byte) 0xcc);
        byte[] elsewhere = {1, 2, 3};
        assertThat(patches.toEngine(slot.address() + slot.length() + 64, elsewhere))
                .isSameAs(elsewhere);
    }

    @Test
    void aSessionShowsTheCrashBytesBeforeAndAfterItBuildsItsEngine() {
        try (EmulatedTarget target = new EmulatedTarget(
                core, new io.coredumptools.emulator.CallBudget(0, java.time.Duration.ofSeconds(5)), true, 10)) {
            assertThat(target.memory().read(slot.address(), slot.length())).isEqualTo(slot.oldBytes());
            assertThat(target.engineBuilt()).isFalse();
            // The debugger writes back what it was shown: the engine keeps the patch, reads still show the crash.
            target.memory().write(slot.address(), slot.oldBytes());
            assertThat(target.engineBuilt()).isTrue();
            assertThat(target.memory().read(slot.address(), slot.length())).isEqualTo(slot.oldBytes());
            assertThat(target.builtEngine().orElseThrow().read(slot.address(), slot.length()))
                    .as("what the engine holds (and runs)")
                    .isEqualTo(slot.newBytes());
            byte[] value = new byte[slot.length()];
            Arrays.fill(value, (byte) 0x22);
            target.memory().write(slot.address(), value);
            assertThat(target.memory().read(slot.address(), slot.length())).isEqualTo(value);
        }
    }
}
