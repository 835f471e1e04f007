package io.coredumptools.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.testkit.servers.RangeHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --map, --files and the caller's build-id check, over local directories and a real HTTP server. */
class MappedFileLocatorTest {
    @TempDir
    Path temp;

    @Test
    void mapsThenPrefixesInOrderAndSkipsCandidatesThatFailTheCheck() throws Exception {
        Path wrong = Files.createDirectories(temp.resolve("wrong/usr/lib"));
        Files.writeString(wrong.resolve("libx.so"), "another build");
        Path served = Files.createDirectories(temp.resolve("served/usr/lib"));
        Files.writeString(served.resolve("libx.so"), "the right build");
        try (RangeHttpServer server = new RangeHttpServer(temp.resolve("served"));
                Storage storage = Storage.create(StorageConfig.fromEnvironment()
                        .cacheDirectory(temp.resolve("cache"))
                        .build())) {
            MappedFileLocator locator = storage.mappedFiles(
                    List.of(temp.resolve("wrong").toString(), server.url("").toString()),
                    List.of("/opt/none=" + temp.resolve("nowhere")),
                    List.of(),
                    Map.of());
            List<String> checked = new ArrayList<>();
            LazyFile found = locator.open("/usr/lib/libx.so", null, f -> {
                        checked.add(f.describe());
                        try {
                            return new String(TestFiles.read(f, 0, (int) f.size())).equals("the right build");
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .orElseThrow();
            try (found) {
                assertThat(found.describe())
                        .isEqualTo(server.url("usr/lib/libx.so").toString());
                assertThat(checked)
                        .containsExactly(
                                wrong.resolve("libx.so").toString(),
                                server.url("usr/lib/libx.so").toString());
            }
            assertThat(locator.open("/usr/lib/libnone.so", null, f -> true)).isEmpty();
            assertThat(locator.candidates("/opt/none/bin/a"))
                    .first()
                    .isEqualTo(new Location.Local(temp.resolve("nowhere/bin/a")));
        }
    }

    @Test
    void aStoreThatCannotBeAskedIsAnErrorNotAMissingFile() throws Exception {
        try (Storage storage = Storage.create(StorageConfig.fromEnvironment()
                .cacheDirectory(temp.resolve("cache"))
                .retry(new RetryPolicy(1, java.time.Duration.ZERO, java.time.Duration.ZERO))
                .build())) {
            MappedFileLocator locator =
                    storage.mappedFiles(List.of("http://127.0.0.1:1/files/"), List.of(), List.of(), Map.of());
            assertThatThrownBy(() -> locator.open("/usr/lib/libx.so", null, f -> true))
                    .isInstanceOfSatisfying(
                            StorageException.class,
                            e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.UNAVAILABLE));
        }
    }
}
