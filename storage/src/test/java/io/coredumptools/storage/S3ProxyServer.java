package io.coredumptools.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy 4.1.0 (the real S3 API server, jar-with-dependencies copied into target/ by the build) as a child JVM
 * on 127.0.0.1 with the filesystem backend and AWS v2/v4 signatures. Credentials are made up per run, so a
 * test can grep logs for them. Shared with the integration tests through this module's test jar.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String IDENTITY = "AKIDCORESTUBTEST";

    private final Path directory;
    private final Path basedir;
    private final String secret;
    private final int port;
    private final Process process;

    private S3ProxyServer(Path directory, Path basedir, String secret, int port, Process process) {
        this.directory = directory;
        this.basedir = basedir;
        this.secret = secret;
        this.port = port;
        this.process = process;
    }

    public static S3ProxyServer start(Path directory) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar missing at " + jar + " (the build copies it: run mvn verify)");
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String secret = "SeCrEt" + HexFormat.of().formatHex(random);
        Path basedir = Files.createDirectories(directory.resolve("s3data"));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path properties = directory.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + IDENTITY,
                        "s3proxy.credential=" + secret,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + basedir,
                        ""));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(
                        java.toString(), "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("s3proxy.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        S3ProxyServer server = new S3ProxyServer(directory, basedir, secret, port, process);
        server.awaitListening(Duration.ofSeconds(90));
        return server;
    }

    private void awaitListening(Duration limit) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IOException("S3Proxy did not listen on port " + port + " within " + limit + ": " + log());
    }

    String log() throws IOException {
        Path log = directory.resolve("s3proxy.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String secret() {
        return secret;
    }

    /** A bucket of the filesystem backend is a directory of basedir. */
    public void createBucket(String bucket) throws IOException {
        Files.createDirectories(basedir.resolve(bucket));
    }

    /** An S3 client with the right credentials, for uploads. */
    public S3Client client() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, secret));
    }

    public void put(String bucket, String key, Path file) {
        try (S3Client client = client()) {
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        }
    }

    public void put(String bucket, String key, byte[] bytes) {
        try (S3Client client = client()) {
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
