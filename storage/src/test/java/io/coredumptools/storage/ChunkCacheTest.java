package io.coredumptools.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.ChildJvm;
import io.coredumptools.testkit.servers.RangeHttpServer;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared on-disk cache: several processes, LRU eviction, corrupt chunks, chunk sizes. */
class ChunkCacheTest {
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path temp;

    private RangeHttpServer server;
    private Path served;

    @BeforeEach
    void start() throws Exception {
        served = Files.createDirectories(temp.resolve("served"));
        server = new RangeHttpServer(served);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Storage storage(long cacheSize, long chunkSize) throws StorageException {
        return Storage.create(StorageConfig.fromEnvironment()
                .cacheDirectory(temp.resolve("cache"))
                .cacheSize(cacheSize)
                .chunkSize(chunkSize)
                .maxReadAheadChunks(0)
                .build());
    }

    @Test
    void twoProcessesShareOneCacheAndEachChunkIsFetchedOnce() throws Exception {
        Path file = TestFiles.randomFile(served.resolve("core"), 48L * CHUNK + 5, 21);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        String url = server.url("core").toString();
        String cache = temp.resolve("cache").toString();
        Process forwards = start(ChildJvm.command(CacheReaderMain.class, List.of(), url, cache, "" + CHUNK), "a");
        Process backwards =
                start(ChildJvm.command(CacheReaderMain.class, List.of(), url, cache, "" + CHUNK, "backwards"), "b");
        List<String> a = finish(forwards, "a");
        List<String> b = finish(backwards, "b");
        assertThat(a.get(0)).startsWith("OK ").endsWith(sha);
        assertThat(b.get(0)).startsWith("OK ").endsWith(sha);
        long fetchedA = Long.parseLong(a.get(0).split(" ")[1]);
        long fetchedB = Long.parseLong(b.get(0).split(" ")[1]);
        long hitsA = Long.parseLong(a.get(0).split(" ")[2]);
        long hitsB = Long.parseLong(b.get(0).split(" ")[2]);
        // 49 chunks: each fetched by exactly one of them, the other found it in the shared cache.
        assertThat(fetchedA + fetchedB).isEqualTo(49);
        assertThat(fetchedA + hitsA).isEqualTo(49);
        assertThat(fetchedB + hitsB).isEqualTo(49);
        assertThat(server.chunkRequests()).hasSize(49);
        assertThat(server.chunkRequests().stream()
                        .map(RangeHttpServer.Request::range)
                        .distinct())
                .hasSize(49);
    }

    private Process start(List<String> command, String name) throws Exception {
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(temp.resolve(name + ".out").toFile())
                .redirectError(temp.resolve(name + ".err").toFile())
                .start();
    }

    private List<String> finish(Process process, String name) throws Exception {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish");
        }
        List<String> out = Files.readAllLines(temp.resolve(name + ".out"));
        assertThat(out).as(Files.readString(temp.resolve(name + ".err"))).isNotEmpty();
        return out;
    }

    @Test
    void evictsTheLeastRecentlyUsedEntriesButNeverOneInUse() throws Exception {
        for (String name : List.of("a", "b", "c", "d"))
            TestFiles.randomFile(served.resolve(name), 3L * CHUNK, name.hashCode());
        try (Storage storage = storage(4L * CHUNK, CHUNK)) {
            Path a = readWhole(storage, "a", Instant.now().minus(3, ChronoUnit.HOURS));
            LazyFile b = storage.open(server.url("b").toString());
            b.ensure(0, b.size());
            Path bEntry = b.localPath().getParent();
            // Opening c finds a and b (6 chunks) over the limit of 4: a goes, b is in use and stays.
            Path c = readWhole(storage, "c", Instant.now().minus(1, ChronoUnit.HOURS));
            assertThat(a).doesNotExist();
            assertThat(bEntry).exists();
            // Now b (in use) and c (closed, newer than b's last open): opening d evicts c, never b.
            Files.setLastModifiedTime(
                    bEntry.resolve("lock"), FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
            try (LazyFile d = storage.open(server.url("d").toString())) {
                assertThat(c).doesNotExist();
                assertThat(bEntry).exists();
                assertThat(TestFiles.read(b, CHUNK, 10)).isEqualTo(TestFiles.readLocal(served.resolve("b"), CHUNK, 10));
            }
            b.close();
            assertThat(storage.cachedBytes()).isLessThanOrEqualTo(4L * CHUNK);
        }
    }

    /** Reads a whole file, closes it, and dates its last use; returns its entry directory. */
    private Path readWhole(Storage storage, String name, Instant lastUsed) throws Exception {
        Path entry;
        try (LazyFile f = storage.open(server.url(name).toString())) {
            f.ensure(0, f.size());
            entry = f.localPath().getParent();
        }
        Files.setLastModifiedTime(entry.resolve("lock"), FileTime.from(lastUsed));
        return entry;
    }

    @Test
    void aCorruptChunkInTheCacheIsNeverServedButFetchedAgain() throws Exception {
        Path file = TestFiles.randomFile(served.resolve("f"), 4L * CHUNK, 22);
        Path data;
        try (Storage storage = storage(1L << 30, CHUNK);
                LazyFile f = storage.open(server.url("f").toString())) {
            f.ensure(0, f.size());
            data = f.localPath();
        }
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), CHUNK + 100); // as a torn write or bad disk
        }
        try (Storage storage = storage(1L << 30, CHUNK);
                LazyFile f = storage.open(server.url("f").toString())) {
            f.ensure(0, f.size());
            assertThat(f.stats().cacheHits()).isEqualTo(3);
            assertThat(f.stats().cacheMisses()).isEqualTo(1);
            assertThat(Files.readAllBytes(f.localPath())).isEqualTo(Files.readAllBytes(file));
        }
    }

    @Test
    void anEntryKeepsTheChunkSizeItWasMadeWith() throws Exception {
        TestFiles.randomFile(served.resolve("f"), 4L * CHUNK, 23);
        try (Storage storage = storage(1L << 30, CHUNK);
                LazyFile f = storage.open(server.url("f").toString())) {
            f.ensure(0, f.size());
        }
        try (Storage storage = storage(1L << 30, 2L * CHUNK);
                LazyFile f = storage.open(server.url("f").toString())) {
            assertThat(f.chunkSize()).isEqualTo(CHUNK);
            f.ensure(0, f.size());
            assertThat(f.stats().bytesFetched()).isZero();
        }
    }

    @Test
    void anotherVersionOfTheObjectIsAnotherEntry() throws Exception {
        Path file = TestFiles.randomFile(served.resolve("f"), 2L * CHUNK, 24);
        Path first;
        try (Storage storage = storage(1L << 30, CHUNK);
                LazyFile f = storage.open(server.url("f").toString())) {
            f.ensure(0, f.size());
            first = f.localPath();
        }
        TestFiles.randomFile(file, 2L * CHUNK, 25);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        try (Storage storage = storage(1L << 30, CHUNK);
                LazyFile f = storage.open(server.url("f").toString())) {
            f.ensure(0, f.size());
            assertThat(f.localPath()).isNotEqualTo(first);
            assertThat(f.stats().cacheMisses()).isEqualTo(2);
            assertThat(Files.readAllBytes(f.localPath())).isEqualTo(Files.readAllBytes(file));
        }
    }
}
