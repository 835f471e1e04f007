package io.coredumptools.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.servers.RangeHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote files over plain HTTP range requests, from a real HTTP server on loopback. */
class HttpStorageTest {
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path temp;

    private Path served;
    private RangeHttpServer server;
    private Storage storage;

    @BeforeEach
    void start() throws Exception {
        served = Files.createDirectories(temp.resolve("served"));
        server = new RangeHttpServer(served);
        storage = newStorage(temp.resolve("cache"));
    }

    private Storage newStorage(Path cache) throws StorageException {
        return Storage.create(StorageConfig.fromEnvironment()
                .cacheDirectory(cache)
                .chunkSize(CHUNK)
                .maxParallelFetches(2)
                .build());
    }

    @AfterEach
    void stop() {
        storage.close();
        server.close();
    }

    @Test
    void scatteredReadsOfARealCoreEqualTheLocalFileAndFetchOnlyTheirChunks() throws Exception {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        Files.copy(demo.core(), served.resolve("core"));
        byte[] local = Files.readAllBytes(demo.core());
        Random random = new Random(42);
        Set<Long> chunks = new HashSet<>();
        try (LazyFile core = storage.open(server.url("core").toString())) {
            assertThat(core.size()).isEqualTo(local.length);
            assertThat(core.isComplete()).isFalse();
            for (int i = 0; i < 12; i++) {
                long offset = (long) random.nextInt(local.length - 100);
                int length = 1 + random.nextInt(100);
                assertThat(TestFiles.read(core, offset, length))
                        .as("bytes at %d", offset)
                        .isEqualTo(Arrays.copyOfRange(local, (int) offset, (int) offset + length));
                for (long c = offset / CHUNK; c <= (offset + length - 1) / CHUNK; c++) chunks.add(c);
            }
            FetchStats stats = core.stats();
            assertThat(stats.chunksFetched()).isEqualTo(chunks.size());
            assertThat(stats.bytesFetched()).isLessThanOrEqualTo((long) chunks.size() * CHUNK);
            assertThat(stats.bytesFetched()).isLessThan(local.length / 4);
            assertThat(stats.cacheMisses()).isEqualTo(chunks.size());
            assertThat(stats.cacheHits()).isZero();
        }
        // Every chunk request carried If-Match with the ETag the server gave, on few keep-alive connections.
        assertThat(server.chunkRequests()).hasSize(chunks.size()).allSatisfy(r -> {
            assertThat(r.ifMatch()).startsWith("\"");
            assertThat(r.status()).isEqualTo(206);
        });
        assertThat(server.connections().size()).isLessThanOrEqualTo(3);
    }

    @Test
    void wholeProgramReadThroughTheCacheFileIsByteForByteTheLocalOne() throws Exception {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        Files.copy(demo.program(), served.resolve("demo"));
        try (LazyFile program = storage.open(server.url("demo").toString())) {
            program.ensure(0, program.size());
            assertThat(Files.readAllBytes(program.localPath())).isEqualTo(Files.readAllBytes(demo.program()));
            assertThat(program.stats().bytesFetched()).isEqualTo(Files.size(demo.program()));
        }
    }

    @Test
    void bytesNeverFetchedAreNeverStored() throws Exception {
        TestFiles.randomFile(served.resolve("big"), 8L << 20, 1);
        try (LazyFile big = storage.open(server.url("big").toString())) {
            TestFiles.read(big, 5L << 20, 10);
            assertThat(Files.size(big.localPath())).isEqualTo(8L << 20);
            assertThat(TestFiles.allocatedBytes(big.localPath())).isLessThanOrEqualTo(2L * CHUNK);
        }
    }

    @Test
    void aSecondOpenIsServedFromTheCacheEvenByAnotherStorage() throws Exception {
        Path file = TestFiles.randomFile(served.resolve("f"), 1_000_000, 2);
        try (LazyFile f = storage.open(server.url("f").toString())) {
            TestFiles.read(f, 0, 10);
            TestFiles.read(f, 700_000, 10);
        }
        server.clearRequests();
        try (Storage second = newStorage(temp.resolve("cache"));
                LazyFile f = second.open(server.url("f").toString())) {
            assertThat(TestFiles.read(f, 700_000, 10))
                    .isEqualTo(Arrays.copyOfRange(Files.readAllBytes(file), 700_000, 700_010));
            TestFiles.read(f, 0, 10);
            assertThat(f.stats().bytesFetched()).isZero();
            assertThat(f.stats().cacheHits()).isEqualTo(2);
        }
        assertThat(server.chunkRequests()).isEmpty();
    }

    @Test
    void aChangedFileIsAnErrorNeverMixedBytes() throws Exception {
        Path file = TestFiles.randomFile(served.resolve("f"), 4 * CHUNK, 3);
        byte[] original = Files.readAllBytes(file);
        try (LazyFile f = storage.open(server.url("f").toString())) {
            assertThat(TestFiles.read(f, 0, 16)).isEqualTo(Arrays.copyOf(original, 16));
            TestFiles.randomFile(file, 4 * CHUNK, 4);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
            assertThatThrownBy(() -> f.ensure(2 * CHUNK, 16)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.reason()).isEqualTo(StorageException.Reason.CHANGED);
                assertThat(e.getMessage()).contains(server.url("f").toString()).contains("changed");
            });
            // And it stays an error: no later read mixes in the new version.
            assertThatThrownBy(() -> f.ensure(3 * CHUNK, 16)).isInstanceOf(StorageException.class);
            assertThat(TestFiles.readLocal(f.localPath(), 0, 16)).isEqualTo(Arrays.copyOf(original, 16));
        }
    }

    @Test
    void withoutAnEtagLastModifiedDetectsTheChange() throws Exception {
        server.etags(RangeHttpServer.Etags.WEAK);
        Path file = TestFiles.randomFile(served.resolve("f"), 4 * CHUNK, 5);
        try (LazyFile f = storage.open(server.url("f").toString())) {
            TestFiles.read(f, 0, 16);
            assertThat(server.chunkRequests()).allSatisfy(r -> {
                assertThat(r.ifMatch()).isNull();
                assertThat(r.ifUnmodifiedSince()).isNotNull();
            });
            TestFiles.randomFile(file, 4 * CHUNK, 6);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
            assertThatThrownBy(() -> f.ensure(3 * CHUNK, 16))
                    .isInstanceOfSatisfying(
                            StorageException.class,
                            e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.CHANGED));
        }
    }

    @Test
    void aServerThatCannotShowChangesIsRefused() throws Exception {
        server.etags(RangeHttpServer.Etags.NONE).lastModified(false);
        TestFiles.randomFile(served.resolve("f"), 1000, 7);
        assertThatThrownBy(() -> storage.open(server.url("f").toString()))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StorageException.Reason.PROTOCOL);
                    assertThat(e.getMessage()).contains("neither a strong ETag nor Last-Modified");
                });
    }

    @Test
    void aServerWithoutRangesIsAClearError() throws Exception {
        server.ranges(false);
        TestFiles.randomFile(served.resolve("f"), 1000, 8);
        assertThatThrownBy(() -> storage.open(server.url("f").toString()))
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.getMessage()).contains("ignores Range requests"));
    }

    @Test
    void aMissingFileIsAOneLineNotFound() {
        assertThatThrownBy(() -> storage.open(server.url("no/such/core").toString()))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StorageException.Reason.NOT_FOUND);
                    assertThat(e.getMessage())
                            .isEqualTo(server.url("no/such/core") + ": no such file (HTTP 404)")
                            .doesNotContain("\n");
                });
    }

    @Test
    void credentialsInTheUrlAreUsedAndNeverShown() throws Exception {
        server.requireBasicAuth("alice", "pa55word");
        TestFiles.randomFile(served.resolve("f"), 1000, 9);
        String url = "http://alice:pa55word@127.0.0.1:" + server.port() + "/f?sig=XYZ";
        try (LazyFile f = storage.open(url)) {
            TestFiles.read(f, 0, 1000);
            assertThat(f.describe()).isEqualTo("http://127.0.0.1:" + server.port() + "/f?…");
        }
        assertThatThrownBy(() -> storage.open("http://alice:wrong@127.0.0.1:" + server.port() + "/f"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StorageException.Reason.ACCESS_DENIED);
                    assertThat(e.getMessage()).doesNotContain("wrong").doesNotContain("alice");
                });
    }

    @Test
    void sequentialReadsReadAhead() throws Exception {
        TestFiles.randomFile(served.resolve("f"), 32 * CHUNK, 10);
        try (LazyFile f = storage.open(server.url("f").toString())) {
            for (int chunk = 0; chunk < 4; chunk++) TestFiles.read(f, (long) chunk * CHUNK, CHUNK);
            ((RemoteFile) f).awaitIdle();
            assertThat(f.stats().chunksFetched()).isGreaterThan(4);
            // The chunks read ahead are then cache hits of this process, with no further request.
            int before = server.chunkRequests().size();
            TestFiles.read(f, 4L * CHUNK, CHUNK);
            ((RemoteFile) f).awaitIdle();
            assertThat(server.chunkRequests().stream().filter(r -> r.range().startsWith("bytes=" + 4 * CHUNK + "-")))
                    .hasSize(1);
            assertThat(server.chunkRequests().size()).isGreaterThanOrEqualTo(before);
        }
    }

    @Test
    void aLargeRangeIsFetchedByParallelRequestsAndIsComplete() throws Exception {
        Path file = TestFiles.randomFile(served.resolve("f"), 20 * CHUNK + 17, 11);
        try (LazyFile f = storage.open(server.url("f").toString())) {
            f.ensure(0, Long.MAX_VALUE);
            assertThat(Files.readAllBytes(f.localPath())).isEqualTo(Files.readAllBytes(file));
            assertThat(f.stats().chunksFetched()).isEqualTo(21);
        }
    }

    @Test
    void aRetriedTransientFailureIsCountedAndAStoppedServerIsAClearError() throws Exception {
        TestFiles.randomFile(served.resolve("f"), 4 * CHUNK, 12);
        try (Storage quick = Storage.create(StorageConfig.fromEnvironment()
                        .cacheDirectory(temp.resolve("cache2"))
                        .chunkSize(CHUNK)
                        .retry(new RetryPolicy(3, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50)))
                        .build());
                LazyFile f = quick.open(server.url("f").toString())) {
            TestFiles.read(f, 0, 10);
            server.close();
            assertThatThrownBy(() -> f.ensure(2 * CHUNK, 10)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.reason()).isEqualTo(StorageException.Reason.UNAVAILABLE);
                assertThat(e.getMessage()).contains(server.url("f").toString()).contains("after 3 attempts");
            });
            assertThat(f.stats().retries()).isEqualTo(2);
        }
    }
}
