package io.coredumptools.cli.remote;

import io.coredumptools.cli.UnusableInputException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.PathMapping;
import io.coredumptools.elfcore.source.FetchFigures;
import io.coredumptools.elfcore.source.FileSources;
import io.coredumptools.storage.Storage;
import io.coredumptools.storage.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core a command was given (a local path, {@code s3://BUCKET/KEY}, {@code http(s)://…}) opened for elfcore,
 * with the remote places for its files. A remote core is known to {@link FileSources} while this is open, so the
 * ordinary {@code CoreDump.open(path)}, {@code Emulator.open(path)} and {@code LoadedCore.open(path)} read it
 * through its cache, fetching only what they touch. Close it after the core.
 */
public final class OpenedSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpenedSource.class);

    private final String location;
    private final Path path;
    private final CoreOptions options;
    private final Storage storage;
    private final LazyFileSource core;
    private final FileSources.Registration registration;
    private final long started = System.nanoTime();

    private OpenedSource(
            String location,
            Path path,
            CoreOptions options,
            Storage storage,
            LazyFileSource core,
            FileSources.Registration registration) {
        this.location = location;
        this.path = path;
        this.options = options;
        this.storage = storage;
        this.core = core;
        this.registration = registration;
    }

    /** Whether {@code argument} names a remote object rather than a local path. */
    public static boolean isRemote(String argument) {
        return argument.matches("(?i)(s3|https?)://.*");
    }

    /**
     * Opens the core argument. {@code --map} rules whose NEW is a URL move from {@code options} to the remote
     * places; storage is only set up when something is remote (or debuginfod is asked).
     *
     * @throws UnusableInputException the core or a store cannot be opened (one line, never credentials)
     */
    public static OpenedSource open(String argument, CoreOptions options, RemoteOptionsMixin remote)
            throws UnusableInputException {
        List<PathMapping> localMaps = new ArrayList<>();
        List<String> urlMaps = new ArrayList<>();
        for (PathMapping mapping : options.pathMappings()) {
            if (isRemote(mapping.to())) {
                urlMaps.add(mapping.from() + "=" + mapping.to());
            } else {
                localMaps.add(mapping);
            }
        }
        CoreOptions local = options.withPathMappings(localMaps);
        String env = System.getenv("DEBUGINFOD_URLS");
        boolean debuginfod = !remote.debuginfodUrls().isEmpty() || (env != null && !env.isBlank());
        boolean needsStorage = isRemote(argument)
                || !urlMaps.isEmpty()
                || !remote.filePrefixes().isEmpty()
                || debuginfod;
        if (!needsStorage) {
            return new OpenedSource(argument, Path.of(argument), local, null, null, null);
        }
        Storage storage;
        try {
            storage = Storage.create(remote.toStorageConfig());
        } catch (StorageException e) {
            throw new UnusableInputException(e.getMessage());
        }
        try {
            CoreOptions withRemote = local.withRemoteFiles(new StorageRemoteFiles(
                    storage.mappedFiles(remote.filePrefixes(), urlMaps, remote.debuginfodUrls()),
                    remote.filePrefixes().isEmpty() && urlMaps.isEmpty()));
            if (!isRemote(argument)) {
                return new OpenedSource(argument, Path.of(argument), withRemote, storage, null, null);
            }
            LazyFileSource core = new LazyFileSource(storage.open(argument));
            FileSources.Registration registration = FileSources.register(core);
            log.info("{}: {} bytes, cached in {}", core.describe(), core.size(), core.localPath());
            return new OpenedSource(core.describe(), core.localPath(), withRemote, storage, core, registration);
        } catch (StorageException e) {
            storage.close();
            throw new UnusableInputException(e.getMessage());
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** The path to give elfcore: the local file, or the cache file of the remote core. */
    public Path path() {
        return path;
    }

    /** The options with the remote places for the core's files. */
    public CoreOptions options() {
        return options;
    }

    /** The core's location for people (no credentials). */
    public String location() {
        return location;
    }

    public boolean isRemoteCore() {
        return core != null;
    }

    /** Whether anything is fetched through storage (a remote core or remote files). */
    public boolean usesStorage() {
        return storage != null;
    }

    /** What every remote read so far cost (core and files). */
    public FetchFigures figures() {
        return storage == null ? FetchFigures.NONE : LazyFileSource.figures(storage.stats());
    }

    /** {@code s3://b/core: fetched 1.2 MiB in 3 chunks (…) in 840 ms}: the attach progress line. */
    public String progressLine() {
        return location + ": " + figures().summary() + ", ready in " + (System.nanoTime() - started) / 1_000_000
                + " ms";
    }

    /** The source and, when anything may be fetched, the fetch figures for {@code info --json}. */
    public Map<String, Object> jsonFields() {
        Map<String, Object> fetch = new LinkedHashMap<>();
        FetchFigures f = figures();
        fetch.put("bytes_fetched", f.bytesFetched());
        fetch.put("chunks_fetched", f.chunksFetched());
        fetch.put("cache_hits", f.cacheHits());
        fetch.put("cache_misses", f.cacheMisses());
        fetch.put("requests", f.requests());
        fetch.put("retries", f.retries());
        fetch.put("fetch_ms", f.fetchMillis());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", location);
        fields.put("remote", core != null);
        if (storage != null) {
            fields.put("fetch", fetch); // local files only: nothing is fetched
        }
        return fields;
    }

    @Override
    public void close() {
        if (registration != null) {
            registration.close();
        }
        if (core != null) {
            core.close();
        }
        if (storage != null) {
            storage.close();
        }
    }
}
