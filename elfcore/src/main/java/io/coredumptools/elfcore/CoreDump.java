package io.coredumptools.elfcore;

import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.elfcore.source.FetchFigures;
import io.coredumptools.elfcore.source.FileSource;
import io.coredumptools.elfcore.source.FileSources;
import io.coredumptools.elfcore.source.LocalFileSource;
import io.coredumptools.elfcore.source.UncheckedSourceException;
import io.coredumptools.elfcore.symbols.SymbolIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An x86-64 Linux core dump with the files it refers to resolved. Opening reads the headers and notes
 * only: segment data is read when asked for, so a core of tens of GB opens in milliseconds. The core may be a
 * remote object ({@link #open(FileSource, CoreOptions)}): its bytes are then fetched as they are read.
 */
public final class CoreDump implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoreDump.class);

    private final ElfFile elf;
    /** Where the core's bytes come from; registered in {@link FileSources} while open when remote. */
    private final FileSource source;

    private final FileSources.Registration registration;
    /** Opened with its source ({@link #open(FileSource, CoreOptions)}): closing the core closes it. */
    private final boolean ownsSource;

    private final CoreOptions options;
    private final CoreNotes notes;
    private final List<LoadSegment> segments;
    private final TruncationReport truncation;
    private final CoreMemory memory;
    private final ProcessImageMemory processMemory;
    private final List<String> warnings;
    private final CoreFiles files;
    private final LinkMapReader.Result linkMap;

    private CoreDump(
            ElfFile elf,
            FileSource source,
            FileSources.Registration registration,
            boolean ownsSource,
            CoreOptions options,
            CoreNotes notes,
            List<LoadSegment> segments,
            TruncationReport truncation,
            List<String> warnings) {
        this.elf = elf;
        this.source = source;
        this.registration = registration;
        this.ownsSource = ownsSource;
        this.options = options;
        this.notes = notes;
        this.segments = segments;
        this.truncation = truncation;
        this.memory = new SegmentMemory(elf.bytes(), segments);
        this.warnings = warnings;
        // Files first: the link map may lie in pages only the files hold (a gcore core leaves them out).
        this.files = new CoreFiles(
                options, notes, memory, warnings, source.isComplete() ? modified(elf.path()) : Optional.empty());
        this.processMemory = new ProcessImageMemory(memory, files.mappedRegions());
        try {
            this.linkMap = LinkMapReader.read(processMemory, notes.auxv());
        } catch (RuntimeException e) {
            processMemory.close();
            files.close();
            throw e;
        }
        files.setLoadedObjects(linkMap.objects());
    }

    private static Optional<java.time.Instant> modified(Path file) {
        try {
            return Optional.of(java.nio.file.Files.getLastModifiedTime(file).toInstant());
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens a core read-only.
     *
     * @throws CoreFormatException when the file is not an x86-64 ELF core, or its headers are unusable
     */
    public static CoreDump open(Path core, CoreOptions options) throws CoreFormatException {
        // A cache file of a remote core opened elsewhere is read through that core's source (not closed here).
        FileSource source = FileSources.find(core).orElseGet(() -> LocalFileSource.of(core));
        return open(source, null, false, options);
    }

    /**
     * Opens a core whose bytes come from {@code source} (a remote object, or a local file): only what is read is
     * fetched. The core takes the source over: {@link #close()} closes it, and so does a failure to open.
     *
     * @throws CoreFormatException when the file is not an x86-64 ELF core, its headers are unusable, or its bytes
     *     or those of a file it refers to cannot be fetched (the cause is then a {@code SourceException})
     */
    public static CoreDump open(FileSource source, CoreOptions options) throws CoreFormatException {
        FileSources.Registration registration = source.isComplete() ? null : FileSources.register(source);
        try {
            return open(source, registration, true, options);
        } catch (CoreFormatException | RuntimeException e) {
            if (registration != null) {
                registration.close();
            }
            source.close();
            throw e;
        }
    }

    private static CoreDump open(
            FileSource source, FileSources.Registration registration, boolean ownsSource, CoreOptions options)
            throws CoreFormatException {
        long started = System.nanoTime();
        ElfFile elf = ElfFile.open(source);
        try {
            checkIsX86_64Core(elf);
            List<String> warnings = new ArrayList<>();
            List<ElfNote> rawNotes = elf.segmentNotes(warnings);
            CoreNotes notes = CoreNotes.decode(rawNotes, warnings);
            if (notes.threads().isEmpty()) {
                warnings.add("the core has no NT_PRSTATUS note: no thread registers");
            }
            List<LoadSegment> segments = loadSegments(elf);
            TruncationReport truncation = truncation(elf, segments);
            if (truncation.isTruncated()) {
                warnings.add("the core is truncated: " + truncation.missingBytes() + " bytes missing, "
                        + truncation.truncated().size() + " segments incomplete");
            }
            CoreDump dump;
            try {
                dump = new CoreDump(
                        elf, source, registration, ownsSource, options, notes, segments, truncation, warnings);
            } catch (UncheckedSourceException e) {
                throw new CoreFormatException(
                        elf.path(),
                        "a file it refers to cannot be fetched: " + e.getCause().getMessage(),
                        e.getCause());
            }
            log.debug(
                    "opened {} in {} ms, {} bytes read",
                    source.describe(),
                    (System.nanoTime() - started) / 1_000_000,
                    elf.bytes().bytesRead());
            return dump;
        } catch (CoreFormatException | RuntimeException e) {
            elf.close();
            throw e;
        }
    }

    /** The page size of x86-64 Linux, which the kernel writes in NT_FILE and aligns every mapping to. */
    private static final long PAGE = 4096;

    /**
     * Checks what code execution over this core needs beyond what reading it needs: a thread to run on, PT_LOAD
     * segments of whole pages that do not wrap past the top of the address space, and an NT_FILE whose unit is
     * the kernel's 4 KiB page or gdb's byte and whose mappings are whole pages.
     *
     * @throws CoreFormatException naming the core and the first problem found
     */
    public void checkUsableForExecution() throws CoreFormatException {
        if (threads().isEmpty()) {
            throw new CoreFormatException(
                    path(), "the core records no thread (no usable NT_PRSTATUS note), so no code can run on it");
        }
        for (int i = 0; i < segments.size(); i++) {
            LoadSegment s = segments.get(i);
            if ((s.vaddr() & (PAGE - 1)) != 0 || (s.memorySize() & (PAGE - 1)) != 0) {
                throw new CoreFormatException(
                        path(),
                        "PT_LOAD segment " + i + " at 0x" + Long.toHexString(s.vaddr()) + " has size 0x"
                                + Long.toHexString(s.memorySize())
                                + ": a core's segments are whole 4 KiB pages; the core is corrupt");
            }
            if (s.memorySize() != 0 && Long.compareUnsigned(s.vaddr() + s.memorySize() - 1, s.vaddr()) < 0) {
                throw new CoreFormatException(
                        path(),
                        "PT_LOAD segment " + i + " at 0x" + Long.toHexString(s.vaddr()) + " of size 0x"
                                + Long.toHexString(s.memorySize()) + " runs past the top of the address space");
            }
        }
        long unit = notes.pageSize();
        if (!notes.fileMappings().isEmpty() && (unit <= 0 || unit > PAGE || Long.bitCount(unit) != 1)) {
            throw new CoreFormatException(
                    path(),
                    "NT_FILE gives a page size of 0x" + Long.toHexString(unit)
                            + ": the kernel writes 0x1000 and gdb 1; the mapped files cannot be placed");
        }
        for (FileMapping m : notes.fileMappings()) {
            if ((m.start() & (PAGE - 1)) != 0
                    || (m.end() & (PAGE - 1)) != 0
                    || Long.compareUnsigned(m.end(), m.start()) <= 0
                    || m.fileOffset() < 0
                    || (m.fileOffset() & (PAGE - 1)) != 0) {
                throw new CoreFormatException(
                        path(),
                        "NT_FILE maps " + m.path() + " at [0x" + Long.toHexString(m.start()) + "-0x"
                                + Long.toHexString(m.end()) + ") from offset 0x" + Long.toHexString(m.fileOffset())
                                + ": not whole pages of the file; the core is corrupt");
            }
        }
    }

    private static void checkIsX86_64Core(ElfFile elf) throws CoreFormatException {
        ElfHeader h = elf.header();
        if (h.type() != ElfHeader.ET_CORE) {
            throw new CoreFormatException(
                    elf.path(), "not a core dump: the ELF type is " + ElfHeader.typeName(h.type()));
        }
        if (h.machine() != ElfHeader.EM_X86_64) {
            throw new CoreFormatException(elf.path(), "a core for ELF machine " + h.machine() + ", not x86-64 (62)");
        }
        if (elf.programHeaders().isEmpty()) {
            throw new CoreFormatException(elf.path(), "the core has no program headers");
        }
    }

    private static List<LoadSegment> loadSegments(ElfFile elf) {
        long size = elf.bytes().size();
        List<LoadSegment> result = new ArrayList<>();
        for (ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() != ProgramHeader.PT_LOAD) {
                continue;
            }
            long present = Math.max(0, Math.min(ph.fileSize(), size - ph.offset()));
            result.add(new LoadSegment(
                    ph.vaddr(), ph.memorySize(), ph.offset(), ph.fileSize(), present, ph.permissions()));
        }
        return List.copyOf(result);
    }

    private static TruncationReport truncation(ElfFile elf, List<LoadSegment> segments) {
        long expected = 0;
        for (ProgramHeader ph : elf.programHeaders()) {
            expected = Math.max(expected, ph.offset() + ph.fileSize());
        }
        List<LoadSegment> truncated =
                segments.stream().filter(LoadSegment::isTruncated).toList();
        List<LoadSegment> missing =
                truncated.stream().filter(s -> s.presentBytes() == 0).toList();
        return new TruncationReport(elf.bytes().size(), expected, truncated, missing);
    }

    /** The local file the core's bytes are read from (for a remote core: its cache file). */
    public Path path() {
        return elf.path();
    }

    /** Where the core's bytes come from. */
    public FileSource source() {
        return source;
    }

    /** The core's location for people: its path, or {@code s3://…} / {@code https://…} for a remote core. */
    public String location() {
        return source.describe();
    }

    /** The remote files the core's mapped files were found as (empty when every file is local). */
    public List<FileSource> remoteFiles() {
        return files.remoteSources();
    }

    /** What fetching the core and its remote files has cost so far. */
    public FetchFigures fetchFigures() {
        FetchFigures total = source.figures();
        for (FileSource file : files.remoteSources()) {
            total = total.plus(file.figures());
        }
        return total;
    }

    public CoreOptions options() {
        return options;
    }

    public Optional<ProcessInfo> process() {
        return notes.process();
    }

    /**
     * The process id: NT_PRPSINFO's, else the id of the first thread (the one that took the signal; the main
     * thread's id is the process's), else 1. The one fallback for every reader.
     */
    public int pid() {
        if (process().isPresent()) {
            return process().get().pid();
        }
        return threads().isEmpty() ? 1 : threads().get(0).tid();
    }

    public Optional<SignalInfo> signal() {
        return notes.signal();
    }

    /** Threads in note order: the thread that took the fatal signal first, as gdb numbers them. */
    public List<ThreadState> threads() {
        return notes.threads();
    }

    public List<LoadSegment> segments() {
        return segments;
    }

    public List<AuxvEntry> auxv() {
        return notes.auxv();
    }

    /** The value of auxv entry {@code type}, if present. */
    public Optional<Long> auxvValue(long type) {
        return notes.auxv().stream()
                .filter(e -> e.type() == type)
                .map(AuxvEntry::value)
                .findFirst();
    }

    public List<FileMapping> fileMappings() {
        return notes.fileMappings();
    }

    public List<MappedRegion> mappedRegions() {
        return files.mappedRegions();
    }

    /** The main executable as resolved (by --exe, or the NT_FILE mapping that holds AT_PHDR). */
    public Optional<ResolvedFile> executable() {
        return files.executable();
    }

    /** The file the core recorded at {@code recordedPath}, resolved. */
    public Optional<ResolvedFile> file(String recordedPath) {
        return files.file(recordedPath);
    }

    /** The dynamic linker's list; empty for a static executable (see {@link #loadedObjectsProblem}). */
    public List<LoadedObject> loadedObjects() {
        return linkMap.objects();
    }

    /** Why the list is empty or incomplete, e.g. "static executable: no dynamic linker, no shared libraries". */
    public Optional<String> loadedObjectsProblem() {
        return linkMap.problem();
    }

    public SymbolIndex symbols() {
        return files.symbols();
    }

    /** The core's own data (PT_LOAD): what the process's memory held as far as the core recorded it. */
    public CoreMemory memory() {
        return memory;
    }

    /**
     * The process's memory as far as the core and its mapped files tell it: the core's data, else the file bytes
     * mapped there (what a core leaves out of unmodified file-backed mappings). Nothing runs: no patches, no calls.
     */
    public CoreMemory processMemory() {
        return processMemory;
    }

    public TruncationReport truncation() {
        return truncation;
    }

    /** Non-fatal problems found while loading (cut notes, build-id mismatches, missing files), one line each. */
    public List<String> warnings() {
        List<String> all;
        synchronized (warnings) {
            all = new ArrayList<>(warnings);
        }
        all.addAll(files.symbolWarnings());
        return List.copyOf(all);
    }

    /** Bytes read from the core file so far: opening must not read segment data. */
    public long coreBytesRead() {
        return elf.bytes().bytesRead();
    }

    @Override
    public void close() {
        processMemory.close();
        files.close();
        elf.close();
        if (registration != null) {
            registration.close();
        }
        if (ownsSource) {
            source.close();
        }
    }
}
