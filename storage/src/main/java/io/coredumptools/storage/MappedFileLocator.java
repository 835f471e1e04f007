package io.coredumptools.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the file a core recorded as mapped, e.g. {@code /usr/lib/x86_64-linux-gnu/libc.so.6}, when it is not
 * (or should not be taken) at that path: first the {@code --map OLD=NEW} rules (most specific first), then each
 * {@code --files PREFIX} in order (the path is looked up under the prefix, as {@code --sysroot} does), then
 * debuginfod by build-id. Every candidate must pass the caller's check (the build-id check, which applies to
 * every source); one that fails it is closed and the next is tried.
 */
public final class MappedFileLocator {
    private static final Logger log = LoggerFactory.getLogger(MappedFileLocator.class);

    private final Storage storage;
    private final List<PathMapping> mappings;
    private final List<Location> prefixes;
    private final DebuginfodClient debuginfod;

    MappedFileLocator(
            Storage storage, List<PathMapping> mappings, List<Location> prefixes, DebuginfodClient debuginfod) {
        this.storage = storage;
        this.mappings = List.copyOf(mappings);
        this.prefixes = List.copyOf(prefixes);
        this.debuginfod = debuginfod;
    }

    /** The locations tried for {@code recordedPath} before debuginfod, in order. */
    public List<Location> candidates(String recordedPath) throws StorageException {
        List<Location> candidates = new ArrayList<>();
        for (PathMapping mapping : mappings) {
            Location mapped = mapping.apply(recordedPath);
            if (mapped != null) candidates.add(mapped);
        }
        String relative = recordedPath.replaceFirst("^/+", "");
        for (Location prefix : prefixes) candidates.add(prefix.child(relative));
        return candidates;
    }

    /**
     * Opens the first candidate that exists and passes {@code check}, else the debuginfod executable for
     * {@code buildId} (lower-case hex, or null when the core recorded none). Empty when nothing was found.
     *
     * @throws StorageException a store answered with something other than "not found" (unreachable, access
     *     denied, changed): the caller reports it rather than silently running without the file
     */
    public Optional<LazyFile> open(String recordedPath, String buildId, Predicate<LazyFile> check)
            throws StorageException {
        for (Location candidate : candidates(recordedPath)) {
            LazyFile file;
            try {
                file = storage.open(candidate);
            } catch (StorageException e) {
                if (e.reason() == StorageException.Reason.NOT_FOUND) {
                    log.debug("{}: not at {}", recordedPath, candidate.describe());
                    continue;
                }
                throw e;
            }
            if (accepted(file, check, recordedPath)) return Optional.of(file);
        }
        if (buildId != null && debuginfod.isEnabled()) {
            Optional<LazyFile> found = debuginfod.executable(buildId);
            if (found.isPresent() && accepted(found.get(), check, recordedPath)) return found;
        }
        return Optional.empty();
    }

    /** The separate debug information for {@code buildId} from debuginfod, if a server has it. */
    public Optional<LazyFile> debuginfo(String buildId) throws StorageException {
        return debuginfod.isEnabled() ? debuginfod.debuginfo(buildId) : Optional.empty();
    }

    public DebuginfodClient debuginfod() {
        return debuginfod;
    }

    private static boolean accepted(LazyFile file, Predicate<LazyFile> check, String recordedPath) {
        boolean ok;
        try {
            ok = check.test(file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        if (!ok) {
            log.info("{}: {} is another file (build-id differs), not used", recordedPath, file.describe());
            file.close();
        }
        return ok;
    }
}
