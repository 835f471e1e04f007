package io.coredumptools.benchmarks;

import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallFailedException;
import io.coredumptools.emulator.Emulator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Calls through the Java API on the DEMO_PIE core: {@code next_id()} (a trivial call) and
 * {@code list_sum(list_head)} (a 100 000-node list walk), each per call, median of sampled calls.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CallBenchmark {

    /** An emulator on the demo core; subclasses choose the options. */
    public abstract static class DemoCore {
        Emulator emulator;
        long listHead;

        abstract boolean keepState();

        abstract boolean flushStdio();

        @Setup(Level.Trial)
        public void open() throws Exception {
            emulator = Emulator.open(BenchCores.demo(), BenchCores.options(keepState(), flushStdio()));
            int first = emulator.call("next_id").asInt();
            if (first != 43) {
                throw new IllegalStateException(
                        "next_id() returned " + first + " on the first call, not 43 (counter is 42 in the core)");
            }
            listHead = emulator.readLong(
                    emulator.symbols().lookup("list_head").orElseThrow().address());
        }

        @TearDown(Level.Trial)
        public void close() {
            emulator.close();
        }
    }

    /** Keep-state: calls chain on the changed state, no restore between them. */
    @State(Scope.Benchmark)
    public static class KeepState extends DemoCore {
        @Override
        boolean keepState() {
            return true;
        }

        @Override
        boolean flushStdio() {
            return true;
        }
    }

    /** Keep-state without the fflush(NULL) the API runs after each call by default. */
    @State(Scope.Benchmark)
    public static class KeepStateNoFlush extends DemoCore {
        @Override
        boolean keepState() {
            return true;
        }

        @Override
        boolean flushStdio() {
            return false;
        }
    }

    /** The defaults: every call starts from the crash image (the restore is part of the call). */
    @State(Scope.Benchmark)
    public static class FromCrashImage extends DemoCore {
        @Override
        boolean keepState() {
            return false;
        }

        @Override
        boolean flushStdio() {
            return true;
        }
    }

    @Benchmark
    public long nextIdKeepState(KeepState demo) throws CallFailedException {
        return demo.emulator.call("next_id").rax();
    }

    @Benchmark
    public long nextIdKeepStateNoFlush(KeepStateNoFlush demo) throws CallFailedException {
        return demo.emulator.call("next_id").rax();
    }

    @Benchmark
    public long nextIdFromCrashImage(FromCrashImage demo) throws CallFailedException {
        long id = demo.emulator.call("next_id").rax();
        if (id != 43) {
            throw new IllegalStateException("next_id() returned " + id + " from the crash image, not 43");
        }
        return id;
    }

    @Benchmark
    public long listSumKeepState(KeepState demo) throws CallFailedException {
        return demo.emulator.call("list_sum", Argument.of(demo.listHead)).rax();
    }
}
