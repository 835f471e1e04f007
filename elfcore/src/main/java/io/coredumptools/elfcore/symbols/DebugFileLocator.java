package io.coredumptools.elfcore.symbols;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.FileBytes;
import io.coredumptools.elfcore.source.RemoteFiles;
import io.coredumptools.elfcore.source.SourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the separate debug file of an ELF object, as gdb does:
 * <ol>
 *   <li>by build-id: {@code <dir>/.build-id/xx/rest.debug} for each debug directory, then the system one;</li>
 *   <li>by .gnu_debuglink: the linked name in the object's directory, its {@code .debug/} subdirectory, and
 *       {@code <dir>/<object's directory>/} under each debug directory; the file's CRC-32 must match.</li>
 *   <li>from debuginfod ({@link RemoteFiles#debugFile}, {@code /buildid/HEX/debuginfo}), by build-id, when the
 *       options name servers.</li>
 * </ol>
 * A candidate is accepted only when its build-id equals the object's (when the object has one).
 */
public final class DebugFileLocator {
    private static final Logger log = LoggerFactory.getLogger(DebugFileLocator.class);
    private static final int CRC_CHUNK = 1 << 20;

    private final List<Path> debugDirs;
    private final RemoteFiles remote;

    /**
     * @param debugDirs      searched first, in order
     * @param systemDebugDir searched last ({@code /usr/lib/debug}); null to leave it out
     */
    public DebugFileLocator(List<Path> debugDirs, Path systemDebugDir) {
        this(debugDirs, systemDebugDir, RemoteFiles.NONE);
    }

    private DebugFileLocator(List<Path> debugDirs, Path systemDebugDir, RemoteFiles remote) {
        List<Path> dirs = new ArrayList<>(debugDirs);
        if (systemDebugDir != null) {
            dirs.add(systemDebugDir);
        }
        this.debugDirs = List.copyOf(dirs);
        this.remote = remote;
    }

    /**
     * The debug directories of {@code options}: its debugDirs, then its systemDebugDir when not null; then its
     * debuginfod servers ({@link CoreOptions#remoteFiles()}).
     */
    public static DebugFileLocator from(CoreOptions options) {
        return new DebugFileLocator(options.debugDirs(), options.systemDebugDir(), options.remoteFiles());
    }

    /** A locator that finds nothing: only the objects' own symbol tables are used. */
    public static DebugFileLocator none() {
        return new DebugFileLocator(List.of(), null);
    }

    /** The directories searched, in order. */
    public List<Path> debugDirs() {
        return debugDirs;
    }

    /**
     * The debug file of {@code object}, or empty. Candidates that exist but do not match (wrong build-id or
     * CRC, not ELF) are skipped with a line in {@code problems}.
     */
    public Optional<Path> locate(ElfFile object, List<String> problems) throws CoreFormatException {
        Optional<String> buildId = object.buildId();
        if (buildId.isPresent()) {
            Optional<Path> byBuildId = locateByBuildId(object, buildId.get(), problems);
            if (byBuildId.isPresent()) {
                return byBuildId;
            }
        }
        Optional<DebugLink> link;
        try {
            link = DebugLink.read(object);
        } catch (CoreFormatException e) {
            // A corrupt debug link costs only the debug file: the object's own symbols stay usable.
            log.warn(e.getMessage());
            problems.add(e.getMessage());
            return Optional.empty();
        }
        if (link.isPresent()) {
            Optional<Path> byLink = locateByDebugLink(object, buildId, link.get(), problems);
            if (byLink.isPresent()) {
                return byLink;
            }
        }
        return buildId.isPresent() ? fromDebuginfod(buildId.get(), problems) : Optional.empty();
    }

    /** The debuginfod server's debug file for {@code buildId}: a debug file is optional, so a failure is a problem. */
    private Optional<Path> fromDebuginfod(String buildId, List<String> problems) {
        if (remote.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<Path> found = remote.debugFile(buildId);
            if (found.isPresent() && buildIdMatches(found.get(), Optional.of(buildId), problems)) {
                return found;
            }
        } catch (SourceException e) {
            log.warn("debug file of build-id {} not fetched: {}", buildId, e.getMessage());
            problems.add(e.getMessage());
        }
        return Optional.empty();
    }

    /** The paths tried for a build-id, in order. */
    public List<Path> buildIdCandidates(String buildId) {
        List<Path> candidates = new ArrayList<>();
        // Fewer than 3 hex digits cannot be split into the xx/rest form.
        if (buildId.length() < 3) {
            return candidates;
        }
        for (Path dir : debugDirs) {
            candidates.add(
                    dir.resolve(".build-id").resolve(buildId.substring(0, 2)).resolve(buildId.substring(2) + ".debug"));
        }
        return candidates;
    }

    /** The paths tried for a debug link of an object in {@code objectDir}, in order. */
    public List<Path> debugLinkCandidates(Path objectDir, String fileName) {
        Path dir = objectDir.toAbsolutePath().normalize();
        List<Path> candidates = new ArrayList<>();
        candidates.add(dir.resolve(fileName));
        candidates.add(dir.resolve(".debug").resolve(fileName));
        Path relativeDir = dir.getRoot() == null ? dir : dir.getRoot().relativize(dir);
        for (Path debugDir : debugDirs) {
            candidates.add(debugDir.resolve(relativeDir).resolve(fileName));
        }
        return candidates;
    }

    private Optional<Path> locateByBuildId(ElfFile object, String buildId, List<String> problems) {
        for (Path candidate : buildIdCandidates(buildId)) {
            if (!Files.isRegularFile(candidate) || isSameFile(candidate, object.path())) {
                continue;
            }
            if (buildIdMatches(candidate, Optional.of(buildId), problems)) {
                log.debug("{}: debug file {} found by build-id", object.path(), candidate);
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private Optional<Path> locateByDebugLink(
            ElfFile object, Optional<String> buildId, DebugLink link, List<String> problems) {
        Path objectDir = object.path().toAbsolutePath().getParent();
        if (objectDir == null) {
            return Optional.empty();
        }
        for (Path candidate : debugLinkCandidates(objectDir, link.fileName())) {
            // The object itself may carry the linked name (objcopy --add-gnu-debuglink=foo on foo's copy).
            if (!Files.isRegularFile(candidate) || isSameFile(candidate, object.path())) {
                continue;
            }
            long crc;
            try {
                crc = crc32(candidate);
            } catch (CoreFormatException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (crc != link.crc()) {
                String problem = candidate + ": not the debug file of " + object.path() + " (CRC-32 0x"
                        + Long.toHexString(crc) + ", .gnu_debuglink expects 0x" + Long.toHexString(link.crc()) + ")";
                log.warn(problem);
                problems.add(problem);
                continue;
            }
            if (buildIdMatches(candidate, buildId, problems)) {
                log.debug("{}: debug file {} found by .gnu_debuglink", object.path(), candidate);
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The candidate is an ELF file whose build-id is {@code expected} (anything goes when none is expected). */
    private static boolean buildIdMatches(Path candidate, Optional<String> expected, List<String> problems) {
        try (ElfFile debug = ElfFile.open(candidate)) {
            if (expected.isEmpty()) {
                return true;
            }
            Optional<String> actual = debug.buildId();
            if (actual.equals(expected)) {
                return true;
            }
            String problem = candidate + ": build-id " + actual.orElse("(none)") + " differs from the object's "
                    + expected.get() + "; ignored";
            log.warn(problem);
            problems.add(problem);
            return false;
        } catch (CoreFormatException e) {
            log.warn("debug file candidate skipped: {}", e.getMessage());
            problems.add(e.getMessage());
            return false;
        }
    }

    /** The CRC-32 of the whole file, read in chunks (debug files run to hundreds of megabytes). */
    static long crc32(Path file) throws CoreFormatException {
        try (FileBytes bytes = FileBytes.open(file)) {
            CRC32 crc = new CRC32();
            long size = bytes.size();
            for (long offset = 0; offset < size; offset += CRC_CHUNK) {
                int length = (int) Math.min(CRC_CHUNK, size - offset);
                ByteBuffer chunk = bytes.read(offset, length, "data for CRC-32");
                crc.update(chunk);
            }
            return crc.getValue();
        }
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
