package io.coredumptools.storage;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Entry point: opens a core or a mapped file from a location string (local path, {@code s3://BUCKET/KEY},
 * {@code http(s)://…}) as a {@link LazyFile}, and finds mapped files through {@code --files}, {@code --map} and
 * debuginfod ({@link #mappedFiles}). One instance per process; thread-safe; {@link #close} ends the fetch pool.
 *
 * <pre>{@code
 * try (Storage storage = Storage.create(StorageConfig.fromEnvironment().build());
 *         LazyFile core = storage.open("s3://crashes/cores/core.1234")) {
 *     core.ensure(0, 64);               // then read the ELF header at core.localPath()
 * }
 * }</pre>
 */
public final class Storage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Storage.class);

    private final StorageConfig config;
    private final ChunkCache cache;
    private final ThreadPoolExecutor fetchPool;
    private final FetchCounters counters = new FetchCounters(null);
    private final Object s3Lock = new Object();
    private S3Client s3;

    private Storage(StorageConfig config, ChunkCache cache) {
        this.config = config;
        this.cache = cache;
        AtomicInteger threads = new AtomicInteger();
        this.fetchPool = new ThreadPoolExecutor(
                config.maxParallelFetches(),
                config.maxParallelFetches(),
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "storage-fetch-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        fetchPool.allowCoreThreadTimeOut(true);
    }

    public static Storage create(StorageConfig config) throws StorageException {
        try {
            return new Storage(config, new ChunkCache(config.cacheDirectory(), config.cacheSizeBytes()));
        } catch (IOException e) {
            throw new StorageException(
                    StorageException.Reason.CACHE,
                    config.cacheDirectory().toString(),
                    "cannot create the cache directory: " + e.getMessage() + " (use --cache-dir elsewhere)",
                    e);
        }
    }

    public StorageConfig config() {
        return config;
    }

    /** Opens a location string; see {@link Location#parse}. */
    public LazyFile open(String location) throws StorageException {
        return open(Location.parse(location));
    }

    /**
     * Opens a location: a local file as it is, a remote object by asking for its size and ETag (one request)
     * and attaching its cache entry. Nothing else is read until {@link LazyFile#ensure}.
     */
    public LazyFile open(Location location) throws StorageException {
        if (location instanceof Location.Local local) return LocalFile.open(local.path());
        RangeSource source = source(location);
        FetchCounters fileCounters = new FetchCounters(counters);
        ObjectVersion version =
                config.retry().run(source.describe(), "its size and version", fileCounters, source::head);
        CacheEntry entry;
        try {
            entry = cache.open(source.cacheIdentity(), version, config.chunkSize(), source.describe());
        } catch (IOException e) {
            throw new StorageException(
                    StorageException.Reason.CACHE,
                    source.describe(),
                    "cannot open its cache entry under " + cache.root() + ": " + e.getMessage(),
                    e);
        }
        log.debug(
                "opened {} ({} bytes, {}) cached in {}",
                source.describe(),
                version.size(),
                version.validator(),
                entry.directory());
        return new RemoteFile(
                source, version, cache, entry, fetchPool, config.retry(), fileCounters, config.maxReadAheadChunks());
    }

    /**
     * The files directly under {@code prefix} (a local directory, or {@code s3://BUCKET/PREFIX/}: every key that
     * starts with it), as location strings in name order; {@code serve --catalog} lists its cores with it.
     */
    public List<String> list(Location prefix) throws StorageException {
        if (prefix instanceof Location.Local local) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(local.path())) {
                return files.filter(java.nio.file.Files::isRegularFile)
                        .map(java.nio.file.Path::toString)
                        .sorted()
                        .toList();
            } catch (java.io.IOException e) {
                throw new StorageException(
                        StorageException.Reason.NOT_FOUND, prefix.describe(), "cannot list it: " + e.getMessage(), e);
            }
        }
        if (prefix instanceof Location.S3 s3Location) {
            try {
                List<String> keys = new java.util.ArrayList<>();
                s3Client()
                        .listObjectsV2Paginator(
                                b -> b.bucket(s3Location.bucket()).prefix(s3Location.key()))
                        .contents()
                        .forEach(o -> {
                            if (!o.key().endsWith("/")) {
                                keys.add("s3://" + s3Location.bucket() + "/" + o.key());
                            }
                        });
                keys.sort(null);
                return keys;
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                throw new StorageException(
                        StorageException.Reason.UNAVAILABLE,
                        prefix.describe(),
                        "cannot list the prefix: " + e.getMessage(),
                        e);
            }
        }
        throw new StorageException(
                StorageException.Reason.INVALID_LOCATION,
                prefix.describe(),
                "only a local directory or s3://BUCKET/PREFIX/ can be listed");
    }

    private RangeSource source(Location location) throws StorageException {
        if (location instanceof Location.S3 s3Location) {
            return new S3RangeSource(
                    s3Client(),
                    s3Location,
                    config.s3Endpoint().map(Object::toString).orElse("aws"));
        }
        if (location instanceof Location.Http http) {
            return new HttpRangeSource(http, config.connectTimeout(), config.readTimeout());
        }
        throw new IllegalArgumentException("not a remote location: " + location.describe());
    }

    private S3Client s3Client() throws StorageException {
        synchronized (s3Lock) {
            if (s3 == null) s3 = S3Clients.create(config);
            return s3;
        }
    }

    /**
     * A finder of mapped files: {@code --map OLD=NEW} rules, {@code --files PREFIX} prefixes, then debuginfod
     * ({@code --debuginfod URL}s and {@code DEBUGINFOD_URLS}).
     */
    public MappedFileLocator mappedFiles(List<String> filePrefixes, List<String> mappings, List<String> debuginfodUrls)
            throws StorageException {
        return mappedFiles(filePrefixes, mappings, debuginfodUrls, System.getenv());
    }

    MappedFileLocator mappedFiles(
            List<String> filePrefixes, List<String> mappings, List<String> debuginfodUrls, Map<String, String> env)
            throws StorageException {
        List<Location> prefixes = new java.util.ArrayList<>();
        for (String prefix : filePrefixes) prefixes.add(Location.parse(prefix));
        return new MappedFileLocator(
                this,
                PathMapping.parseAll(mappings),
                prefixes,
                DebuginfodClient.create(debuginfodUrls, env, config, counters));
    }

    /** The figures of every file opened through this instance. */
    public FetchStats stats() {
        return counters.snapshot();
    }

    /** Bytes stored in the on-disk cache (all processes). */
    public long cachedBytes() throws IOException {
        return cache.storedBytes();
    }

    @Override
    public void close() {
        fetchPool.shutdown();
        synchronized (s3Lock) {
            if (s3 != null) s3.close();
            s3 = null;
        }
    }
}
