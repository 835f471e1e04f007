package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.patches.Patch;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first connection gets the engine that decided the patches (LoadedCore keeps it instead of unmapping it):
 * it must be indistinguishable from the engines later connections get. The patches are planned on a thread of their
 * own: a session reads before they are done, and what needs an engine waits for them.
 */
class LoadedCoreTest {
    private static EmulatorOptions options() {
        return EmulatorOptions.defaults().withBudget(new CallBudget(0, Duration.ofSeconds(30)));
    }

    private static Patch patch(LoadedCore core) {
        return core.plan().patches().get(0);
    }

    @Test
    void theFirstConnectionsEngineIsAtTheCrashImageWithThePatchesLikeAnyOther() throws Exception {
        try (LoadedCore core = LoadedCore.open(
                        Fixtures.get(Fixture.DEMO_PIE).core(), options(), Runnable::run, PatchPlanCache.off());
                Emulator first = core.newEmulator();
                Emulator second = core.newEmulator()) {
            assertThat(first).isNotSameAs(second);
            assertThat(core.plan().patches()).isNotEmpty();
            for (Patch patch : core.plan().patches()) {
                assertThat(first.read(patch.address(), patch.newBytes().length))
                        .as("patch at 0x%x", patch.address())
                        .isEqualTo(patch.newBytes())
                        .isEqualTo(second.read(patch.address(), patch.newBytes().length));
            }
            // demo.c's counter is 42 at the crash: next_id() answers 43 on both, the same result bytes.
            assertThat(first.call("next_id").asInt()).isEqualTo(43);
            assertThat(second.call("next_id").asInt()).isEqualTo(43);
            // A call that changed memory is undone for the next connection's start, as on any engine.
            first.write(patch(core).address(), patch(core).oldBytes());
            first.restoreCrashImage();
            assertThat(first.read(patch(core).address(), patch(core).newBytes().length))
                    .isEqualTo(patch(core).newBytes());
        }
    }

    @Test
    void aSessionReadsTheCoreWhileThePatchesAreStillPlannedAndItsEngineWaitsForThem() throws Exception {
        List<Runnable> heldPlanning = new ArrayList<>();
        LoadedCore core = LoadedCore.open(
                Fixtures.get(Fixture.DEMO_PIE).core(), options(), heldPlanning::add, PatchPlanCache.off());
        try {
            assertThat(heldPlanning)
                    .as("the planning is handed to its executor, not run by open")
                    .hasSize(1);
            LoadSegment segment = core.core().segments().stream()
                    .filter(s -> s.fileSize() > 0)
                    .findFirst()
                    .orElseThrow();
            // A hang here (the planning never runs while it is held) fails the test instead of blocking it.
            EmulatedTarget session = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
                EmulatedTarget target = new EmulatedTarget(core, options().budget(), true, 16);
                assertThat(target.memory().read(segment.vaddr(), 64))
                        .isEqualTo(core.crashImage().read(segment.vaddr(), 64))
                        .hasSize(64);
                return target;
            });
            try (session) {
                assertThat(session.engineBuilt()).isFalse();
                CompletableFuture<Emulator> engine = CompletableFuture.supplyAsync(core::newEmulator);
                // The planning has not run: nothing can have made the engine yet.
                assertThat(engine).isNotDone();
                heldPlanning.remove(0).run();
                try (Emulator first = engine.get(2, TimeUnit.MINUTES)) {
                    assertThat(core.plan().patches()).isNotEmpty();
                    Patch patch = patch(core);
                    assertThat(first.read(patch.address(), patch.length())).isEqualTo(patch.newBytes());
                    assertThat(first.call("next_id").asInt()).isEqualTo(43);
                }
            }
        } finally {
            heldPlanning.forEach(Runnable::run);
            core.close();
        }
    }
}
