package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.patches.Patch;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The first connection gets the engine that decided the patches (LoadedCore keeps it instead of unmapping it):
 * it must be indistinguishable from the engines later connections get.
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
        try (LoadedCore core = LoadedCore.open(Fixtures.get(Fixture.DEMO_PIE).core(), options());
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
}
