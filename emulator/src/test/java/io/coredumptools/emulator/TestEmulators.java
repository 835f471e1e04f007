package io.coredumptools.emulator;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Emulators over fixture cores for tests. Their time budget is generous: a loaded CI machine must not turn
 * a slow first translation into a budget fault; the tests about budgets set their own.
 */
final class TestEmulators {
    static final CallBudget GENEROUS = new CallBudget(0, Duration.ofSeconds(30));

    private TestEmulators() {}

    static Emulator open(Fixture fixture) throws Exception {
        return Emulator.open(
                Fixtures.get(fixture).core(), EmulatorOptions.defaults().withBudget(GENEROUS));
    }

    /**
     * @param debugFiles false: debug lookup points at {@code emptyDebugDir}, as on a machine without libc6-dbg
     */
    static Emulator open(Fixture fixture, boolean debugFiles, Path emptyDebugDir, boolean lockBypass) throws Exception {
        CoreOptions core = debugFiles
                ? CoreOptions.defaults()
                : CoreOptions.defaults().withSystemDebugDir(null).withDebugDirs(List.of(emptyDebugDir));
        return Emulator.open(
                Fixtures.get(fixture).core(),
                EmulatorOptions.defaults()
                        .withCore(core)
                        .withLockBypass(lockBypass)
                        .withBudget(GENEROUS));
    }
}
