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
        PatchedLocations.EngineBytes intact = engineHolding(slot.newBytes());
        byte[] engine = slot.newBytes();
        patches.showCrashBytes(slot.address(), engine, intact);
        assertThat(engine).isEqualTo(slot.oldBytes());

        // A read that starts inside the slot and goes past it: only the slot's bytes change.
        byte[] tail = new byte[12];
        Arrays.fill(tail, (byte) 0x5a);
        System.arraycopy(slot.newBytes(), 3, tail, 0, slot.length() - 3);
        patches.showCrashBytes(slot.address() + 3, tail, intact);
        assertThat(Arrays.copyOf(tail, slot.length() - 3))
                .isEqualTo(Arrays.copyOfRange(slot.oldBytes(), 3, slot.length()));
        assertThat(tail[slot.length() - 3]).isEqualTo((byte) 0x5a);

        // A value that shares all but one byte with the patch is not the patch: it shows whole, never mixed.
        byte[] nearlyThePatch = slot.newBytes();
        nearlyThePatch[0] ^= 0x40;
        byte[] shown = nearlyThePatch.clone();
        patches.showCrashBytes(slot.address(), shown, engineHolding(nearlyThePatch));
        assertThat(shown).isEqualTo(nearlyThePatch);
    }

    @Test
    void writingTheCrashBytesBackKeepsThePatchAndOtherValuesAreWrittenWhole() {
        PatchedLocations patches = core.patchedLocations();
        PatchedLocations.EngineBytes intact = engineHolding(slot.newBytes());
        PatchedLocations.EngineWrite back = patches.toEngine(slot.address(), slot.oldBytes(), intact);
        assertThat(back.address()).isEqualTo(slot.address());
        assertThat(back.bytes()).isEqualTo(slot.newBytes());

        // A breakpoint byte drops the patch: the engine then holds the process's bytes over all of it.
        PatchedLocations.EngineWrite breakpoint = patches.toEngine(slot.address(), new byte[] {(byte) 0xcc}, intact);
        byte[] expected = slot.oldBytes();
        expected[0] = (byte) 0xcc;
        assertThat(breakpoint.bytes()).isEqualTo(expected);

        byte[] elsewhere = {1, 2, 3};
        assertThat(patches.toEngine(slot.address() + slot.length() + 64, elsewhere, intact)
                        .bytes())
                .isSameAs(elsewhere);
    }

    /** An engine whose bytes at the slot are {@code atSlot}, and 0x77 around it. */
    private static PatchedLocations.EngineBytes engineHolding(byte[] atSlot) {
        return (address, length) -> {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                long at = address + i - slot.address();
                out[i] = at >= 0 && at < atSlot.length ? atSlot[(int) at] : 0x77;
            }
            return out;
        };
    }

    @Test
    void aValueThatSharesBytesWithThePatchOrTheCrashIsHeldAndShownExactlyAsWritten() {
        try (EmulatedTarget target = new EmulatedTarget(
                core, new io.coredumptools.emulator.CallBudget(0, java.time.Duration.ofSeconds(5)), true, 10)) {
            // An address near the crash value (the review's case): all bytes but the first are the crash image's.
            byte[] nearTheCrash = slot.oldBytes();
            nearTheCrash[0] ^= 0x40;
            target.memory().write(slot.address(), nearTheCrash);
            assertThat(target.builtEngine().orElseThrow().read(slot.address(), slot.length()))
                    .as("what the engine holds (and a call through the slot uses)")
                    .isEqualTo(nearTheCrash);
            assertThat(target.memory().read(slot.address(), slot.length())).isEqualTo(nearTheCrash);

            byte[] nearThePatch = slot.newBytes();
            nearThePatch[0] ^= 0x40;
            target.memory().write(slot.address(), nearThePatch);
            assertThat(target.builtEngine().orElseThrow().read(slot.address(), slot.length()))
                    .isEqualTo(nearThePatch);
            assertThat(target.memory().read(slot.address(), slot.length())).isEqualTo(nearThePatch);

            // A breakpoint on the slot's first byte, then its shadow put back: the patch is whole again.
            target.memory().write(slot.address(), slot.oldBytes());
            target.memory().write(slot.address(), new byte[] {(byte) 0xcc});
            byte[] withBreakpoint = slot.oldBytes();
            withBreakpoint[0] = (byte) 0xcc;
            assertThat(target.memory().read(slot.address(), slot.length())).isEqualTo(withBreakpoint);
            target.memory().write(slot.address(), new byte[] {slot.oldBytes()[0]});
            assertThat(target.memory().read(slot.address(), slot.length())).isEqualTo(slot.oldBytes());
            assertThat(target.builtEngine().orElseThrow().read(slot.address(), slot.length()))
                    .isEqualTo(slot.newBytes());
        }
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
