package io.coredumptools.elfcore.files;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.elfcore.ProgramHeader;
import io.coredumptools.elfcore.symbols.ModuleImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places resolved ELF files where the process had them, from the core's NT_FILE mappings: the load bias
 * (run-time address minus ELF vaddr) and the address range, as {@link ModuleImage}s for the symbol index.
 */
public final class ModuleImages {
    private static final Logger log = LoggerFactory.getLogger(ModuleImages.class);
    private static final long PAGE_MASK = ~0xfffL;

    private ModuleImages() {}

    /**
     * The load bias of {@code elf} mapped as {@code mappingsOfFile}: the start of its mapping at file offset 0
     * minus its lowest PT_LOAD vaddr rounded down to a page. When no mapping starts at offset 0, the lowest
     * mapped offset is placed through the PT_LOAD that holds it.
     */
    public static long loadBias(ElfFile elf, List<FileMapping> mappingsOfFile) throws CoreFormatException {
        if (mappingsOfFile.isEmpty()) {
            throw new IllegalArgumentException(elf.path() + ": no mappings to place it by");
        }
        List<ProgramHeader> loads = elf.programHeaders().stream()
                .filter(p -> p.type() == ProgramHeader.PT_LOAD)
                .toList();
        if (loads.isEmpty()) {
            throw new CoreFormatException(elf.path(), "has no PT_LOAD segment: it cannot have been loaded");
        }
        FileMapping lowest = mappingsOfFile.get(0);
        for (FileMapping m : mappingsOfFile) {
            if (Long.compareUnsigned(m.fileOffset(), lowest.fileOffset()) < 0
                    || (m.fileOffset() == lowest.fileOffset() && Long.compareUnsigned(m.start(), lowest.start()) < 0)) {
                lowest = m;
            }
        }
        if (lowest.fileOffset() == 0) {
            long lowestVaddr = loads.stream()
                    .map(ProgramHeader::vaddr)
                    .min(Long::compareUnsigned)
                    .orElseThrow();
            return lowest.start() - (lowestVaddr & PAGE_MASK);
        }
        for (ProgramHeader p : loads) {
            long segmentStart = p.offset() & PAGE_MASK;
            if (lowest.fileOffset() >= segmentStart && lowest.fileOffset() < p.offset() + p.fileSize()) {
                // vaddr and offset are congruent modulo the page size, so offsets map linearly into the segment.
                return lowest.start() - (p.vaddr() - p.offset() + lowest.fileOffset());
            }
        }
        throw new CoreFormatException(
                elf.path(),
                "no PT_LOAD segment holds file offset 0x"
                        + Long.toHexString(lowest.fileOffset()) + ", which the core shows mapped at 0x"
                        + Long.toHexString(lowest.start()) + ": the file does not match the core");
    }

    /** The module image of {@code file} from its mappings among {@code allMappings}; empty when it is missing. */
    public static Optional<ModuleImage> of(ResolvedFile file, List<FileMapping> allMappings)
            throws CoreFormatException {
        if (file.path().isEmpty()) {
            return Optional.empty();
        }
        List<FileMapping> own = allMappings.stream()
                .filter(m -> m.path().equals(file.recordedPath()))
                .toList();
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Path path = file.path().get();
        long bias;
        try (ElfFile elf = ElfFile.open(path)) {
            bias = loadBias(elf, own);
        }
        long start = own.get(0).start();
        long end = own.get(0).end();
        for (FileMapping m : own) {
            start = Long.compareUnsigned(m.start(), start) < 0 ? m.start() : start;
            end = Long.compareUnsigned(m.end(), end) > 0 ? m.end() : end;
        }
        return Optional.of(new ModuleImage(file.recordedPath(), path, bias, start, end));
    }

    /**
     * One image per file found, in the order of its first mapping (address order). Files that cannot be
     * placed are left out with a line in {@code problems}.
     */
    public static List<ModuleImage> fromRegions(List<MappedRegion> regions, List<String> problems) {
        Map<String, ResolvedFile> files = new LinkedHashMap<>();
        List<FileMapping> mappings = new ArrayList<>(regions.size());
        for (MappedRegion r : regions) {
            files.putIfAbsent(r.file().recordedPath(), r.file());
            mappings.add(r.mapping());
        }
        List<ModuleImage> images = new ArrayList<>();
        for (ResolvedFile file : files.values()) {
            if (!file.elf()) {
                continue; // a data file: nothing to place, no symbols
            }
            try {
                of(file, mappings).ifPresent(images::add);
            } catch (CoreFormatException | RuntimeException e) {
                String problem = file.recordedPath() + ": cannot be placed in the process: " + e.getMessage();
                log.warn(problem);
                problems.add(problem);
            }
        }
        return images;
    }

    /**
     * {@code images} in the dynamic linker's load order, matched to {@code loadedObjects} by load bias
     * ({@code l_addr}; link_map names may be symlinks where NT_FILE has the real path). Images the list does
     * not name (e.g. dlopen'ed and closed, or an empty list) follow in their given order.
     */
    public static List<ModuleImage> inLoadOrder(List<ModuleImage> images, List<LoadedObject> loadedObjects) {
        List<ModuleImage> remaining = new ArrayList<>(images);
        List<ModuleImage> ordered = new ArrayList<>(images.size());
        for (LoadedObject object : loadedObjects) {
            for (int i = 0; i < remaining.size(); i++) {
                if (remaining.get(i).loadBias() == object.loadBias()) {
                    ordered.add(remaining.remove(i));
                    break;
                }
            }
        }
        ordered.addAll(remaining);
        return ordered;
    }
}
