package io.coredumptools.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.ChildJvm;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.ExternalCommand;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's debuginfod 0.188 serving the fixture's program, and our client beside debuginfod-find (libdebuginfod
 * 0.188), both in a network namespace of their own: debuginfod binds every interface, so it must not run in
 * the machine's namespace. The two caches must come out the same, and each must serve the other.
 */
class DebuginfodTest {
    private static final String MISSING = "0123456789abcdef0123456789abcdef01234567";
    private static final String OTHER_MISSING = "fedcba9876543210fedcba9876543210fedcba98";

    @TempDir
    static Path work;

    private static String buildId;
    private static String transcript;
    private static Path program;

    @BeforeAll
    static void runBothClientsAgainstOneServer() throws Exception {
        program = Fixtures.get(Fixture.DEMO_PIE).program();
        buildId = buildId(program);
        Path served = Files.createDirectories(work.resolve("served"));
        Files.copy(program, served.resolve("demo"));
        String find = String.join(
                " ",
                ChildJvm.command(DebuginfodFindMain.class, List.of()).stream()
                        .map(DebuginfodTest::quote)
                        .toList());
        String exe = "executable:" + buildId;
        String dbg = "debuginfo:" + buildId;
        String script = String.join(
                "\n",
                "set -u",
                "cd " + q(work),
                "ip link set lo up",
                "debuginfod -F served -p 8002 -d db.sqlite -t 0 -g 0 > debuginfod.log 2>&1 &",
                "server=$!",
                // Ready once it serves the build-id (its first scan takes about a second); asked by hand, so
                // no client records a miss meanwhile.
                "ready() { exec 3<>/dev/tcp/127.0.0.1/8002 || return 1; printf 'GET /buildid/" + buildId
                        + "/executable HTTP/1.0\\r\\n\\r\\n' >&3; head -1 <&3 | grep -q ' 200 '; r=$?; exec 3<&-;"
                        + " return $r; }",
                "for i in $(seq 1 600); do ready 2>/dev/null && break; sleep 0.1; done",
                "export DEBUGINFOD_URLS=http://127.0.0.1:8002",
                "echo '== ours'",
                "DEBUGINFOD_CACHE_PATH=" + q(work.resolve("ours")) + " " + find + " " + exe + " " + dbg + " executable:"
                        + MISSING,
                "echo '== theirs'",
                "for t in executable debuginfo; do DEBUGINFOD_CACHE_PATH=" + q(work.resolve("theirs"))
                        + " debuginfod-find $t " + buildId + " 2>&1; done",
                "DEBUGINFOD_CACHE_PATH=" + q(work.resolve("theirs")) + " debuginfod-find executable " + MISSING
                        + " 2>&1",
                "echo '== ours-xdg'",
                "mkdir -p home-ours home-theirs",
                "env -u DEBUGINFOD_CACHE_PATH HOME=" + q(work.resolve("home-ours")) + " XDG_CACHE_HOME= " + find + " "
                        + exe,
                "env -u DEBUGINFOD_CACHE_PATH HOME=" + q(work.resolve("home-theirs"))
                        + " XDG_CACHE_HOME= debuginfod-find executable " + buildId + " 2>&1",
                "echo '== ours-xdg-explicit'",
                "env -u DEBUGINFOD_CACHE_PATH HOME=" + q(work.resolve("home-ours")) + " XDG_CACHE_HOME="
                        + q(work.resolve("xdg")) + " " + find + " " + exe,
                "kill $server; wait $server 2>/dev/null",
                "echo '== server stopped: ours from theirs'",
                "DEBUGINFOD_CACHE_PATH=" + q(work.resolve("theirs")) + " " + find + " " + exe + " " + dbg,
                "echo '== server stopped: theirs from ours'",
                "for t in executable debuginfo; do DEBUGINFOD_CACHE_PATH=" + q(work.resolve("ours"))
                        + " debuginfod-find $t " + buildId + " 2>&1; done",
                "echo '== server stopped: negative cache, then an unknown build-id'",
                "DEBUGINFOD_CACHE_PATH=" + q(work.resolve("ours")) + " " + find + " executable:" + MISSING
                        + " executable:" + OTHER_MISSING,
                "echo '== server stopped: theirs negative cache'",
                "DEBUGINFOD_CACHE_PATH=" + q(work.resolve("theirs")) + " debuginfod-find executable " + MISSING
                        + " 2>&1",
                "echo '== end'",
                "");
        Files.writeString(work.resolve("run.sh"), script);
        CommandResult result = ExternalCommand.run(
                List.of("unshare", "-n", "bash", work.resolve("run.sh").toString()), work, Duration.ofMinutes(4));
        transcript = result.stdout() + result.stderr();
        assertThat(result.stdout()).as(transcript).contains("== end");
    }

    private static String q(Path path) {
        return quote(path.toString());
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String buildId(Path elf) {
        String notes = ExternalCommand.runChecked(List.of("readelf", "-n", elf.toString()))
                .stdout();
        return notes.lines()
                .filter(l -> l.contains("Build ID:"))
                .map(l -> l.substring(l.indexOf("Build ID:") + 9).trim())
                .findFirst()
                .orElseThrow();
    }

    private static List<String> section(String name) {
        String after = transcript.substring(transcript.indexOf("== " + name + "\n") + name.length() + 4);
        return after.substring(0, after.indexOf("\n==")).lines().toList();
    }

    @Test
    void fetchesTheExecutableAndDebuginfoByBuildIdIntoLibdebuginfodsLayout() throws Exception {
        Path ours = work.resolve("ours");
        assertThat(section("ours"))
                .containsExactly(
                        "FOUND " + ours.resolve(buildId).resolve("executable"),
                        "FOUND " + ours.resolve(buildId).resolve("debuginfo"),
                        "NOT_FOUND");
        assertThat(Files.readAllBytes(ours.resolve(buildId).resolve("executable")))
                .isEqualTo(Files.readAllBytes(program));
        assertThat(section("theirs"))
                .as(transcript)
                .containsExactly(
                        work.resolve("theirs")
                                .resolve(buildId)
                                .resolve("executable")
                                .toString(),
                        work.resolve("theirs")
                                .resolve(buildId)
                                .resolve("debuginfo")
                                .toString(),
                        "Server query failed: No such file or directory");
    }

    @Test
    void theCacheTreeIsTheOneDebuginfodFindMakes() throws Exception {
        assertThat(tree(work.resolve("ours"))).isEqualTo(tree(work.resolve("theirs")));
        // Spelled out, so a change on either side shows what moved.
        Map<String, String> tree = tree(work.resolve("ours"));
        assertThat(tree.get(buildId)).startsWith("dir rwx------");
        assertThat(tree.get(buildId + "/executable")).startsWith("file r-------- " + Files.size(program));
        assertThat(tree.get(MISSING + "/executable")).startsWith("file rw-r--r-- 0 ");
        assertThat(tree.get("cache_clean_interval_s")).isEqualTo("file rw-r--r-- 5 86400");
        assertThat(tree.get("cache_miss_s")).isEqualTo("file rw-r--r-- 3 600");
    }

    @Test
    void withoutDebuginfodCachePathTheXdgCacheIsUsedAsLibdebuginfodDoes() throws Exception {
        Path ours = work.resolve("home-ours/.cache/debuginfod_client");
        assertThat(section("ours-xdg").get(0))
                .isEqualTo("FOUND " + ours.resolve(buildId).resolve("executable"));
        assertThat(section("ours-xdg").get(1))
                .isEqualTo(work.resolve("home-theirs/.cache/debuginfod_client/" + buildId + "/executable")
                        .toString());
        assertThat(tree(ours)).isEqualTo(tree(work.resolve("home-theirs/.cache/debuginfod_client")));
        assertThat(mode(work.resolve("home-ours/.cache"))).isEqualTo(mode(work.resolve("home-theirs/.cache")));
        assertThat(section("ours-xdg-explicit"))
                .containsExactly("FOUND "
                        + work.resolve("xdg/debuginfod_client").resolve(buildId).resolve("executable"));
    }

    @Test
    void eachClientIsServedFromTheOthersCacheWithTheServerGone() {
        assertThat(section("server stopped: ours from theirs"))
                .containsExactly(
                        "FOUND " + work.resolve("theirs").resolve(buildId).resolve("executable"),
                        "FOUND " + work.resolve("theirs").resolve(buildId).resolve("debuginfo"));
        assertThat(section("server stopped: theirs from ours"))
                .containsExactly(
                        work.resolve("ours")
                                .resolve(buildId)
                                .resolve("executable")
                                .toString(),
                        work.resolve("ours")
                                .resolve(buildId)
                                .resolve("debuginfo")
                                .toString());
    }

    @Test
    void aRecordedMissIsAnsweredWithoutTheServerAndAnUnreachableServerIsAnError() {
        List<String> lines = section("server stopped: negative cache, then an unknown build-id");
        assertThat(lines.get(0)).isEqualTo("NOT_FOUND");
        assertThat(lines.get(1))
                .startsWith("ERROR debuginfod executable " + OTHER_MISSING + ": no server answered")
                .contains("127.0.0.1:8002");
        assertThat(work.resolve("ours").resolve(OTHER_MISSING)).doesNotExist();
        // libdebuginfod answers the same from the same kind of record (and so creates cache_miss_s as we do).
        assertThat(section("server stopped: theirs negative cache"))
                .containsExactly("Server query failed: No such file or directory");
    }

    /** relative path → "dir|file MODE [SIZE CONTENT-OR-MTIME]": what both clients must agree on. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> !p.equals(root)).toList()) {
                String relative = root.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    tree.put(relative, "dir " + mode(p));
                } else {
                    long size = Files.size(p);
                    String what = size < 32
                            ? Files.readString(p)
                            : "mtime "
                                    + Files.getLastModifiedTime(p).toInstant().getEpochSecond();
                    tree.put(relative, "file " + mode(p) + " " + size + " " + what);
                }
            }
        }
        return tree;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
