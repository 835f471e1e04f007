package io.coredumptools.benchmarks;

import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code Emulator.open} then {@code close} (in a warm JVM): parsing the core, mapping it lazily, running
 * the IFUNC resolvers and applying the load-time patches.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class OpenBenchmark {
    @Param({"demo", "bigmem"})
    public String core;

    private Path path;

    @Setup(Level.Trial)
    public void resolve() {
        path = core.equals("demo") ? BenchCores.demo() : BenchCores.bigmem();
    }

    @Benchmark
    public int openAndClose() throws Exception {
        try (Emulator emulator = Emulator.open(path, EmulatorOptions.defaults())) {
            return emulator.threads().size();
        }
    }
}
