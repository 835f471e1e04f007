package io.coredumptools.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.testkit.ChildJvm;
import io.coredumptools.testkit.CommandResult;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What goes wrong with a real S3 API server: it stops, or the credentials are wrong. */
class S3FailureTest {
    @TempDir
    Path temp;

    @Test
    void aStoppedStoreIsAClearErrorAfterBoundedRetriesNotAHang() throws Exception {
        byte[] bytes = new byte[4 << 20];
        new Random(3).nextBytes(bytes);
        StorageException failure;
        try (S3ProxyServer s3 = S3ProxyServer.start(temp.resolve("s3proxy"))) {
            s3.createBucket("crashes");
            s3.put("crashes", "core", bytes);
            try (Storage storage = Storage.create(StorageConfig.fromEnvironment()
                            .cacheDirectory(temp.resolve("cache"))
                            .s3Endpoint(s3.endpoint())
                            .s3Credentials(s3.credentials())
                            .build());
                    LazyFile core = storage.open("s3://crashes/core")) {
                TestFiles.read(core, 0, 10);
                s3.close();
                assertThat(s3.isRunning()).isFalse();
                failure = org.junit.jupiter.api.Assertions.assertThrows(
                        StorageException.class, () -> core.ensure(3 << 20, 10));
                // The storage itself survives: a local file still opens, the same file fails the same way.
                assertThatThrownBy(() -> core.ensure(3 << 20, 10)).isInstanceOf(StorageException.class);
                // Bounded: at most attempts-1 retries per failed read. Fewer when a read ahead of ours had already
                // met the stopped store (its failure is shared), so only the bound is exact.
                assertThat(core.stats().retries()).isBetween(1L, 2L * (RetryPolicy.DEFAULT.attempts() - 1));
            }
        }
        assertThat(failure.reason()).isEqualTo(StorageException.Reason.UNAVAILABLE);
        assertThat(failure.getMessage())
                .startsWith("s3://crashes/core: cannot read bytes 3145728-4194303 after 4 attempts")
                .contains("check that the store is running")
                .doesNotContain("\n");
    }

    @Test
    void wrongCredentialsFromTheDefaultChainAreAClearErrorThatNeverEchoesThem() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(temp.resolve("s3proxy"))) {
            s3.createBucket("crashes");
            s3.put("crashes", "core", new byte[1000]);
            String wrongSecret = "WrOnGsEcReT" + Long.toHexString(new Random().nextLong());

            CommandResult right = probe(s3, S3ProxyServer.IDENTITY, s3.secret(), "s3://crashes/core");
            assertThat(right.stdout()).as(right.describe()).startsWith("OK 1000");

            CommandResult wrong = probe(s3, S3ProxyServer.IDENTITY, wrongSecret, "s3://crashes/core");
            assertThat(wrong.exitCode()).isEqualTo(2);
            assertThat(wrong.stdout())
                    .startsWith("ERROR ACCESS_DENIED s3://crashes/core: access denied (HTTP 403")
                    .contains("check the credentials");
            // Everything the process wrote, the SDK's DEBUG logging included, and S3Proxy's log.
            String everything = wrong.stdout() + wrong.stderr() + right.stdout() + right.stderr();
            assertThat(wrong.stderr()).contains("DEBUG"); // the logs were really at DEBUG
            assertThat(everything).doesNotContain(wrongSecret).doesNotContain(s3.secret());

            CommandResult unknownKey = probe(s3, "AKIDNOBODYKNOWS", wrongSecret, "s3://crashes/core");
            assertThat(unknownKey.stdout()).startsWith("ERROR ACCESS_DENIED s3://crashes/core: access denied");
            assertThat(unknownKey.stdout() + unknownKey.stderr()).doesNotContain(wrongSecret);
        }
    }

    private CommandResult probe(S3ProxyServer s3, String accessKey, String secret, String location) throws Exception {
        List<String> command = ChildJvm.command(
                S3OpenMain.class,
                List.of("-Dstorage.log.level=DEBUG"),
                location,
                temp.resolve("probe-cache").toString());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", s3.endpoint().toString());
        env.put("AWS_CONFIG_FILE", temp.resolve("no-aws-config").toString());
        env.put(
                "AWS_SHARED_CREDENTIALS_FILE",
                temp.resolve("no-aws-credentials").toString());
        Path out = temp.resolve("probe.out");
        Path err = temp.resolve("probe.err");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("probe did not finish: " + java.nio.file.Files.readString(err));
        }
        return new CommandResult(
                command, process.exitValue(), java.nio.file.Files.readString(out), java.nio.file.Files.readString(err));
    }
}
