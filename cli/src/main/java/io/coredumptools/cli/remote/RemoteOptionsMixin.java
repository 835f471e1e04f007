package io.coredumptools.cli.remote;

import io.coredumptools.cli.UnusableInputException;
import io.coredumptools.storage.ByteSizes;
import io.coredumptools.storage.StorageConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a core and its files may be besides this machine: object stores, HTTP servers, debuginfod, and the
 * local cache of what was fetched. Shared by every command that opens a core ({@code @Mixin}). {@code --map}
 * rules whose NEW is a URL come from {@code CoreOptionsMixin} ({@code --map} is one option).
 */
public final class RemoteOptionsMixin {

    @Option(
            names = "--files",
            paramLabel = "URL",
            order = 120,
            description = "Look up the paths the core recorded under this s3://BUCKET/PREFIX/ or https://HOST/PATH/ "
                    + "(after --sysroot, before the path itself); repeatable.")
    List<String> filePrefixes = new ArrayList<>();

    @Option(
            names = "--debuginfod",
            paramLabel = "URL",
            order = 121,
            description = "A debuginfod server to ask for files by build-id (after every other place); repeatable. "
                    + "DEBUGINFOD_URLS is honoured too, and the cache is debuginfod-client's.")
    List<String> debuginfodUrls = new ArrayList<>();

    @Option(
            names = "--s3-endpoint",
            paramLabel = "URL",
            order = 122,
            description =
                    "The S3 API endpoint of an S3-compatible store (path-style); default AWS_ENDPOINT_URL, else AWS.")
    String s3Endpoint;

    @Option(
            names = "--chunk-size",
            paramLabel = "SIZE",
            order = 123,
            description = "The unit remote bytes are fetched and cached in (default 1MiB; a multiple of 4KiB).")
    String chunkSize;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            order = 124,
            description = "The cache of fetched chunks (default $XDG_CACHE_HOME/coredump-tools); may be shared.")
    Path cacheDir;

    @Option(
            names = "--cache-size",
            paramLabel = "SIZE",
            order = 125,
            description = "Evict least recently used cache entries above this (default 10GiB).")
    String cacheSize;

    public List<String> filePrefixes() {
        return filePrefixes;
    }

    public List<String> debuginfodUrls() {
        return debuginfodUrls;
    }

    /** The storage configuration these options (and the environment) give. */
    public StorageConfig toStorageConfig() throws UnusableInputException {
        StorageConfig.Builder builder = StorageConfig.fromEnvironment();
        try {
            if (cacheDir != null) {
                builder.cacheDirectory(cacheDir);
            }
            if (cacheSize != null) {
                builder.cacheSize(ByteSizes.parse(cacheSize));
            }
            if (chunkSize != null) {
                builder.chunkSize(ByteSizes.parse(chunkSize));
            }
            if (s3Endpoint != null) {
                builder.s3Endpoint(URI.create(s3Endpoint)).s3PathStyle(true);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new UnusableInputException(e.getMessage());
        }
    }
}
