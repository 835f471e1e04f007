package io.coredumptools.integration.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.GdbOutput;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.ExternalCommand;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance (issue 10): a core whose executable is gone from this machine. Debian's debuginfod serves a directory
 * holding it stripped of its debug info, and the debug info apart; {@code serve --debuginfod} finds it by the build-id the core holds, and gdb, with nothing local
 * ({@code set sysroot target:}), gets a full backtrace and working calls. The cache corestub leaves is the one
 * debuginfod-find leaves. debuginfod 0.188 binds every interface, so the server, corestub and gdb run in a network
 * namespace of their own (loopback only).
 */
class GdbWithDebuginfodTest {
    private static final List<String> SESSION = List.of("bt", "print next_id()", "print greet(\"bob\")");

    @TempDir
    Path work;

    @Test
    void serveFindsTheMissingExecutableOnDebuginfodAndGdbGetsAFullBacktraceAndCalls() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        GdbTranscript onCore = GdbTranscript.onCore(f, "bt"); // gdb on a core cannot call: the bt is the truth
        Path crash = Files.createDirectories(work.resolve("crash"));
        Path served = Files.createDirectories(work.resolve("served"));
        Path empty = Files.createDirectories(work.resolve("empty"));
        Files.copy(f.program(), crash.resolve("demo"));
        List<String> gdb = new ArrayList<>(List.of(
                "gdb", "-batch", "-nx", "-q", "-iex", "set debuginfod enabled off", "-ex", "set sysroot target:"));
        gdb.addAll(List.of("-ex", "set remotetimeout 60", "-ex", "target remote 127.0.0.1:$port"));
        gdb.addAll(GdbTranscript.withMarkers(SESSION, "-ex"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = String.join(
                "\n",
                "set -u",
                "cd " + q(work),
                // A core of a program that is then moved away: only debuginfod has it.
                "(cd crash && ulimit -c unlimited && ./demo > /dev/null 2>&1; true)",
                "test -f crash/core || { echo 'no core'; exit 1; }",
                "mv crash/demo served/demo",
                // debuginfod serves the program stripped of its debug info, and the debug info apart.
                "objcopy --only-keep-debug served/demo served/demo.debug && strip --strip-debug served/demo",
                "id=$(readelf -n served/demo | sed -n 's/.*Build ID: //p')",
                "ip link set lo up",
                "debuginfod -F served -p 8002 -d db.sqlite -t 0 -g 0 > debuginfod.log 2>&1 &",
                "server=$!",
                "ready() { exec 3<>/dev/tcp/127.0.0.1/8002 || return 1; printf \"GET /buildid/$id/$1"
                        + " HTTP/1.0\\r\\n\\r\\n\" >&3; head -1 <&3 | grep -q ' 200 '; r=$?; exec 3<&-; return $r; }",
                "for i in $(seq 1 600); do ready executable 2>/dev/null && ready debuginfo 2>/dev/null && break;"
                        + " sleep 0.1; done",
                "DEBUGINFOD_CACHE_PATH=" + q(work.resolve("ours")) + " " + q(Path.of(java)) + " -jar "
                        + q(Path.of(System.getProperty("corestub.jar"))) + " serve --listen 127.0.0.1:0 crash/core"
                        + " --debuginfod http://127.0.0.1:8002 --cache-dir " + q(work.resolve("chunks"))
                        + " > serve.log 2>&1 &",
                "corestub=$!",
                "for i in $(seq 1 1200); do grep -q 'listening on' serve.log && break; sleep 0.1; done",
                "port=$(sed -n 's/.*listening on 127.0.0.1:\\([0-9]*\\).*/\\1/p' serve.log)",
                "echo '== gdb'",
                "(cd empty && "
                        + String.join(
                                " ",
                                gdb.stream()
                                        .map(GdbWithDebuginfodTest::quoteKeepingPort)
                                        .toList()) + " 2>&1)",
                "echo '== end gdb'",
                "kill $corestub; wait $corestub 2>/dev/null",
                "DEBUGINFOD_URLS=http://127.0.0.1:8002 DEBUGINFOD_CACHE_PATH=" + q(work.resolve("theirs"))
                        + " debuginfod-find executable $id > /dev/null",
                "DEBUGINFOD_URLS=http://127.0.0.1:8002 DEBUGINFOD_CACHE_PATH=" + q(work.resolve("theirs"))
                        + " debuginfod-find debuginfo $id > /dev/null",
                "kill $server; wait $server 2>/dev/null",
                "echo '== end'",
                "");
        Files.writeString(work.resolve("run.sh"), script);
        CommandResult result = ExternalCommand.run(
                List.of("unshare", "-n", "bash", work.resolve("run.sh").toString()), work, Duration.ofMinutes(5));
        String transcript = result.stdout() + result.stderr() + "\n--- serve.log:\n" + read(work.resolve("serve.log"));
        assertThat(result.stdout()).as(transcript).contains("== end");
        assertThat(Files.exists(crash.resolve("demo"))).isFalse();

        String gdbOut = result.stdout()
                .substring(result.stdout().indexOf("== gdb"), result.stdout().indexOf("== end gdb"));
        GdbTranscript t = GdbTranscript.of(gdbOut);
        // The source lines of main's frame come from the debug file only debuginfod has.
        assertThat(GdbOutput.functions(t.section(0)))
                .as(transcript)
                .containsExactlyElementsOf(GdbOutput.functions(onCore.section(0)))
                .contains("main");
        assertThat(t.section(0)).as(transcript).containsPattern("in main \\(\\) at demo\\.c:\\d+");
        assertThat(t.value(1)).as(transcript).isEqualTo("43"); // demo.c: next_id() after the counter reached 42
        assertThat(t.value(2)).as(transcript).endsWith("\"hello, bob!\"");
        assertThat(listing(work.resolve("ours"))).as(transcript).isEqualTo(listing(work.resolve("theirs")));
        assertThat(listing(work.resolve("ours")))
                .anyMatch(line -> line.endsWith("/executable 400"))
                .anyMatch(line -> line.endsWith("/debuginfo 400"));
    }

    /** Every entry of a debuginfod cache but the control files' contents: relative path and mode. */
    private static List<String> listing(Path cache) throws Exception {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(p -> !p.equals(cache))
                    .map(p -> {
                        try {
                            String mode = Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode") & 0777);
                            return cache.relativize(p) + " " + mode;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }

    private static String q(Path path) {
        return quote(path.toString());
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Single-quoted, except {@code $port}, which the script fills in. */
    private static String quoteKeepingPort(String word) {
        return quote(word).replace("$port", "'\"$port\"'");
    }
}
