package io.coredumptools.integration.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbOutput;
import io.coredumptools.integration.gdb.GdbProcess;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.storage.S3ProxyServer;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.ExternalCommand;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance (issue 10): the demo core and its files in a real S3 API server (S3Proxy). {@code corestub serve
 * s3://…} with {@code --files s3://…} gives gdb (with {@code set sysroot target:}, nothing local) the backtrace,
 * the library list and the call results of the local run, fetching a part of the core only; a changed object is
 * the ETag error, a stopped store a clear error, and the server survives both.
 */
class GdbOnS3CoreTest {
    private static final String BUCKET = "crashes";
    private static final List<String> SESSION =
            List.of("bt", "info sharedlibrary", "print next_id()", "print greet(\"bob\")", "print scale(1.5, 3)");
    private static final Pattern FETCHED = Pattern.compile("fetch: fetched ([0-9.]+) (B|KiB|MiB|GiB)");

    @TempDir
    Path dir;

    @TempDir
    Path empty;

    @Test
    void gdbOnACoreInS3AnswersAsOnTheLocalCoreAndFetchesAPartOfIt() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        GdbTranscript local;
        try (CorestubServer server = CorestubServer.serve(f)) {
            local = GdbProcess.connectedTo(server)
                    .directory(empty)
                    .setup("set sysroot target:")
                    .run(SESSION.toArray(String[]::new));
        }
        assertThat(GdbOutput.functions(local.section(0))).as(local.describe()).contains("main");

        long coreSize = Files.size(f.core());
        LoadSegment untouched;
        try (S3ProxyServer s3 = S3ProxyServer.start(Files.createDirectories(dir.resolve("s3")))) {
            s3.createBucket(BUCKET);
            s3.put(BUCKET, "cores/demo.core", f.core());
            try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
                Set<ResolvedFile> files = new LinkedHashSet<>();
                core.mappedRegions().stream().map(MappedRegion::file).forEach(files::add);
                for (ResolvedFile file : files) {
                    if (file.path().isPresent()) {
                        s3.put(
                                BUCKET,
                                "files" + file.recordedPath(),
                                file.path().get());
                    }
                }
                // The largest segment (a thread's stack, 8 MiB): nothing reads far from its top before we do.
                untouched = core.segments().stream()
                        .max(Comparator.comparingLong(LoadSegment::fileSize))
                        .orElseThrow();
            }
            Map<String, String> credentials = Map.of(
                    "AWS_ACCESS_KEY_ID",
                    S3ProxyServer.IDENTITY,
                    "AWS_SECRET_ACCESS_KEY",
                    s3.secret(),
                    "AWS_REGION",
                    "us-east-1");
            try (CorestubServer server =
                    CorestubServer.start(serveArguments(s3, "s3://" + BUCKET + "/cores/demo.core"), credentials)) {
                GdbTranscript remote = GdbProcess.connectedTo(server)
                        .directory(empty)
                        .setup("set sysroot target:")
                        .run(withMonitorInfo(SESSION));
                assertThat(server.output()).contains("s3://" + BUCKET + "/cores/demo.core: fetched");
                assertThat(GdbOutput.frames(remote.section(0)))
                        .as(remote.describe())
                        .containsExactlyElementsOf(GdbOutput.frames(local.section(0)));
                assertThat(GdbOutput.libraries(remote.section(1)))
                        .as(remote.describe())
                        .containsExactlyElementsOf(GdbOutput.libraries(local.section(1)));
                for (int i = 2; i < SESSION.size(); i++) {
                    assertThat(remote.value(i))
                            .as(SESSION.get(i) + remote.describe())
                            .isEqualTo(local.value(i));
                }
                String info = remote.section(SESSION.size());
                assertThat(info).as(remote.describe()).contains("core: s3://" + BUCKET + "/cores/demo.core");
                long fetched = fetchedBytes(info);
                assertThat(fetched).as(info).isPositive().isLessThan(coreSize / 2);

                // Another core object changes in the store while served: bytes not fetched yet must not come
                // from the new object (a changed object stays an error for that server's file, so its own one).
                s3.put(BUCKET, "cores/changing.core", f.core());
                try (CorestubServer changing = CorestubServer.start(
                        serveArguments(s3, "s3://" + BUCKET + "/cores/changing.core"), credentials)) {
                    byte[] changed = Files.readAllBytes(f.core());
                    changed[changed.length - 1] ^= 1;
                    s3.put(BUCKET, "cores/changing.core", changed);
                    GdbTranscript afterChange = GdbProcess.connectedTo(changing)
                            .directory(empty)
                            .program(f.program())
                            .run("x/2gx 0x" + Long.toHexString(pageAt(untouched, 4)));
                    assertThat(afterChange.section(0))
                            .as(afterChange.describe() + changing.describe())
                            .contains("Cannot access memory");
                    assertThat(changing.output()).as(changing.describe()).containsIgnoringCase("changed");
                    assertThat(changing.isAlive()).isTrue();
                }

                // The store stops: a clear error, and the server still serves what it has.
                s3.close();
                GdbTranscript afterStop = GdbProcess.connectedTo(server)
                        .directory(empty)
                        .setup("set sysroot target:")
                        .run("x/2gx 0x" + Long.toHexString(pageAt(untouched, 2)), "bt");
                assertThat(afterStop.section(0))
                        .as(afterStop.describe() + server.describe())
                        .contains("Cannot access memory");
                assertThat(GdbOutput.frames(afterStop.section(1)))
                        .as(afterStop.describe())
                        .containsExactlyElementsOf(GdbOutput.frames(local.section(0)));
                assertThat(server.isAlive()).isTrue();
                assertThat(server.output()).doesNotContain(s3.secret());
            }
        }
    }

    /** The page {@code 1/divisor} of the way into the segment: megabytes from anything read before. */
    private static long pageAt(LoadSegment segment, int divisor) {
        return (segment.vaddr() + segment.fileSize() / divisor) & ~4095L;
    }

    @Test
    void wrongCredentialsAndAMissingObjectAreClearOneLineErrorsThatNeverEchoTheSecret() throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        try (S3ProxyServer s3 = S3ProxyServer.start(Files.createDirectories(dir.resolve("s3")))) {
            s3.createBucket(BUCKET);
            s3.put(BUCKET, "cores/demo.core", f.core());
            String wrongSecret = "WrOnGsEcReT" + s3.secret().substring(6);
            CommandResult denied = corestub(
                    Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY, "AWS_SECRET_ACCESS_KEY", wrongSecret),
                    "info",
                    "s3://" + BUCKET + "/cores/demo.core",
                    "--s3-endpoint",
                    s3.endpoint().toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString());
            assertThat(denied.exitCode()).as(denied.toString()).isNotZero();
            assertThat(denied.stderr())
                    .as(denied.toString())
                    .contains("s3://" + BUCKET + "/cores/demo.core")
                    .doesNotContain(wrongSecret)
                    .doesNotContain(s3.secret());
            assertThat(denied.stdout()).doesNotContain(wrongSecret);

            CommandResult missing = corestub(
                    Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY, "AWS_SECRET_ACCESS_KEY", s3.secret()),
                    "info",
                    "s3://" + BUCKET + "/cores/no-such.core",
                    "--s3-endpoint",
                    s3.endpoint().toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString());
            assertThat(missing.exitCode()).as(missing.toString()).isNotZero();
            List<String> errorLines = missing.stderr()
                    .lines()
                    .filter(l -> l.contains("no-such.core"))
                    .toList();
            assertThat(errorLines).as(missing.toString()).hasSize(1);
            assertThat(missing.stderr()).doesNotContain(s3.secret()).doesNotContain("Exception");
        }
    }

    private static CommandResult corestub(Map<String, String> environment, String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("env", "AWS_REGION=us-east-1"));
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("corestub.jar")));
        command.addAll(List.of(arguments));
        return ExternalCommand.run(command, Path.of("").toAbsolutePath(), java.time.Duration.ofSeconds(180));
    }

    private List<String> serveArguments(S3ProxyServer s3, String core) {
        return List.of(
                "serve",
                "--listen",
                "127.0.0.1:0",
                core,
                "--files",
                "s3://" + BUCKET + "/files/",
                "--s3-endpoint",
                s3.endpoint().toString(),
                "--chunk-size",
                "64KiB",
                "--cache-dir",
                dir.resolve("cache").toString());
    }

    private static String[] withMonitorInfo(List<String> session) {
        List<String> commands = new java.util.ArrayList<>(session);
        commands.add("monitor info");
        return commands.toArray(String[]::new);
    }

    private static long fetchedBytes(String info) {
        Matcher m = FETCHED.matcher(info);
        assertThat(m.find()).as(info).isTrue();
        double value = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        return (long) (value * (1L << shift));
    }
}
