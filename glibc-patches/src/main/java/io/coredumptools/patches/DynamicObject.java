package io.coredumptools.patches;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.ProgramHeader;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.elfcore.StringTable;
import io.coredumptools.elfcore.abi.ElfTypes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the dynamic linker knows about one ELF object, read from the file as ld.so reads it: the dynamic section
 * (PT_DYNAMIC), .dynsym with its versions (.gnu.version, .gnu.version_d, .gnu.version_r) and the RELA and JMPREL
 * relocations. Needs no .symtab and no debug file. A static executable (no PT_DYNAMIC) has only its IRELATIVE
 * relocations, taken from its SHT_RELA sections ({@code .rela.plt}, the range __rela_iplt_start..end).
 * All addresses here are file vaddrs: add {@link #bias} for run-time addresses.
 */
final class DynamicObject {
    static final int R_X86_64_64 = 1;
    static final int R_X86_64_GLOB_DAT = 6;
    static final int R_X86_64_JUMP_SLOT = 7;
    static final int R_X86_64_IRELATIVE = 37;

    static final int STT_FUNC = ElfTypes.STT_FUNC;
    static final int STT_TLS = ElfTypes.STT_TLS;
    static final int STT_GNU_IFUNC = ElfTypes.STT_GNU_IFUNC;
    static final int STB_LOCAL = 0;
    static final int STV_INTERNAL = 1;
    static final int STV_HIDDEN = 2;

    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_PLTRELSZ = 2;
    private static final long DT_PLTGOT = 3;
    private static final long DT_HASH = 4;
    private static final long DT_STRTAB = 5;
    private static final long DT_SYMTAB = 6;
    private static final long DT_RELA = 7;
    private static final long DT_RELASZ = 8;
    private static final long DT_STRSZ = 10;
    private static final long DT_SONAME = 14;
    private static final long DT_SYMBOLIC = 16;
    private static final long DT_JMPREL = 23;
    private static final long DT_BIND_NOW = 24;
    private static final long DT_FLAGS = 30;
    private static final long DT_GNU_HASH = 0x6ffffef5L;
    private static final long DT_VERSYM = 0x6ffffff0L;
    private static final long DT_FLAGS_1 = 0x6ffffffbL;
    private static final long DT_VERDEF = 0x6ffffffcL;
    private static final long DT_VERDEFNUM = 0x6ffffffdL;
    private static final long DT_VERNEED = 0x6ffffffeL;
    private static final long DT_VERNEEDNUM = 0x6fffffffL;
    private static final long DF_SYMBOLIC = 0x2;
    private static final long DF_BIND_NOW = 0x8;
    private static final long DF_1_NOW = 0x1;
    private static final int SHT_RELA = 4;
    private static final int SYM_SIZE = 24;
    private static final int RELA_SIZE = 24;

    /** One .dynsym entry (index 0, the null symbol, included so indexes match relocations). */
    record Sym(
            int index,
            String name,
            long value,
            long size,
            int type,
            int bind,
            int visibility,
            int shndx,
            int versionIndex,
            boolean hiddenVersion) {
        boolean isDefined() {
            return shndx != 0;
        }

        boolean isIfunc() {
            return type == STT_GNU_IFUNC;
        }
    }

    /** One Elf64_Rela entry. */
    record Rela(long offset, int type, int symbol, long addend) {}

    /** A version an object needs (.gnu.version_r): {@code name} from the object {@code file}. */
    record VersionNeed(String name, String file, boolean weak) {}

    private final Path path;
    private final long bias;
    private final ElfFile elf;
    private final boolean dynamic;
    private final List<Sym> symbols;
    private final Map<String, List<Sym>> definedByName = new HashMap<>();
    private final List<Rela> relocations;
    private final List<Rela> pltRelocations;
    private final Map<Integer, String> versionDefinitions;
    private final Map<Integer, VersionNeed> versionNeeds;
    private final long pltGot;
    private final boolean bindNow;
    private final boolean symbolic;
    private final String soname;
    private final List<String> needed;

    private DynamicObject(Path path, long bias, ElfFile elf) throws CoreFormatException {
        this.path = path;
        this.bias = bias;
        this.elf = elf;
        Optional<ProgramHeader> dynamicSegment = elf.programHeaders().stream()
                .filter(p -> p.type() == ProgramHeader.PT_DYNAMIC)
                .findFirst();
        this.dynamic = dynamicSegment.isPresent();
        if (!dynamic) {
            this.symbols = List.of();
            this.relocations = staticIrelative(elf);
            this.pltRelocations = List.of();
            this.versionDefinitions = Map.of();
            this.versionNeeds = Map.of();
            this.pltGot = 0;
            this.bindNow = true;
            this.symbolic = false;
            this.soname = "";
            this.needed = List.of();
            return;
        }
        Map<Long, Long> tags = new HashMap<>();
        List<Long> neededOffsets = new ArrayList<>();
        ByteBuffer dyn = elf.segmentData(dynamicSegment.get()).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 16 <= dyn.limit(); at += 16) {
            long tag = dyn.getLong(at);
            long value = dyn.getLong(at + 8);
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_NEEDED) {
                neededOffsets.add(value);
            }
            tags.putIfAbsent(tag, value);
        }
        ByteBuffer strings = tags.containsKey(DT_STRTAB)
                ? readVaddr(tags.get(DT_STRTAB), tags.getOrDefault(DT_STRSZ, 0L), "DT_STRTAB")
                : ByteBuffer.allocate(0);
        this.soname = tags.containsKey(DT_SONAME)
                ? StringTable.at(strings, tags.get(DT_SONAME).intValue())
                : "";
        List<String> neededNames = new ArrayList<>();
        for (long offset : neededOffsets) {
            neededNames.add(StringTable.at(strings, (int) offset));
        }
        this.needed = List.copyOf(neededNames);
        this.pltGot = tags.getOrDefault(DT_PLTGOT, 0L);
        long flags = tags.getOrDefault(DT_FLAGS, 0L);
        this.bindNow = tags.containsKey(DT_BIND_NOW)
                || (flags & DF_BIND_NOW) != 0
                || (tags.getOrDefault(DT_FLAGS_1, 0L) & DF_1_NOW) != 0;
        this.symbolic = tags.containsKey(DT_SYMBOLIC) || (flags & DF_SYMBOLIC) != 0;
        this.versionDefinitions = tags.containsKey(DT_VERDEF)
                ? readVerdef(tags.get(DT_VERDEF), tags.getOrDefault(DT_VERDEFNUM, 0L), strings)
                : Map.of();
        this.versionNeeds = tags.containsKey(DT_VERNEED)
                ? readVerneed(tags.get(DT_VERNEED), tags.getOrDefault(DT_VERNEEDNUM, 0L), strings)
                : Map.of();
        int count = tags.containsKey(DT_SYMTAB) ? symbolCount(tags) : 0;
        this.symbols = count == 0 ? List.of() : readSymbols(tags.get(DT_SYMTAB), count, strings, tags.get(DT_VERSYM));
        for (Sym s : symbols) {
            if (s.isDefined() && !s.name().isEmpty()) {
                definedByName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
            }
        }
        this.relocations = tags.containsKey(DT_RELA)
                ? readRela(tags.get(DT_RELA), tags.getOrDefault(DT_RELASZ, 0L), "DT_RELA")
                : List.of();
        this.pltRelocations = tags.containsKey(DT_JMPREL)
                ? readRela(tags.get(DT_JMPREL), tags.getOrDefault(DT_PLTRELSZ, 0L), "DT_JMPREL")
                : List.of();
    }

    /** Reads {@code file}, placed at {@code bias}; the caller closes it with {@link #close}. */
    static DynamicObject open(Path file, long bias) throws CoreFormatException {
        ElfFile elf = ElfFile.open(file);
        try {
            return new DynamicObject(file, bias, elf);
        } catch (CoreFormatException | RuntimeException e) {
            elf.close();
            throw e;
        }
    }

    private static List<Rela> staticIrelative(ElfFile elf) throws CoreFormatException {
        List<Rela> result = new ArrayList<>();
        for (SectionHeader s : elf.sections()) {
            if (s.type() != SHT_RELA) {
                continue;
            }
            for (Rela r : parseRela(elf.sectionData(s).order(ByteOrder.LITTLE_ENDIAN))) {
                if (r.type() == R_X86_64_IRELATIVE) {
                    result.add(r);
                }
            }
        }
        return List.copyOf(result);
    }

    /** The bytes at file vaddr {@code vaddr}, through the PT_LOAD that holds them. */
    ByteBuffer readVaddr(long vaddr, long length, String what) throws CoreFormatException {
        for (ProgramHeader p : elf.programHeaders()) {
            if (p.type() == ProgramHeader.PT_LOAD && vaddr >= p.vaddr() && vaddr + length <= p.vaddr() + p.fileSize()) {
                return elf.bytes()
                        .read(p.offset() + (vaddr - p.vaddr()), length, what)
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        throw new CoreFormatException(
                path,
                what + " at vaddr 0x" + Long.toHexString(vaddr) + " (+" + length
                        + ") is not in the file's PT_LOAD data");
    }

    /** The 8 bytes the file has at {@code vaddr} (e.g. a .got.plt slot before relocation), if present in the file. */
    Optional<Long> fileLong(long vaddr) {
        try {
            return Optional.of(readVaddr(vaddr, 8, "word").getLong(0));
        } catch (CoreFormatException e) {
            return Optional.empty();
        }
    }

    private int symbolCount(Map<Long, Long> tags) throws CoreFormatException {
        for (SectionHeader s : elf.sections()) {
            if (s.type() == SectionHeader.SHT_DYNSYM && s.address() == tags.get(DT_SYMTAB)) {
                return (int) (s.size() / SYM_SIZE);
            }
        }
        if (tags.containsKey(DT_HASH)) {
            return readVaddr(tags.get(DT_HASH) + 4, 4, "DT_HASH").getInt(0);
        }
        if (tags.containsKey(DT_GNU_HASH)) {
            return gnuHashSymbolCount(tags.get(DT_GNU_HASH));
        }
        return 0;
    }

    /** One past the highest symbol index any bucket chain reaches (symbols below symoffset are unhashed). */
    private int gnuHashSymbolCount(long at) throws CoreFormatException {
        ByteBuffer header = readVaddr(at, 16, "DT_GNU_HASH");
        int buckets = header.getInt(0);
        int symOffset = header.getInt(4);
        int bloomWords = header.getInt(8);
        long bucketsAt = at + 16 + 8L * bloomWords;
        ByteBuffer bucketData = readVaddr(bucketsAt, 4L * buckets, "DT_GNU_HASH buckets");
        int highest = 0;
        for (int i = 0; i < buckets; i++) {
            highest = Math.max(highest, bucketData.getInt(i * 4));
        }
        if (highest < symOffset) {
            return symOffset;
        }
        long chainAt = bucketsAt + 4L * buckets;
        int index = highest;
        while (index - highest < 1_000_000) {
            int value = readVaddr(chainAt + 4L * (index - symOffset), 4, "DT_GNU_HASH chain")
                    .getInt(0);
            if ((value & 1) != 0) {
                return index + 1;
            }
            index++;
        }
        throw new CoreFormatException(path, "DT_GNU_HASH chain does not end: the hash table is corrupt");
    }

    private List<Sym> readSymbols(long at, int count, ByteBuffer strings, Long versymAt) throws CoreFormatException {
        ByteBuffer data = readVaddr(at, (long) count * SYM_SIZE, "DT_SYMTAB");
        ByteBuffer versym = versymAt == null ? null : readVaddr(versymAt, 2L * count, "DT_VERSYM");
        List<Sym> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int base = i * SYM_SIZE;
            int info = Byte.toUnsignedInt(data.get(base + 4));
            int version = versym == null ? 1 : Short.toUnsignedInt(versym.getShort(i * 2));
            result.add(new Sym(
                    i,
                    StringTable.at(strings, data.getInt(base)),
                    data.getLong(base + 8),
                    data.getLong(base + 16),
                    info & 0xf,
                    info >>> 4,
                    data.get(base + 5) & 0x3,
                    Short.toUnsignedInt(data.getShort(base + 6)),
                    version & 0x7fff,
                    (version & 0x8000) != 0));
        }
        return List.copyOf(result);
    }

    private Map<Integer, String> readVerdef(long at, long count, ByteBuffer strings) throws CoreFormatException {
        Map<Integer, String> names = new HashMap<>();
        long cursor = at;
        for (long i = 0; i < count; i++) {
            ByteBuffer d = readVaddr(cursor, 20, "DT_VERDEF");
            int index = Short.toUnsignedInt(d.getShort(4));
            long aux = Integer.toUnsignedLong(d.getInt(12));
            long next = Integer.toUnsignedLong(d.getInt(16));
            ByteBuffer a = readVaddr(cursor + aux, 8, "DT_VERDEF aux");
            names.put(index & 0x7fff, StringTable.at(strings, a.getInt(0)));
            if (next == 0) {
                break;
            }
            cursor += next;
        }
        return Map.copyOf(names);
    }

    private Map<Integer, VersionNeed> readVerneed(long at, long count, ByteBuffer strings) throws CoreFormatException {
        Map<Integer, VersionNeed> needs = new HashMap<>();
        long cursor = at;
        for (long i = 0; i < count; i++) {
            ByteBuffer n = readVaddr(cursor, 16, "DT_VERNEED");
            int auxCount = Short.toUnsignedInt(n.getShort(2));
            String file = StringTable.at(strings, n.getInt(4));
            long aux = cursor + Integer.toUnsignedLong(n.getInt(8));
            long next = Integer.toUnsignedLong(n.getInt(12));
            for (int j = 0; j < auxCount; j++) {
                ByteBuffer a = readVaddr(aux, 16, "DT_VERNEED aux");
                int flags = Short.toUnsignedInt(a.getShort(4));
                int other = Short.toUnsignedInt(a.getShort(6));
                needs.put(
                        other & 0x7fff,
                        new VersionNeed(StringTable.at(strings, a.getInt(8)), file, (flags & 0x2) != 0));
                long auxNext = Integer.toUnsignedLong(a.getInt(12));
                if (auxNext == 0) {
                    break;
                }
                aux += auxNext;
            }
            if (next == 0) {
                break;
            }
            cursor += next;
        }
        return Map.copyOf(needs);
    }

    private List<Rela> readRela(long at, long size, String what) throws CoreFormatException {
        if (size == 0) {
            return List.of();
        }
        return parseRela(readVaddr(at, size, what));
    }

    private static List<Rela> parseRela(ByteBuffer data) {
        List<Rela> result = new ArrayList<>(data.limit() / RELA_SIZE);
        for (int at = 0; at + RELA_SIZE <= data.limit(); at += RELA_SIZE) {
            long info = data.getLong(at + 8);
            result.add(new Rela(data.getLong(at), (int) info, (int) (info >>> 32), data.getLong(at + 16)));
        }
        return List.copyOf(result);
    }

    Path path() {
        return path;
    }

    long bias() {
        return bias;
    }

    /** The object has a dynamic section (false for a static, non-PIE executable). */
    boolean isDynamic() {
        return dynamic;
    }

    List<Sym> symbols() {
        return symbols;
    }

    /** Defined .dynsym symbols named {@code name}, every version. */
    List<Sym> defined(String name) {
        return definedByName.getOrDefault(name, List.of());
    }

    List<Rela> relocations() {
        return relocations;
    }

    List<Rela> pltRelocations() {
        return pltRelocations;
    }

    /** The version name a definition's versym index stands for ("" for 0 and 1: unversioned). */
    String versionName(int index) {
        return index < 2 ? "" : versionDefinitions.getOrDefault(index, "");
    }

    boolean hasVersions() {
        return !versionDefinitions.isEmpty();
    }

    /** The version a reference (an undefined symbol's versym index) requires, from .gnu.version_r. */
    Optional<VersionNeed> versionNeed(int index) {
        if (index < 2) {
            return Optional.empty();
        }
        VersionNeed need = versionNeeds.get(index);
        if (need == null && versionDefinitions.containsKey(index)) {
            need = new VersionNeed(versionDefinitions.get(index), soname, false);
        }
        return Optional.ofNullable(need);
    }

    /** DT_PLTGOT as a file vaddr (0 when absent): GOT[1] is the link_map, GOT[2] the lazy-binding trampoline. */
    long pltGot() {
        return pltGot;
    }

    boolean bindNow() {
        return bindNow;
    }

    boolean symbolic() {
        return symbolic;
    }

    String soname() {
        return soname;
    }

    List<String> needed() {
        return needed;
    }

    void close() {
        elf.close();
    }
}
