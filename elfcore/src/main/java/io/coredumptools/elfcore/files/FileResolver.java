package io.coredumptools.elfcore.files;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreMemory;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.FileBytes;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.PathMapping;
import io.coredumptools.elfcore.source.FileSource;
import io.coredumptools.elfcore.source.FileSources;
import io.coredumptools.elfcore.source.RemoteFiles;
import io.coredumptools.elfcore.source.SourceException;
import io.coredumptools.elfcore.source.UncheckedSourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, on this machine, the files a core's NT_FILE note recorded. For each recorded path the candidates are,
 * in order: {@code --exe} (main executable only), each matching {@code --map} rewrite, the path under
 * {@code --sysroot}, the path itself. The first existing regular file wins. An ELF file must be readable as one
 * (else it counts as missing), and the build-id the core holds for the mapping is compared with the file's. A
 * file of another format (locale archives, the gconv cache, fonts, databases) is mapped as it is: its identity
 * checks are its size (it must hold what the process mapped) and its modification time (not after the core was
 * written); a file that fails one is used, with a warning. Results are cached per recorded path. Safe for
 * concurrent use.
 *
 * <p>With {@link CoreOptions#remoteFiles()}, an object store (or HTTP server) is asked after {@code --sysroot} and
 * before the recorded path ({@link Resolution#REMOTE}), and debuginfod last, by the build-id the core holds
 * ({@link Resolution#DEBUGINFOD}). A remote candidate must pass the same checks, strictly: a build-id mismatch or
 * a data file too short for its mappings is refused and the next candidate tried. Remote files found stay open
 * (and known to {@link FileSources}, so every reader ensures their bytes) until {@link #close()}. A store that
 * cannot be asked (unreachable, access denied) is an error ({@link UncheckedSourceException}), not a missing file.
 */
public final class FileResolver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileResolver.class);
    /** The kernel appends this to the path of a file unlinked (e.g. upgraded) while mapped. */
    static final String DELETED_SUFFIX = " (deleted)";

    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};

    private final CoreOptions options;
    private final CoreMemory memory;
    /** When the core was written (its modification time), if known. */
    private final Optional<Instant> coreWritten;

    private final Map<String, ResolvedFile> cache = new ConcurrentHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    /** Remote files found, open until {@link #close()}. */
    private final List<FileSources.Registration> opened = new CopyOnWriteArrayList<>();

    /**
     * @param memory the core's memory, for the build-ids of mapped objects; null to skip that check
     */
    public FileResolver(CoreOptions options, CoreMemory memory) {
        this(options, memory, Optional.empty());
    }

    /** @param coreWritten when the core was written: a data file changed after that is not the one mapped */
    public FileResolver(CoreOptions options, CoreMemory memory, Optional<Instant> coreWritten) {
        this.options = options;
        this.memory = memory;
        this.coreWritten = coreWritten;
    }

    /**
     * The file for {@code recordedPath}.
     *
     * @param mainExecutable whether it is the main executable, which {@code --exe} replaces
     * @param mappingStart   the start of its mapping at file offset 0, where the core holds its ELF header
     */
    public ResolvedFile resolve(String recordedPath, boolean mainExecutable, long mappingStart) {
        return resolve(recordedPath, mainExecutable, mappingStart, 0);
    }

    /** @param mappedExtent the end of the file's highest mapped byte (offset + size): a data file must reach it */
    public ResolvedFile resolve(String recordedPath, boolean mainExecutable, long mappingStart, long mappedExtent) {
        return cache.computeIfAbsent(recordedPath, p -> resolveUncached(p, mainExecutable, mappingStart, mappedExtent));
    }

    /**
     * Every NT_FILE mapping with its file, each file resolved once, its build-id read at the start of its
     * mapping at file offset 0 (its lowest mapping when none starts at offset 0).
     *
     * @param executablePath the recorded path of the main executable, or null when unknown
     */
    public List<MappedRegion> resolveAll(List<FileMapping> mappings, String executablePath) {
        Map<String, Long> headerAddress = new LinkedHashMap<>();
        for (FileMapping m : mappings) {
            if (m.fileOffset() == 0) {
                headerAddress.putIfAbsent(m.path(), m.start());
            }
        }
        Map<String, Long> extent = new LinkedHashMap<>();
        for (FileMapping m : mappings) {
            headerAddress.merge(m.path(), m.start(), (kept, other) -> kept);
            long end = m.fileOffset() + m.size();
            if (m.fileOffset() >= 0 && end >= m.fileOffset()) {
                extent.merge(m.path(), end, Math::max);
            }
        }
        List<MappedRegion> regions = new ArrayList<>(mappings.size());
        for (FileMapping m : mappings) {
            boolean isExecutable = m.path().equals(executablePath);
            regions.add(new MappedRegion(
                    m,
                    resolve(m.path(), isExecutable, headerAddress.get(m.path()), extent.getOrDefault(m.path(), 0L))));
        }
        return regions;
    }

    /** Missing files, unusable files and build-id mismatches met so far, one line each. */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    private ResolvedFile resolveUncached(
            String recordedPath, boolean mainExecutable, long mappingStart, long mappedExtent) {
        Optional<String> coreBuildId = memory == null ? Optional.empty() : CoreBuildIdReader.read(memory, mappingStart);
        RemoteFiles remote = options.remoteFiles();
        boolean remoteAsked = remote.isEmpty();
        for (Candidate candidate : candidates(recordedPath, mainExecutable)) {
            if (!remoteAsked && candidate.resolution() == Resolution.AS_IS) {
                remoteAsked = true;
                Optional<ResolvedFile> found = findRemote(recordedPath, coreBuildId, mappedExtent);
                if (found.isPresent()) {
                    return found.get();
                }
            }
            if (!Files.isRegularFile(candidate.path())) {
                continue;
            }
            if (!isElf(candidate.path())) {
                return checkData(recordedPath, candidate, mappedExtent);
            }
            return check(recordedPath, candidate, coreBuildId);
        }
        if (!remoteAsked) {
            Optional<ResolvedFile> found = findRemote(recordedPath, coreBuildId, mappedExtent);
            if (found.isPresent()) {
                return found.get();
            }
        }
        if (coreBuildId.isPresent() && !remote.isEmpty()) {
            Optional<ResolvedFile> found = fromDebuginfod(recordedPath, coreBuildId.get());
            if (found.isPresent()) {
                return found.get();
            }
        }
        warn(recordedPath + ": not found" + describeSearch(recordedPath, mainExecutable)
                + "; only the core's own data of it is available");
        return new ResolvedFile(recordedPath, Optional.empty(), Resolution.MISSING, coreBuildId, Optional.empty());
    }

    /** The recorded path (and its spelling without " (deleted)") under the remote prefixes and URL mappings. */
    private Optional<ResolvedFile> findRemote(String recordedPath, Optional<String> coreBuildId, long mappedExtent) {
        for (String spelling : spellings(recordedPath)) {
            Optional<FileSource> found;
            try {
                found = options.remoteFiles()
                        .find(spelling, source -> acceptRemote(recordedPath, source, coreBuildId, mappedExtent));
            } catch (SourceException e) {
                throw new UncheckedSourceException(e);
            }
            if (found.isPresent()) {
                return Optional.of(remoteResolved(recordedPath, found.get(), Resolution.REMOTE, coreBuildId));
            }
        }
        return Optional.empty();
    }

    private Optional<ResolvedFile> fromDebuginfod(String recordedPath, String buildId) {
        Optional<FileSource> found;
        try {
            found = options.remoteFiles()
                    .byBuildId(buildId, source -> acceptRemote(recordedPath, source, Optional.of(buildId), 0));
        } catch (SourceException e) {
            throw new UncheckedSourceException(e);
        }
        return found.map(source -> remoteResolved(recordedPath, source, Resolution.DEBUGINFOD, Optional.of(buildId)));
    }

    /** A remote candidate must be what the process mapped: the same build-id, or a data file long enough. */
    private boolean acceptRemote(
            String recordedPath, FileSource source, Optional<String> coreBuildId, long mappedExtent) {
        try (FileBytes bytes = FileBytes.open(source)) {
            boolean elf = bytes.size() >= ELF_MAGIC.length
                    && Arrays.equals(toArray(bytes.read(0, ELF_MAGIC.length, "ELF magic")), ELF_MAGIC);
            if (!elf) {
                if (Long.compareUnsigned(bytes.size(), mappedExtent) < 0) {
                    log.info(
                            "{}: {} has {} bytes, the process mapped it up to {}: not used",
                            recordedPath,
                            source.describe(),
                            bytes.size(),
                            mappedExtent);
                    return false;
                }
                return true;
            }
        } catch (CoreFormatException e) {
            failIfUnreachable(e);
            log.info("{}: {} cannot be read: {}", recordedPath, source.describe(), e.getMessage());
            return false;
        }
        try (ElfFile elf = ElfFile.open(source)) {
            Optional<String> fileBuildId = elf.buildId();
            if (coreBuildId.isPresent() && fileBuildId.isPresent() && !coreBuildId.equals(fileBuildId)) {
                log.info(
                        "{}: {} has build-id {}, the process had {}: not used",
                        recordedPath,
                        source.describe(),
                        fileBuildId.get(),
                        coreBuildId.get());
                return false;
            }
            return true;
        } catch (CoreFormatException | RuntimeException e) {
            if (e instanceof CoreFormatException c) {
                failIfUnreachable(c);
            }
            log.info("{}: {} is not a usable ELF file: {}", recordedPath, source.describe(), e.getMessage());
            return false;
        }
    }

    /** A fetch that failed is the store's problem, not the candidate's: it must not pass for "another file". */
    private static void failIfUnreachable(CoreFormatException e) {
        if (e.getCause() instanceof SourceException source) {
            throw new UncheckedSourceException(source);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private ResolvedFile remoteResolved(
            String recordedPath, FileSource source, Resolution resolution, Optional<String> coreBuildId) {
        opened.add(FileSources.register(source));
        boolean elf;
        Optional<String> fileBuildId = Optional.empty();
        try (ElfFile file = ElfFile.open(source)) {
            elf = true;
            fileBuildId = file.buildId();
        } catch (CoreFormatException | RuntimeException notElf) {
            elf = false;
        }
        log.debug("{}: using {} ({})", recordedPath, source.describe(), resolution);
        return new ResolvedFile(
                recordedPath,
                Optional.of(source.localPath()),
                resolution,
                elf ? coreBuildId : Optional.empty(),
                fileBuildId,
                elf);
    }

    /** Opens the file found: it must be ELF; its build-id is compared with the core's. */
    private ResolvedFile check(String recordedPath, Candidate candidate, Optional<String> coreBuildId) {
        Optional<String> fileBuildId;
        try (ElfFile elf = ElfFile.open(candidate.path())) {
            fileBuildId = elf.buildId();
        } catch (CoreFormatException | RuntimeException e) {
            warn(recordedPath + ": the file found is unusable, treated as missing: " + e.getMessage());
            return new ResolvedFile(recordedPath, Optional.empty(), Resolution.MISSING, coreBuildId, Optional.empty());
        }
        ResolvedFile resolved = new ResolvedFile(
                recordedPath, Optional.of(candidate.path()), candidate.resolution(), coreBuildId, fileBuildId);
        if (resolved.buildIdMismatch()) {
            warn(recordedPath + ": " + candidate.path() + " has build-id " + fileBuildId.get()
                    + " but the process had build-id " + coreBuildId.get() + " mapped: not the same file");
        }
        log.debug("{}: using {} ({})", recordedPath, candidate.path(), candidate.resolution());
        return resolved;
    }

    private static boolean isElf(Path file) {
        try (FileBytes bytes = FileBytes.open(file)) {
            return bytes.size() >= ELF_MAGIC.length
                    && Arrays.equals(toArray(bytes.read(0, ELF_MAGIC.length, "ELF magic")), ELF_MAGIC);
        } catch (CoreFormatException e) {
            return true; // let the ELF reader say what is wrong with it
        }
    }

    /** A mapped file that is not ELF: used as it is, after its size and modification time are checked. */
    private ResolvedFile checkData(String recordedPath, Candidate candidate, long mappedExtent) {
        try {
            long size = Files.size(candidate.path());
            if (Long.compareUnsigned(size, mappedExtent) < 0) {
                warn(recordedPath + ": " + candidate.path() + " has " + size + " bytes but the process mapped it up to "
                        + "offset " + mappedExtent + ": not the file the process had; pages past its end stay unknown");
            }
            Instant modified = Files.getLastModifiedTime(candidate.path()).toInstant();
            if (coreWritten.isPresent() && modified.isAfter(coreWritten.get())) {
                warn(recordedPath + ": " + candidate.path() + " was modified (" + modified
                        + ") after the core was written (" + coreWritten.get()
                        + "): its contents may not be what the process had mapped");
            }
        } catch (IOException e) {
            warn(recordedPath + ": the file found is unusable, treated as missing: " + e.getMessage());
            return new ResolvedFile(
                    recordedPath, Optional.empty(), Resolution.MISSING, Optional.empty(), Optional.empty());
        }
        log.debug("{}: using the data file {} ({})", recordedPath, candidate.path(), candidate.resolution());
        return new ResolvedFile(
                recordedPath,
                Optional.of(candidate.path()),
                candidate.resolution(),
                Optional.empty(),
                Optional.empty(),
                false);
    }

    /** A place the file may be, and how it was derived. */
    record Candidate(Path path, Resolution resolution) {}

    /** The places tried for {@code recordedPath}, in order. */
    List<Candidate> candidates(String recordedPath, boolean mainExecutable) {
        List<Candidate> result = new ArrayList<>();
        if (mainExecutable && options.executable() != null) {
            result.add(new Candidate(options.executable(), Resolution.EXECUTABLE_OPTION));
        }
        for (String spelling : spellings(recordedPath)) {
            for (PathMapping mapping : options.pathMappings()) {
                String rewritten = mapping.apply(spelling);
                if (rewritten != null) {
                    addIfValid(result, rewritten, Resolution.PATH_MAPPING);
                }
            }
            if (options.sysroot() != null) {
                addIfValid(result, options.sysroot() + "/" + stripLeadingSlashes(spelling), Resolution.SYSROOT);
            }
            addIfValid(result, spelling, Resolution.AS_IS);
        }
        return result;
    }

    /** The path as recorded and, for a file unlinked while mapped, without the kernel's " (deleted)". */
    private static List<String> spellings(String recordedPath) {
        if (recordedPath.endsWith(DELETED_SUFFIX)) {
            return List.of(recordedPath, recordedPath.substring(0, recordedPath.length() - DELETED_SUFFIX.length()));
        }
        return List.of(recordedPath);
    }

    private static void addIfValid(List<Candidate> result, String path, Resolution resolution) {
        try {
            result.add(new Candidate(Path.of(path), resolution));
        } catch (InvalidPathException e) {
            log.debug("not a valid path here: {}", path);
        }
    }

    private static String stripLeadingSlashes(String path) {
        int i = 0;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return path.substring(i);
    }

    private String describeSearch(String recordedPath, boolean mainExecutable) {
        List<Candidate> tried = candidates(recordedPath, mainExecutable);
        List<String> places = new ArrayList<>();
        for (Candidate c : tried) {
            if (c.resolution() == Resolution.AS_IS) {
                for (String spelling : spellings(recordedPath)) {
                    places.addAll(options.remoteFiles().candidates(spelling));
                }
            }
            places.add(c.path().toString());
        }
        if (places.size() <= 1) {
            return "";
        }
        return " (tried " + String.join(" ", new java.util.LinkedHashSet<>(places)) + ")";
    }

    private void warn(String line) {
        log.warn(line);
        synchronized (warnings) {
            warnings.add(line);
        }
    }

    /** The remote files found so far. */
    public List<FileSource> remoteSources() {
        return opened.stream().map(FileSources.Registration::source).toList();
    }

    /** Closes the remote files found (their cache files may then go; mappings of them stay valid). */
    @Override
    public void close() {
        for (FileSources.Registration registration : opened) {
            registration.close();
            registration.source().close();
        }
        opened.clear();
    }
}
