package io.coredumptools.benchmarks;

import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.Emulator;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code restoreCrashImage()} on the BIGMEM core (2 GiB of heap): after a call that dirtied a few pages
 * ({@code memset} over {@code pages} pages of the heap, in keep-state mode so the call does not restore by
 * itself; the call's own stack adds a page or two), and with nothing dirtied since the last restore. Only
 * the restore is timed: the call is an invocation-level setup.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class RestoreBenchmark {
    private static final long PAGE = 4096;

    /** Pages memset by the call; with its stack pages the call dirties at most 100. */
    @Param("96")
    public int pages;

    private Emulator emulator;
    private long memset;
    private long heap;
    private long original;

    @Setup(Level.Trial)
    public void open() throws Exception {
        emulator = Emulator.open(BenchCores.bigmem(), BenchCores.options(true, false));
        LoadSegment segment = BenchCores.largestWritableSegment(emulator);
        if (segment.memorySize() < (pages + 2) * PAGE) {
            throw new IllegalStateException("the largest writable segment is too small: " + segment);
        }
        // Past malloc's chunk header page; page-aligned.
        heap = segment.vaddr() + PAGE;
        memset = emulator.resolveFunction("memset");
        original = emulator.readLong(heap);
        dirty();
        if (emulator.readLong(heap + (pages - 1) * PAGE) != 0x5a5a5a5a5a5a5a5aL) {
            throw new IllegalStateException("memset did not write the heap");
        }
        emulator.restoreCrashImage();
        if (emulator.readLong(heap) != original) {
            throw new IllegalStateException("restoreCrashImage() did not revert the heap");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        emulator.close();
    }

    /** State for the benchmark that dirties pages before each restore. */
    @State(Scope.Thread)
    public static class Dirtied {
        @Setup(Level.Invocation)
        public void dirty(RestoreBenchmark bench) throws Exception {
            bench.dirty();
        }
    }

    void dirty() throws Exception {
        emulator.call(memset, Argument.of(heap), Argument.of(0x5a), Argument.of(pages * PAGE));
    }

    @Benchmark
    public void restoreAfterMemset(Dirtied dirtied) {
        emulator.restoreCrashImage();
    }

    @Benchmark
    public void restoreUnchanged() {
        emulator.restoreCrashImage();
    }
}
