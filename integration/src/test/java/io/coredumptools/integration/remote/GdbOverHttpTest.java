package io.coredumptools.integration.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbOutput;
import io.coredumptools.integration.gdb.GdbProcess;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.ExternalCommand;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.servers.RangeHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance (issue 10): the demo core and its files over plain HTTP range requests from a real HTTP server the
 * test starts. {@code serve}, {@code call} and {@code info --json} on {@code http://…} give the local answers;
 * {@code info --json} names the source and how much was fetched.
 */
class GdbOverHttpTest {
    private static final List<String> SESSION =
            List.of("bt", "info sharedlibrary", "print next_id()", "print greet(\"bob\")");

    @TempDir
    Path dir;

    @TempDir
    Path empty;

    @Test
    void serveCallAndInfoOverHttpAnswerAsOnTheLocalCore() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(root.resolve("cores"));
        Files.copy(f.core(), root.resolve("cores/demo.core"));
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            for (ResolvedFile file : core.mappedRegions().stream()
                    .map(MappedRegion::file)
                    .distinct()
                    .toList()) {
                if (file.path().isPresent()) {
                    Path copy = root.resolve("files" + file.recordedPath());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file.path().get(), copy);
                }
            }
        }
        GdbTranscript local;
        try (CorestubServer server = CorestubServer.serve(f)) {
            local = GdbProcess.connectedTo(server)
                    .directory(empty)
                    .setup("set sysroot target:")
                    .run(SESSION.toArray(String[]::new));
        }
        try (RangeHttpServer http = new RangeHttpServer(root)) {
            String coreUrl = http.url("cores/demo.core").toString();
            List<String> remote = List.of(
                    "--files",
                    http.url("files/").toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString());

            List<String> serve = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0", coreUrl));
            serve.addAll(remote);
            try (CorestubServer server = CorestubServer.start(serve)) {
                GdbTranscript t = GdbProcess.connectedTo(server)
                        .directory(empty)
                        .setup("set sysroot target:")
                        .run(SESSION.toArray(String[]::new));
                assertThat(GdbOutput.frames(t.section(0)))
                        .as(t.describe())
                        .containsExactlyElementsOf(GdbOutput.frames(local.section(0)));
                assertThat(GdbOutput.libraries(t.section(1)))
                        .as(t.describe())
                        .containsExactlyElementsOf(GdbOutput.libraries(local.section(1)));
                assertThat(t.value(2)).isEqualTo(local.value(2));
                assertThat(t.value(3)).isEqualTo(local.value(3));
                assertThat(server.output()).contains(coreUrl + ": fetched");
            }
            assertThat(http.chunkRequests()).as("ranged GETs").isNotEmpty();

            List<String> call = new ArrayList<>(List.of("call", coreUrl, "next_id()", "(char*)greet(\"bob\")"));
            call.addAll(remote);
            CommandResult remoteCall = corestub(call);
            CommandResult localCall =
                    corestub(List.of("call", f.core().toString(), "next_id()", "(char*)greet(\"bob\")"));
            assertThat(remoteCall.exitCode()).as(remoteCall.toString()).isZero();
            assertThat(remoteCall.stdout()).isEqualTo(localCall.stdout()).contains("hello, bob!");
            assertThat(remoteCall.stderr()).contains(coreUrl + ": fetched");

            // A cache of its own: info fetches a part of the core; a second info is served from the cache.
            List<String> info = new ArrayList<>(List.of(
                    "info", "--json", coreUrl, "--files", http.url("files/").toString(), "--cache-dir"));
            info.add(dir.resolve("info-cache").toString());
            CommandResult remoteInfo = corestub(info);
            assertThat(remoteInfo.exitCode()).as(remoteInfo.toString()).isZero();
            JsonNode json = new ObjectMapper().readTree(remoteInfo.stdout());
            JsonNode again = new ObjectMapper().readTree(corestub(info).stdout());
            assertThat(again.get("fetch").get("bytes_fetched").asLong()).isZero();
            assertThat(again.get("fetch").get("cache_hits").asLong()).isPositive();
            JsonNode localJson = new ObjectMapper()
                    .readTree(corestub(List.of("info", "--json", f.core().toString()))
                            .stdout());
            assertThat(json.get("source").asText()).isEqualTo(coreUrl);
            assertThat(json.get("core").asText()).isEqualTo(coreUrl);
            assertThat(json.get("executable").get("resolution").asText()).isEqualTo("remote");
            assertThat(json.get("executable").get("resolved_path").asText())
                    .startsWith(http.url("files/").toString());
            assertThat(json.get("remote").asBoolean()).isTrue();
            long fetched = json.get("fetch").get("bytes_fetched").asLong();
            assertThat(fetched).isPositive().isLessThan(Files.size(f.core()));
            assertThat(json.get("threads")).isEqualTo(localJson.get("threads"));
            assertThat(localJson.has("fetch")).isFalse();
        }
    }

    private static CommandResult corestub(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("corestub.jar")));
        command.addAll(arguments);
        return ExternalCommand.run(command, Path.of("").toAbsolutePath(), Duration.ofSeconds(180));
    }
}
