package io.coredumptools.storage;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How remote files are read and cached. {@link #fromEnvironment} gives the defaults the CLI starts from; its
 * options ({@code --cache-dir}, {@code --cache-size}, {@code --chunk-size}, {@code --s3-endpoint}) map onto the
 * builder one to one.
 *
 * @param cacheDirectory the shared on-disk cache ({@code --cache-dir})
 * @param cacheSizeBytes the limit on the chunks stored there ({@code --cache-size}, default 10 GiB)
 * @param chunkSize the fetch unit ({@code --chunk-size}, default 1 MiB; a multiple of 4 KiB, so chunks map to
 *     whole pages)
 * @param maxParallelFetches ranged GETs in flight at once, over all files of one {@link Storage}
 * @param maxReadAheadChunks chunks fetched ahead of a sequential reader, per file (0: none)
 * @param retry how transient errors are retried
 * @param connectTimeout TCP connect timeout of one request
 * @param readTimeout the longest wait for the next bytes of a response
 * @param s3Endpoint an S3-compatible endpoint ({@code --s3-endpoint} or {@code AWS_ENDPOINT_URL}), else AWS
 * @param s3PathStyle path-style bucket addressing ({@code http://host/bucket/key}), which S3-compatible stores
 *     need; on by default when an endpoint is given
 * @param s3Region the region, else the SDK's default chain ({@code AWS_REGION}, profile, instance metadata),
 *     else us-east-1 when an endpoint is given
 * @param s3Credentials credentials, else the SDK's default chain (for the Java API and tests)
 */
public record StorageConfig(
        Path cacheDirectory,
        long cacheSizeBytes,
        long chunkSize,
        int maxParallelFetches,
        int maxReadAheadChunks,
        RetryPolicy retry,
        Duration connectTimeout,
        Duration readTimeout,
        Optional<URI> s3Endpoint,
        boolean s3PathStyle,
        Optional<String> s3Region,
        Optional<AwsCredentialsProvider> s3Credentials) {

    public static final long DEFAULT_CACHE_SIZE = 10L << 30;
    public static final long DEFAULT_CHUNK_SIZE = 1L << 20;
    public static final long MAX_CHUNK_SIZE = 64L << 20;
    static final long PAGE = 4096;

    public StorageConfig {
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(s3Region, "s3Region");
        Objects.requireNonNull(s3Credentials, "s3Credentials");
        if (chunkSize < PAGE || chunkSize > MAX_CHUNK_SIZE || chunkSize % PAGE != 0) {
            throw new IllegalArgumentException(
                    "--chunk-size must be a multiple of 4 KiB between 4 KiB and 64 MiB: " + chunkSize);
        }
        if (cacheSizeBytes < 0) throw new IllegalArgumentException("--cache-size must not be negative");
        if (maxParallelFetches < 1 || maxParallelFetches > 64) {
            throw new IllegalArgumentException("parallel fetches must be between 1 and 64: " + maxParallelFetches);
        }
        if (maxReadAheadChunks < 0 || maxReadAheadChunks > 256) {
            throw new IllegalArgumentException("read-ahead must be between 0 and 256 chunks: " + maxReadAheadChunks);
        }
    }

    /** The defaults, with {@code AWS_ENDPOINT_URL} and the XDG cache directory taken from the environment. */
    public static Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static Builder fromEnvironment(Map<String, String> env) {
        Builder b = new Builder().cacheDirectory(defaultCacheDirectory(env));
        String endpoint = env.get("AWS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) b.s3Endpoint(URI.create(endpoint.trim()));
        return b;
    }

    /** {@code $XDG_CACHE_HOME/coredump-tools}, else {@code ~/.cache/coredump-tools}. */
    static Path defaultCacheDirectory(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "coredump-tools");
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".cache", "coredump-tools");
    }

    public static final class Builder {
        private Path cacheDirectory;
        private long cacheSizeBytes = DEFAULT_CACHE_SIZE;
        private long chunkSize = DEFAULT_CHUNK_SIZE;
        private int maxParallelFetches = 4;
        private int maxReadAheadChunks = 8;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private URI s3Endpoint;
        private Boolean s3PathStyle;
        private String s3Region;
        private AwsCredentialsProvider s3Credentials;

        public Builder cacheDirectory(Path directory) {
            this.cacheDirectory = directory;
            return this;
        }

        public Builder cacheSize(long bytes) {
            this.cacheSizeBytes = bytes;
            return this;
        }

        public Builder chunkSize(long bytes) {
            this.chunkSize = bytes;
            return this;
        }

        public Builder maxParallelFetches(int fetches) {
            this.maxParallelFetches = fetches;
            return this;
        }

        public Builder maxReadAheadChunks(int chunks) {
            this.maxReadAheadChunks = chunks;
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        public Builder s3Endpoint(URI endpoint) {
            this.s3Endpoint = endpoint;
            return this;
        }

        public Builder s3PathStyle(boolean pathStyle) {
            this.s3PathStyle = pathStyle;
            return this;
        }

        public Builder s3Region(String region) {
            this.s3Region = region;
            return this;
        }

        public Builder s3Credentials(AwsCredentialsProvider credentials) {
            this.s3Credentials = credentials;
            return this;
        }

        public StorageConfig build() {
            return new StorageConfig(
                    cacheDirectory,
                    cacheSizeBytes,
                    chunkSize,
                    maxParallelFetches,
                    maxReadAheadChunks,
                    retry,
                    connectTimeout,
                    readTimeout,
                    Optional.ofNullable(s3Endpoint),
                    s3PathStyle != null ? s3PathStyle : s3Endpoint != null,
                    Optional.ofNullable(s3Region),
                    Optional.ofNullable(s3Credentials));
        }
    }
}
