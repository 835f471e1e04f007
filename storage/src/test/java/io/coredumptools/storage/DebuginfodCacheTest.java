package io.coredumptools.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.testkit.CommandResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cleaning and negative-cache expiry of the debuginfod cache, compared with libdebuginfod 0.188 itself: the same
 * tree is given to debuginfod-find and to our client, both pointed at a closed loopback port (so nothing is
 * fetched), and the trees they leave must be equal.
 */
class DebuginfodCacheTest {
    private static final String OLD = "1111111111111111111111111111111111111111";
    private static final String RECENT = "2222222222222222222222222222222222222222";
    private static final String EMPTY_DIR = "3333333333333333333333333333333333333333";
    private static final String STALE_MISS = "4444444444444444444444444444444444444444";
    private static final String FRESH_MISS = "5555555555555555555555555555555555555555";

    @TempDir
    Path temp;

    @Test
    void cleaningAndMissExpiryLeaveTheTreeLibdebuginfodLeaves() throws Exception {
        Path theirs = scenario(temp.resolve("theirs"));
        Path ours = scenario(temp.resolve("ours"));
        Map<String, String> env = Map.of("DEBUGINFOD_URLS", "http://127.0.0.1:1", "DEBUGINFOD_RETRY_LIMIT", "0");

        CommandResult stale = debuginfodFind(theirs, env, STALE_MISS);
        CommandResult fresh = debuginfodFind(theirs, env, FRESH_MISS);
        assertThat(stale.stderr()).contains("Connection refused");
        assertThat(fresh.stderr()).contains("No such file or directory"); // answered by the negative cache

        DebuginfodClient client = client(ours, env);
        assertThatThrownBy(() -> client.executable(STALE_MISS))
                .isInstanceOfSatisfying(
                        StorageException.class, e -> assertThat(e.getMessage()).contains("no server answered"));
        assertThat(client.executable(FRESH_MISS)).isEmpty();

        assertThat(tree(ours)).isEqualTo(tree(theirs));
        Map<String, String> tree = tree(ours);
        assertThat(tree).doesNotContainKeys(OLD + "/executable", OLD, EMPTY_DIR, STALE_MISS);
        assertThat(tree).containsKeys(RECENT + "/executable", "other/file", "stray", FRESH_MISS + "/executable");
        assertThat(tree.get("max_unused_age_s")).isEqualTo("file rw-r--r-- 6 604800");
        assertThat(Files.getLastModifiedTime(ours.resolve("cache_clean_interval_s"))
                        .toInstant())
                .isAfter(Instant.now().minus(1, ChronoUnit.HOURS));
    }

    @Test
    void withoutServersNothingIsAskedAndTheCacheIsNotTouched() throws Exception {
        DebuginfodClient client = client(temp.resolve("none"), Map.of());
        assertThat(client.isEnabled()).isFalse();
        assertThat(client.executable(OLD)).isEmpty();
        assertThat(temp.resolve("none")).doesNotExist();
    }

    @Test
    void theOldDefaultCacheInHomeIsUsedWhenItExists() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        assertThat(DebuginfodCache.locate(Map.of("HOME", home.toString())).root())
                .isEqualTo(home.resolve(".cache/debuginfod_client"));
        Files.createDirectories(home.resolve(".debuginfod_client_cache"));
        assertThat(DebuginfodCache.locate(Map.of("HOME", home.toString(), "XDG_CACHE_HOME", "/elsewhere"))
                        .root())
                .isEqualTo(home.resolve(".debuginfod_client_cache"));
        assertThat(DebuginfodCache.locate(Map.of("HOME", home.toString(), "DEBUGINFOD_CACHE_PATH", "/x/y"))
                        .root())
                .isEqualTo(Path.of("/x/y"));
    }

    @Test
    void aBuildIdThatIsNotHexIsRefusedBeforeAnyPathIsMade() throws Exception {
        DebuginfodClient client = client(temp.resolve("c"), Map.of("DEBUGINFOD_URLS", "http://127.0.0.1:1"));
        assertThatThrownBy(() -> client.executable("../../etc/passwd")).isInstanceOf(StorageException.class);
        assertThat(temp.resolve("c")).doesNotExist();
    }

    private DebuginfodClient client(Path cache, Map<String, String> env) throws StorageException {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("DEBUGINFOD_CACHE_PATH", cache.toString());
        StorageConfig config = StorageConfig.fromEnvironment()
                .cacheDirectory(temp.resolve("chunks"))
                .build();
        return DebuginfodClient.create(List.of(), all, config, new FetchCounters(null));
    }

    private CommandResult debuginfodFind(Path cache, Map<String, String> env, String buildId) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("debuginfod-find", "executable", buildId)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().put("DEBUGINFOD_CACHE_PATH", cache.toString());
        Path out = temp.resolve("find.out");
        Path err = temp.resolve("find.err");
        Process p =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.waitFor();
        return new CommandResult(
                List.of("debuginfod-find"), p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A cache due for cleaning, with old and recent files, a stale and a fresh miss, and foreign files. */
    private static Path scenario(Path root) throws Exception {
        Instant monthAgo = Instant.now().minus(30, ChronoUnit.DAYS);
        Files.createDirectories(root);
        Files.writeString(root.resolve("cache_clean_interval_s"), "86400");
        write(root.resolve(OLD + "/executable"), "old".repeat(20), monthAgo);
        write(root.resolve(RECENT + "/executable"), "recent".repeat(10), Instant.now());
        write(root.resolve("other/file"), "not ours", monthAgo);
        write(root.resolve("stray"), "not ours either", monthAgo);
        write(root.resolve(STALE_MISS + "/executable"), "", Instant.now().minus(1, ChronoUnit.HOURS));
        write(root.resolve(FRESH_MISS + "/executable"), "", Instant.now());
        Files.createDirectories(root.resolve(EMPTY_DIR));
        for (String dir : List.of(OLD, RECENT, EMPTY_DIR, STALE_MISS, "other")) {
            Files.setLastModifiedTime(root.resolve(dir), FileTime.from(monthAgo));
        }
        Files.setLastModifiedTime(
                root.resolve("cache_clean_interval_s"),
                FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));
        return root;
    }

    private static void write(Path file, String content, Instant time) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(time));
        Files.setAttribute(file, "lastAccessTime", FileTime.from(time));
    }

    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> !p.equals(root)).toList()) {
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                tree.put(
                        root.relativize(p).toString(),
                        Files.isDirectory(p)
                                ? "dir " + mode
                                : "file " + mode + " " + Files.size(p) + " " + Files.readString(p));
            }
        }
        return tree;
    }
}
