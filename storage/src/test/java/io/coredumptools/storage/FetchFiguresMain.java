package io.coredumptools.storage;

import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.servers.RangeHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Not a test: prints fetch-path figures for docs/storage.md (run by storage/fetch-figures.sh). Per store
 * (S3Proxy, the JDK HTTP server) on loopback: cold chunk latency (median and p90 of single-chunk ensures),
 * warm (cached) ensure cost, and bytes fetched for scattered reads of the demo core.
 */
public final class FetchFiguresMain {
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("fetch-figures");
        Path big = TestFiles.randomFile(work.resolve("served/big"), 256L << 20, 1);
        Path core = Fixtures.get(Fixture.DEMO_PIE).core();
        Files.copy(core, work.resolve("served/core"));
        System.out.printf(
                "demo core: %s; random object: %s%n",
                ByteSizes.format(Files.size(core)), ByteSizes.format(Files.size(big)));
        try (RangeHttpServer http = new RangeHttpServer(work.resolve("served"))) {
            report(
                    "http",
                    work.resolve("cache-http"),
                    null,
                    http.url("big").toString(),
                    http.url("core").toString());
        }
        try (S3ProxyServer s3 = S3ProxyServer.start(work.resolve("s3proxy"))) {
            s3.createBucket("figures");
            s3.put("figures", "big", big);
            s3.put("figures", "core", core);
            report("s3proxy", work.resolve("cache-s3"), s3, "s3://figures/big", "s3://figures/core");
        }
    }

    private static void report(String name, Path cache, S3ProxyServer s3, String big, String core) throws Exception {
        for (long chunk : new long[] {64 << 10, 1 << 20, 4 << 20}) {
            StorageConfig.Builder config = StorageConfig.fromEnvironment()
                    .cacheDirectory(cache.resolve("c" + chunk))
                    .chunkSize(chunk)
                    .maxReadAheadChunks(0);
            if (s3 != null) config.s3Endpoint(s3.endpoint()).s3Credentials(s3.credentials());
            try (Storage storage = Storage.create(config.build());
                    LazyFile file = storage.open(big)) {
                Random random = new Random(5);
                long chunks = file.size() / chunk;
                List<Long> cold = new ArrayList<>();
                List<Long> warm = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    long offset = (random.nextLong(chunks)) * chunk + 100;
                    long t0 = System.nanoTime();
                    file.ensure(offset, 8);
                    cold.add(System.nanoTime() - t0);
                }
                random = new Random(5);
                for (int i = 0; i < 60; i++) {
                    long offset = (random.nextLong(chunks)) * chunk + 100;
                    long t0 = System.nanoTime();
                    file.ensure(offset, 8);
                    warm.add(System.nanoTime() - t0);
                }
                System.out.printf(
                        "%-8s chunk %-8s cold ensure median %6.2f ms p90 %6.2f ms | warm (this process) median %5.1f us%n",
                        name, ByteSizes.format(chunk), ms(cold, 50), ms(cold, 90), ms(warm, 50) * 1000);
            }
            try (Storage storage = Storage.create(config.cacheDirectory(cache.resolve("range" + chunk))
                            .build());
                    LazyFile file = storage.open(big)) {
                long t0 = System.nanoTime();
                file.ensure(0, 64L << 20);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(
                        "%-8s chunk %-8s one cold 64 MiB ensure: %5.0f MiB/s (4 parallel fetches)%n",
                        name, ByteSizes.format(chunk), 64 / seconds);
            }
            config.cacheDirectory(cache.resolve("c" + chunk));
            // A second process (here: a second Storage) finds the chunks in the cache: CRC check included.
            try (Storage storage = Storage.create(config.build());
                    LazyFile file = storage.open(big)) {
                Random random = new Random(5);
                long chunks = file.size() / chunk;
                List<Long> reopened = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    long offset = (random.nextLong(chunks)) * chunk + 100;
                    long t0 = System.nanoTime();
                    file.ensure(offset, 8);
                    reopened.add(System.nanoTime() - t0);
                }
                System.out.printf(
                        "%-8s chunk %-8s cached chunk, first use in a new process: median %6.2f ms%n",
                        name, ByteSizes.format(chunk), ms(reopened, 50));
            }
            try (Storage storage = Storage.create(
                            config.cacheDirectory(cache.resolve("core" + chunk)).build());
                    LazyFile file = storage.open(core)) {
                Random random = new Random(9);
                for (int i = 0; i < 20; i++) file.ensure(random.nextLong(file.size() - 64), 64);
                System.out.printf(
                        "%-8s chunk %-8s 20 scattered 64-byte reads of the core: %s fetched (%.1f%% of it)%n",
                        name,
                        ByteSizes.format(chunk),
                        ByteSizes.format(file.stats().bytesFetched()),
                        100.0 * file.stats().bytesFetched() / file.size());
            }
        }
    }

    private static double ms(List<Long> nanos, int percentile) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }
}
