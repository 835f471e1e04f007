package io.coredumptools.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache on its own, in a private root so the build happens here for sure. */
class FixtureStoreTest {

    @Test
    void concurrentFirstUsesBuildOnceAndAgree(@TempDir Path root) throws Exception {
        FixtureStore store = new FixtureStore(root);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<CoreFixture> first = threads.submit(() -> store.get(Fixture.DEMO_NO_PIE));
            Future<CoreFixture> second = threads.submit(() -> store.get(Fixture.DEMO_NO_PIE));

            assertThat(first.get()).isEqualTo(second.get());
        } finally {
            threads.shutdownNow();
        }
        assertThat(entriesOf(root, ".build-")).hasSize(1);
        assertThat(entriesOf(root, ".link-")).isEmpty();
    }

    @Test
    void publishesAsALinkToTheBuildAndKeepsABuildLog(@TempDir Path root) throws IOException {
        CoreFixture fixture = new FixtureStore(root).get(Fixture.DEMO_NO_PIE);

        Path published =
                root.resolve(fixture.directory().getFileName().toString().replaceAll("\\.build-.*", ""));
        assertThat(published).isSymbolicLink();
        assertThat(published.toRealPath()).isEqualTo(fixture.directory());
        assertThat(fixture.directory().resolve(FixtureBuilder.BUILD_LOG))
                .content()
                .contains("gcc ", "exit code: 134");
    }

    @Test
    void abandonedBuildsAreClearedBeforeRebuilding(@TempDir Path root) throws IOException {
        FixtureStore store = new FixtureStore(root);
        CoreFixture fixture = store.get(Fixture.DEMO_NO_PIE);
        String key = fixture.directory().getFileName().toString().replaceAll("\\.build-.*", "");
        // As if a build had been killed half-way and the published link was then cleaned away.
        Files.delete(root.resolve(key));
        Path abandoned = Files.createDirectory(root.resolve(key + ".build-killed"));

        CoreFixture rebuilt = store.get(Fixture.DEMO_NO_PIE);

        assertThat(abandoned).doesNotExist();
        assertThat(fixture.directory()).doesNotExist();
        assertThat(ElfFileType.isCore(rebuilt.core())).isTrue();
    }

    @Test
    void keyChangesWithSourceFlagsAndToolchain() {
        String key = FixtureKey.of(Fixture.DEMO_PIE, "int main(){}", "gcc 12", "");

        assertThat(key).matches("demo_pie-[0-9a-f]{12}");
        assertThat(FixtureKey.of(Fixture.DEMO_PIE, "int main(){}", "gcc 12", ""))
                .isEqualTo(key);
        assertThat(FixtureKey.of(Fixture.DEMO_PIE, "int main(){ }", "gcc 12", ""))
                .isNotEqualTo(key);
        assertThat(FixtureKey.of(Fixture.DEMO_PIE, "int main(){}", "gcc 13", ""))
                .isNotEqualTo(key);
        assertThat(FixtureKey.of(Fixture.DEMO_LAZY, "int main(){}", "gcc 12", ""))
                .doesNotEndWith(key.substring(8));
    }

    private static List<Path> entriesOf(Path root, String marker) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(entry -> entry.getFileName().toString().contains(marker))
                    .toList();
        }
    }
}
