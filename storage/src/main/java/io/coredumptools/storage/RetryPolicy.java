package io.coredumptools.storage;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries transient failures ({@link IOException}s) with exponential backoff and jitter; definite answers
 * ({@link StorageException}) are never retried. Bounded: at most {@code attempts} tries, each delay at most
 * {@code maxBackoff}.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(3));

    public RetryPolicy {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("negative backoff");
        }
    }

    @FunctionalInterface
    interface Attempt<T> {
        T run() throws IOException, StorageException;
    }

    /**
     * Runs {@code attempt} until it succeeds or fails definitely.
     *
     * @param what e.g. "bytes 0x100000-0x1fffff", for the final error
     * @param counters counts requests and retries, or null
     */
    <T> T run(String location, String what, FetchCounters counters, Attempt<T> attempt) throws StorageException {
        IOException last = null;
        long delayNanos = initialBackoff.toNanos();
        for (int i = 1; i <= attempts; i++) {
            if (counters != null) counters.request();
            try {
                return attempt.run();
            } catch (IOException e) {
                last = e;
            }
            if (i == attempts) break;
            if (counters != null) counters.retry();
            long jittered = delayNanos / 2 + ThreadLocalRandom.current().nextLong(delayNanos / 2 + 1);
            try {
                Thread.sleep(jittered / 1_000_000, (int) (jittered % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(StorageException.Reason.UNAVAILABLE, location, what + ": interrupted");
            }
            delayNanos = Math.min(delayNanos * 3, maxBackoff.toNanos());
        }
        throw new StorageException(
                StorageException.Reason.UNAVAILABLE,
                location,
                "cannot read " + what + " after " + attempts + " attempts: " + describe(last)
                        + "; check that the store is running and reachable",
                last);
    }

    static String describe(Throwable e) {
        // The innermost message is the useful one ("Connection refused"), the outer ones wrap it.
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String message = t.getMessage();
        String outer = e.getMessage();
        if (message == null || message.isBlank()) message = outer;
        return (message == null || message.isBlank()) ? t.getClass().getSimpleName() : message;
    }
}
