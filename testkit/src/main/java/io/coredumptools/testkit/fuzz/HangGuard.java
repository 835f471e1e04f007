package io.coredumptools.testkit.fuzz;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs each fuzz input on a worker thread and fails when one takes longer than a bound far above what any input
 * needs (a hang, not a slow input): the bound is generous, so a loaded machine never trips it. A hung worker is
 * abandoned (daemon thread) and replaced, so the failure names the input instead of freezing the run.
 */
public final class HangGuard implements AutoCloseable {
    /** No single input of a parser should come near this, on any machine. */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(20);

    private final Duration bound;
    private ExecutorService worker = newWorker();

    public HangGuard(Duration bound) {
        this.bound = bound;
    }

    public HangGuard() {
        this(DEFAULT_BOUND);
    }

    /**
     * The result of {@code work}, or its exception as thrown; an {@link AssertionError} naming {@code input}
     * when it ran past the bound.
     */
    public <T> T call(String input, Callable<T> work) throws Exception {
        Future<T> result = worker.submit(work);
        try {
            return result.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            throw new AssertionError("hang: no result after " + bound.toSeconds() + " s for input " + input);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** {@link #call} for work without a result. */
    public void run(String input, ThrowingRunnable work) throws Exception {
        call(input, () -> {
            work.run();
            return null;
        });
    }

    /** Work that may throw anything. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-input");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
