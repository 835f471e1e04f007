package io.coredumptools.elfcore;

import io.coredumptools.elfcore.files.FileResolver;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.ModuleImages;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.elfcore.symbols.DebugFileLocator;
import io.coredumptools.elfcore.symbols.ElfSymbolIndex;
import io.coredumptools.elfcore.symbols.ModuleImage;
import io.coredumptools.elfcore.symbols.SymbolIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files a core refers to, found on this machine, and the symbol index over them. Resolution runs at
 * open (it only stats files and reads their headers); symbol tables are read when first asked for.
 */
final class CoreFiles implements AutoCloseable {
    private final FileResolver resolver;
    private final Optional<String> executablePath;
    private final List<MappedRegion> regions;
    private final CoreOptions options;
    private List<LoadedObject> loadedObjects = List.of();
    private final List<String> warnings;
    private ElfSymbolIndex symbols;

    CoreFiles(
            CoreOptions options,
            CoreNotes notes,
            CoreMemory memory,
            List<String> warnings,
            Optional<java.time.Instant> coreWritten) {
        this.options = options;
        this.warnings = warnings;
        this.resolver = new FileResolver(options, memory, coreWritten);
        this.executablePath = executablePath(notes, memory);
        try {
            this.regions = resolver.resolveAll(notes.fileMappings(), executablePath.orElse(null));
        } catch (RuntimeException e) {
            resolver.close();
            throw e;
        }
        warnings.addAll(resolver.warnings());
    }

    /**
     * The executable is the file mapped where the kernel says the program headers are (AT_PHDR); without
     * NT_FILE, the AT_EXECFN string the kernel left on the stack.
     */
    private static Optional<String> executablePath(CoreNotes notes, CoreMemory memory) {
        Optional<Long> phdr = auxv(notes, AuxvEntry.AT_PHDR);
        if (phdr.isPresent()) {
            for (FileMapping m : notes.fileMappings()) {
                if (m.contains(phdr.get())) {
                    return Optional.of(m.path());
                }
            }
        }
        return auxv(notes, AuxvEntry.AT_EXECFN).flatMap(address -> memory.readCString(address, 4096));
    }

    private static Optional<Long> auxv(CoreNotes notes, long type) {
        return notes.auxv().stream()
                .filter(e -> e.type() == type)
                .map(AuxvEntry::value)
                .findFirst();
    }

    /** The dynamic linker's list, once read: the order of the symbol index. */
    synchronized void setLoadedObjects(List<LoadedObject> objects) {
        this.loadedObjects = List.copyOf(objects);
    }

    List<MappedRegion> mappedRegions() {
        return regions;
    }

    Optional<ResolvedFile> executable() {
        if (executablePath.isEmpty()) {
            return Optional.empty();
        }
        return file(executablePath.get());
    }

    Optional<ResolvedFile> file(String recordedPath) {
        for (MappedRegion region : regions) {
            if (region.file().recordedPath().equals(recordedPath)) {
                return Optional.of(region.file());
            }
        }
        return Optional.empty();
    }

    synchronized SymbolIndex symbols() {
        if (symbols == null) {
            List<String> problems = new ArrayList<>();
            List<ModuleImage> images =
                    ModuleImages.inLoadOrder(ModuleImages.fromRegions(regions, problems), loadedObjects);
            symbols = ElfSymbolIndex.build(images, DebugFileLocator.from(options));
            synchronized (warnings) {
                warnings.addAll(problems);
            }
        }
        return symbols;
    }

    /** Problems met while reading symbol tables so far (missing debug files, corrupt tables). */
    synchronized List<String> symbolWarnings() {
        return symbols == null ? List.of() : symbols.warnings();
    }

    /** The remote files the resolution found (not the core). */
    List<io.coredumptools.elfcore.source.FileSource> remoteSources() {
        return resolver.remoteSources();
    }

    @Override
    public void close() {
        resolver.close();
    }
}
