package io.coredumptools.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cores and programs in a real S3 API server (S3Proxy, filesystem backend, v2/v4 signatures) on loopback. */
class S3StorageTest {
    private static final String BUCKET = "cores";

    @TempDir
    static Path temp;

    private static S3ProxyServer s3;
    private static CoreFixture demo;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        demo = Fixtures.get(Fixture.DEMO_PIE);
        s3 = S3ProxyServer.start(temp.resolve("s3proxy"));
        s3.createBucket(BUCKET);
        s3.put(BUCKET, "demo/core", demo.core());
        s3.put(BUCKET, "files" + demo.program(), demo.program());
    }

    @AfterAll
    static void stopS3Proxy() {
        if (s3 != null) s3.close();
    }

    private static Storage storage(Path cache, long chunkSize) throws StorageException {
        return Storage.create(StorageConfig.fromEnvironment()
                .cacheDirectory(cache)
                .chunkSize(chunkSize)
                .s3Endpoint(s3.endpoint())
                .s3Credentials(s3.credentials())
                .build());
    }

    @Test
    void whatAttachReadsOfARealCoreEqualsTheLocalCoreAndFetchesFarLessThanItsSize() throws Exception {
        byte[] local = Files.readAllBytes(demo.core());
        try (Storage storage = storage(temp.resolve("cache-attach"), 1 << 20);
                LazyFile core = storage.open("s3://" + BUCKET + "/demo/core")) {
            assertThat(core.size()).isEqualTo(local.length);
            assertThat(core.describe()).isEqualTo("s3://cores/demo/core");
            // What elfcore reads at attach: the ELF header, the program headers and the PT_NOTE segment.
            ByteBuffer elf = ByteBuffer.wrap(TestFiles.read(core, 0, 64)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(elf.array()).isEqualTo(Arrays.copyOf(local, 64));
            long phoff = elf.getLong(0x20);
            int phnum = elf.getShort(0x38) & 0xffff;
            ByteBuffer phdrs =
                    ByteBuffer.wrap(TestFiles.read(core, phoff, phnum * 56)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < phnum; i++) {
                if (phdrs.getInt(i * 56) == 4) { // PT_NOTE
                    long offset = phdrs.getLong(i * 56 + 8);
                    int size = (int) phdrs.getLong(i * 56 + 32);
                    assertThat(TestFiles.read(core, offset, size))
                            .isEqualTo(Arrays.copyOfRange(local, (int) offset, (int) offset + size));
                }
            }
            FetchStats stats = core.stats();
            assertThat(stats.bytesFetched()).isPositive().isLessThan(local.length / 2);
            assertThat(storage.stats().bytesFetched()).isEqualTo(stats.bytesFetched());
        }
    }

    @Test
    void scatteredReadsAreByteForByteTheLocalCoreAndCostOneChunkEach() throws Exception {
        int chunk = 64 * 1024;
        byte[] local = Files.readAllBytes(demo.core());
        Random random = new Random(7);
        Set<Long> chunks = new HashSet<>();
        try (Storage storage = storage(temp.resolve("cache-scattered"), chunk);
                LazyFile core = storage.open("s3://" + BUCKET + "/demo/core")) {
            for (int i = 0; i < 16; i++) {
                int offset = random.nextInt(local.length - 4096);
                int length = 1 + random.nextInt(4096);
                assertThat(TestFiles.read(core, offset, length))
                        .isEqualTo(Arrays.copyOfRange(local, offset, offset + length));
                for (long c = offset / chunk; c <= (offset + length - 1) / chunk; c++) chunks.add(c);
            }
            assertThat(core.stats().chunksFetched()).isEqualTo(chunks.size());
            assertThat(core.stats().bytesFetched()).isLessThanOrEqualTo((long) chunks.size() * chunk);
            assertThat(core.stats().bytesFetched()).isLessThan(local.length / 8);
        }
    }

    @Test
    void theWholeProgramEqualsTheLocalOne() throws Exception {
        try (Storage storage = storage(temp.resolve("cache-program"), 1 << 20);
                LazyFile program = storage.open("s3://" + BUCKET + "/files" + demo.program())) {
            program.ensure(0, program.size());
            assertThat(Files.readAllBytes(program.localPath())).isEqualTo(Files.readAllBytes(demo.program()));
        }
    }

    @Test
    void filesPrefixFindsTheRecordedPathUnderThePrefix() throws Exception {
        try (Storage storage = storage(temp.resolve("cache-prefix"), 1 << 20)) {
            MappedFileLocator files = storage.mappedFiles(
                    java.util.List.of("s3://" + BUCKET + "/files/"),
                    java.util.List.of(),
                    java.util.List.of(),
                    java.util.Map.of());
            try (LazyFile program =
                    files.open(demo.program().toString(), null, f -> true).orElseThrow()) {
                assertThat(program.describe()).isEqualTo("s3://cores/files" + demo.program());
                assertThat(TestFiles.read(program, 0, 4)).containsExactly(0x7f, 'E', 'L', 'F');
            }
            assertThat(files.open("/usr/lib/not/there.so", null, f -> true)).isEmpty();
        }
    }

    @Test
    void aSecondOpenIsServedFromTheCache() throws Exception {
        Path cache = temp.resolve("cache-second");
        try (Storage storage = storage(cache, 1 << 20);
                LazyFile core = storage.open("s3://" + BUCKET + "/demo/core")) {
            TestFiles.read(core, 0, 4096);
            TestFiles.read(core, core.size() - 10, 10);
        }
        try (Storage storage = storage(cache, 1 << 20);
                LazyFile core = storage.open("s3://" + BUCKET + "/demo/core")) {
            TestFiles.read(core, 0, 4096);
            TestFiles.read(core, core.size() - 10, 10);
            assertThat(core.stats().bytesFetched()).isZero();
            assertThat(core.stats().cacheHits()).isEqualTo(2);
            assertThat(core.stats().requests()).isEqualTo(1); // only the HEAD that learns the ETag
        }
    }

    @Test
    void anObjectChangedMidSessionIsTheEtagError() throws Exception {
        byte[] first = new byte[3 << 20];
        new Random(1).nextBytes(first);
        s3.put(BUCKET, "changing", first);
        try (Storage storage = storage(temp.resolve("cache-change"), 1 << 20);
                LazyFile file = storage.open("s3://" + BUCKET + "/changing")) {
            assertThat(TestFiles.read(file, 0, 100)).isEqualTo(Arrays.copyOf(first, 100));
            byte[] second = first.clone();
            second[2 << 20] ^= 1;
            s3.put(BUCKET, "changing", second);
            assertThatThrownBy(() -> file.ensure(2 << 20, 100)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.reason()).isEqualTo(StorageException.Reason.CHANGED);
                assertThat(e.getMessage())
                        .startsWith("s3://cores/changing: changed since it was opened")
                        .contains("ETag")
                        .doesNotContain("\n");
            });
            assertThatThrownBy(() -> file.ensure(1 << 20, 100)).isInstanceOf(StorageException.class);
        }
    }

    @Test
    void aMissingObjectOrBucketIsAClearOneLineError() throws Exception {
        try (Storage storage = storage(temp.resolve("cache-missing"), 1 << 20)) {
            assertThatThrownBy(() -> storage.open("s3://" + BUCKET + "/no/such/core"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.reason()).isEqualTo(StorageException.Reason.NOT_FOUND);
                        assertThat(e.getMessage())
                                .startsWith("s3://cores/no/such/core: no such object")
                                .doesNotContain("\n");
                    });
            assertThatThrownBy(() -> storage.open("s3://nosuchbucket/core"))
                    .isInstanceOfSatisfying(
                            StorageException.class,
                            e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.NOT_FOUND));
        }
    }
}
