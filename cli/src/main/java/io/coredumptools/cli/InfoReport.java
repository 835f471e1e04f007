package io.coredumptools.cli;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.GeneralRegisters;
import io.coredumptools.elfcore.Hex;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.elfcore.ProcessInfo;
import io.coredumptools.elfcore.SignalInfo;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.elfcore.TruncationReport;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.elfcore.symbols.SymbolIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code corestub info} shows about a core, as plain data: {@link InfoText} prints it for people and
 * {@link InfoJson} as JSON (field names are these components' names in snake_case; they are an interface —
 * change them only by bumping {@link #FORMAT}). Addresses are {@code "0x…"} strings; absent values are null.
 */
public record InfoReport(
        String format,
        String core,
        FileReport executable,
        ProcessReport process,
        SignalReport signal,
        List<ThreadReport> threads,
        List<MappingReport> mappings,
        List<LoadedObjectReport> loadedObjects,
        String loadedObjectsProblem,
        TruncationView truncation,
        List<String> warnings) {

    /** The JSON document's format name and version. */
    public static final String FORMAT = "corestub-info/1";

    private static final Logger LOG = LoggerFactory.getLogger(InfoReport.class);

    public InfoReport {
        threads = List.copyOf(threads);
        mappings = List.copyOf(mappings);
        loadedObjects = List.copyOf(loadedObjects);
        warnings = List.copyOf(warnings);
    }

    /**
     * A file the core refers to and where it was found.
     *
     * @param resolution  how it was found: {@code executable_option}, {@code path_mapping}, {@code sysroot},
     *                    {@code as_is} or {@code missing}
     * @param buildId     the build-id to report: the core's when known, else the file's
     */
    public record FileReport(
            String recordedPath,
            String resolvedPath,
            String resolution,
            boolean missing,
            String buildId,
            String coreBuildId,
            String fileBuildId,
            boolean buildIdMismatch) {
        static FileReport of(ResolvedFile f) {
            return new FileReport(
                    f.recordedPath(),
                    f.path()
                            .map(io.coredumptools.elfcore.source.FileSources::displayName)
                            .orElse(null), // a remote file: its URL
                    f.resolution().name().toLowerCase(Locale.ROOT),
                    f.isMissing(),
                    f.buildId().orElse(null),
                    f.coreBuildId().orElse(null),
                    f.fileBuildId().orElse(null),
                    f.buildIdMismatch());
        }
    }

    public record ProcessReport(
            int pid, int ppid, int uid, int gid, String state, String fileName, String commandLine) {
        static ProcessReport of(ProcessInfo p) {
            return new ProcessReport(
                    p.pid(), p.ppid(), p.uid(), p.gid(), String.valueOf(p.state()), p.fileName(), p.commandLine());
        }
    }

    /**
     * @param code         si_code
     * @param faultAddress si_addr, only for signals that carry one (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP)
     */
    public record SignalReport(String name, int number, int code, int errno, String faultAddress) {
        static SignalReport of(SignalInfo s) {
            return new SignalReport(
                    s.name(),
                    s.signo(),
                    s.code(),
                    s.errno(),
                    s.hasFaultAddress() ? Hex.address(s.faultAddress()) : null);
        }
    }

    /**
     * @param index     gdb's thread number: 1 is the thread that took the fatal signal
     * @param pcSymbol  the pc symbolized ({@code greet+0x12 (demo+0x1189)}), or null
     */
    public record ThreadReport(int index, int tid, int signal, String pc, String pcSymbol, String sp, String fsBase) {}

    public record MappingReport(String start, String end, String offset, FileReport file) {}

    /**
     * @param name         {@code l_name}; "" for the main program
     * @param recordedPath the NT_FILE path of the object: {@code name} itself when the core recorded that path,
     *                     else the file mapped at {@code l_addr} (l_name often differs from the recorded path by
     *                     a symlink: /lib vs /usr/lib); null when none (the vDSO)
     * @param buildId      from that file, when known
     */
    public record LoadedObjectReport(String name, String lAddr, String lLd, String recordedPath, String buildId) {}

    /**
     * @param segments the PT_LOAD segments with dumped bytes missing from the file
     */
    public record TruncationView(
            boolean truncated, long fileSize, long expectedSize, long missingBytes, List<SegmentReport> segments) {
        public TruncationView {
            segments = List.copyOf(segments);
        }

        static TruncationView of(TruncationReport t) {
            Set<LoadSegment> missing = new HashSet<>(t.missing());
            List<SegmentReport> segments = new ArrayList<>();
            for (LoadSegment s : t.truncated()) {
                segments.add(new SegmentReport(
                        Hex.address(s.vaddr()),
                        Hex.address(s.end()),
                        s.permissions(),
                        s.presentBytes(),
                        s.fileSize(),
                        missing.contains(s)));
            }
            return new TruncationView(
                    t.isTruncated() || !segments.isEmpty(), t.fileSize(), t.expectedSize(), t.missingBytes(), segments);
        }
    }

    /**
     * @param presentBytes  the segment's dumped bytes actually in the file
     * @param expectedBytes the bytes the program header says were dumped (p_filesz)
     * @param missing       none of them are present
     */
    public record SegmentReport(
            String vaddr, String end, String permissions, long presentBytes, long expectedBytes, boolean missing) {}

    /** Reads everything {@code info} shows from an open core. */
    public static InfoReport of(CoreDump dump) {
        List<String> warnings = new ArrayList<>(dump.warnings());

        SymbolIndex symbols = symbolIndex(dump, warnings);
        List<ThreadReport> threads = new ArrayList<>();
        int index = 1;
        for (ThreadState t : dump.threads()) {
            GeneralRegisters r = t.registers();
            threads.add(new ThreadReport(
                    index++,
                    t.tid(),
                    t.signal(),
                    Hex.address(r.rip()),
                    symbolize(symbols, r.rip(), warnings),
                    Hex.address(r.rsp()),
                    Hex.address(r.fsBase())));
        }

        List<FileMapping> fileMappings = dump.fileMappings();
        Set<String> recordedPaths = new HashSet<>();
        for (FileMapping m : fileMappings) {
            recordedPaths.add(m.path());
        }
        List<MappingReport> mappings = new ArrayList<>();
        for (MappedRegion region : dump.mappedRegions()) {
            FileMapping m = region.mapping();
            mappings.add(new MappingReport(
                    Hex.address(m.start()),
                    Hex.address(m.end()),
                    Hex.address(m.fileOffset()),
                    FileReport.of(region.file())));
        }

        List<LoadedObjectReport> objects = new ArrayList<>();
        for (LoadedObject o : dump.loadedObjects()) {
            String recorded = recordedPathOf(o, recordedPaths, fileMappings);
            Optional<ResolvedFile> file =
                    o.name().isEmpty() ? dump.executable() : recorded != null ? dump.file(recorded) : Optional.empty();
            if (o.name().isEmpty() && file.isPresent()) {
                recorded = file.get().recordedPath();
            }
            objects.add(new LoadedObjectReport(
                    o.name(),
                    Hex.address(o.loadBias()),
                    Hex.address(o.dynamic()),
                    recorded,
                    file.flatMap(ResolvedFile::buildId).orElse(null)));
        }

        return new InfoReport(
                FORMAT,
                dump.source().isComplete()
                        ? dump.path().toAbsolutePath().normalize().toString()
                        : dump.location(), // a remote core: its URL, not its cache file
                dump.executable().map(FileReport::of).orElse(null),
                dump.process().map(ProcessReport::of).orElse(null),
                dump.signal().map(SignalReport::of).orElse(null),
                threads,
                mappings,
                objects,
                dump.loadedObjectsProblem().orElse(null),
                TruncationView.of(dump.truncation()),
                warnings);
    }

    /** The recorded path for a loaded object: its own name when recorded, else the file mapped at its base. */
    private static String recordedPathOf(LoadedObject o, Set<String> recordedPaths, List<FileMapping> mappings) {
        if (o.name().isEmpty()) {
            return null;
        }
        if (recordedPaths.contains(o.name())) {
            return o.name();
        }
        for (FileMapping m : mappings) {
            if (m.start() == o.loadBias() && m.fileOffset() == 0) {
                return m.path();
            }
        }
        return null;
    }

    /** Symbols are a nicety here: without them the report still stands (pcs stay unsymbolized). */
    private static SymbolIndex symbolIndex(CoreDump dump, List<String> warnings) {
        try {
            return dump.symbols();
        } catch (RuntimeException e) {
            LOG.debug("loading symbols failed", e);
            warnings.add("no symbols: " + ErrorHandler.describe(e));
            return null;
        }
    }

    private static String symbolize(SymbolIndex symbols, long address, List<String> warnings) {
        if (symbols == null) {
            return null;
        }
        try {
            return symbols.symbolize(address).map(Object::toString).orElse(null);
        } catch (RuntimeException e) {
            LOG.debug("symbolizing {} failed", Hex.address(address), e);
            warnings.add("cannot symbolize " + Hex.address(address) + ": " + ErrorHandler.describe(e));
            return null;
        }
    }
}
