package io.coredumptools.benchmarks;

import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The cores the benchmarks run on: {@code -Dbench.demo.core=PATH} and {@code -Dbench.bigmem.core=PATH} when
 * given (scripts/bench-jmh.sh resolves them once, before JMH forks), else the testkit fixtures DEMO_PIE and
 * BIGMEM (built on first use; BIGMEM's size is {@code -Dbigmem.mib}, default 2048).
 *
 * <p>{@code java -cp benchmarks.jar io.coredumptools.benchmarks.BenchCores} prints {@code demo=PATH} and
 * {@code bigmem=PATH}, building what is missing.
 */
public final class BenchCores {
    private BenchCores() {}

    public static Path demo() {
        return configured("bench.demo.core", Fixture.DEMO_PIE);
    }

    public static Path bigmem() {
        return configured("bench.bigmem.core", Fixture.BIGMEM);
    }

    private static Path configured(String property, Fixture fixture) {
        String path = System.getProperty(property);
        if (path != null && !path.isBlank()) {
            return Path.of(path);
        }
        return Fixtures.get(fixture).core();
    }

    /** Options with stdio flushing on or off (on is the default: one more call, fflush(NULL), per call). */
    public static EmulatorOptions options(boolean keepState, boolean flushStdio) {
        EmulatorOptions d = EmulatorOptions.defaults();
        return new EmulatorOptions(d.core(), d.lockBypass(), d.budget(), keepState, flushStdio);
    }

    /** The largest writable segment of the core: bigmem's malloc'd block. */
    public static LoadSegment largestWritableSegment(Emulator emulator) {
        return emulator.core().segments().stream()
                .filter(s -> s.permissions().length() > 1 && s.permissions().charAt(1) == 'w')
                .max(Comparator.comparingLong(LoadSegment::memorySize))
                .orElseThrow(() -> new IllegalStateException("the core has no writable segment"));
    }

    public static void main(String[] args) {
        System.out.println("demo=" + demo().toAbsolutePath());
        System.out.println("bigmem=" + bigmem().toAbsolutePath());
    }
}
