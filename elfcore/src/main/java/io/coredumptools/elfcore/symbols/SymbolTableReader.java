package io.coredumptools.elfcore.symbols;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.elfcore.StringTable;
import io.coredumptools.elfcore.abi.ElfTypes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the defined symbols of an ELF file's .dynsym and .symtab (Elf64_Sym entries, names from the linked
 * string table). Undefined symbols and SECTION/FILE symbols are skipped: they name no address.
 */
final class SymbolTableReader {
    static final int ENTRY_SIZE = 24;

    private static final int SHT_STRTAB = 3;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_ABS = 0xfff1;
    private static final int STT_OBJECT = ElfTypes.STT_OBJECT;
    private static final int STT_FUNC = ElfTypes.STT_FUNC;
    private static final int STT_SECTION = ElfTypes.STT_SECTION;
    private static final int STT_FILE = ElfTypes.STT_FILE;
    private static final int STT_TLS = ElfTypes.STT_TLS;
    private static final int STT_GNU_IFUNC = ElfTypes.STT_GNU_IFUNC;

    private SymbolTableReader() {}

    /** The defined symbols of .dynsym (with versions) followed by those of .symtab; empty lists when absent. */
    static List<ElfSymbol> readAll(ElfFile elf) throws CoreFormatException {
        List<ElfSymbol> result = new ArrayList<>();
        for (SectionHeader s : elf.sections()) {
            if (s.type() == SectionHeader.SHT_DYNSYM) {
                result.addAll(read(elf, s));
            }
        }
        for (SectionHeader s : elf.sections()) {
            if (s.type() == SectionHeader.SHT_SYMTAB) {
                result.addAll(read(elf, s));
            }
        }
        return result;
    }

    /** The defined symbols of one SHT_SYMTAB or SHT_DYNSYM section. */
    static List<ElfSymbol> read(ElfFile elf, SectionHeader table) throws CoreFormatException {
        if (table.type() == SectionHeader.SHT_SYMTAB || table.type() == SectionHeader.SHT_DYNSYM) {
            return readTable(elf, table);
        }
        throw new IllegalArgumentException(table.name() + " is not a symbol table (type " + table.type() + ")");
    }

    private static List<ElfSymbol> readTable(ElfFile elf, SectionHeader table) throws CoreFormatException {
        if (table.size() == 0) {
            return List.of();
        }
        if (table.entrySize() != ENTRY_SIZE) {
            throw new CoreFormatException(
                    elf.path(),
                    "symbol table " + table.name() + " has entry size " + table.entrySize() + ", expected "
                            + ENTRY_SIZE);
        }
        List<SectionHeader> sections = elf.sections();
        if (table.link() <= 0
                || table.link() >= sections.size()
                || sections.get(table.link()).type() != SHT_STRTAB) {
            throw new CoreFormatException(
                    elf.path(),
                    "symbol table " + table.name() + " links to section " + table.link()
                            + ", which is not a string table");
        }
        ByteBuffer strings = elf.sectionData(sections.get(table.link()));
        ByteBuffer data = elf.sectionData(table).order(ByteOrder.LITTLE_ENDIAN);
        boolean dynamic = table.type() == SectionHeader.SHT_DYNSYM;
        SymbolVersions versions = dynamic ? SymbolVersions.read(elf, table) : SymbolVersions.NONE;

        int count = data.limit() / ENTRY_SIZE;
        List<ElfSymbol> result = new ArrayList<>(count);
        // Entry 0 is the reserved null symbol.
        for (int i = 1; i < count; i++) {
            int at = i * ENTRY_SIZE;
            int nameOffset = data.getInt(at);
            int info = Byte.toUnsignedInt(data.get(at + 4));
            int sectionIndex = Short.toUnsignedInt(data.getShort(at + 6));
            long value = data.getLong(at + 8);
            long size = data.getLong(at + 16);
            int type = info & 0xf;
            int binding = info >>> 4;
            if (sectionIndex == SHN_UNDEF || type == STT_SECTION || type == STT_FILE || !isKnownBinding(binding)) {
                continue;
            }
            String rawName = StringTable.at(strings, nameOffset);
            if (rawName.isEmpty()) {
                continue;
            }
            String name;
            String version;
            boolean hidden;
            if (dynamic) {
                name = rawName;
                version = versions.versionOf(i);
                hidden = !version.isEmpty() && versions.isHidden(i);
            } else {
                // ld (binutils >= 2.35) writes versioned .symtab names as name@VER / name@@VER.
                VersionedName parsed = VersionedName.parse(rawName);
                name = parsed.name();
                version = parsed.version();
                hidden = parsed.hasVersion() && !parsed.defaultRequired();
            }
            result.add(
                    new ElfSymbol(name, version, hidden, value, size, kindOf(type), binding, sectionIndex == SHN_ABS));
        }
        return result;
    }

    private static boolean isKnownBinding(int binding) {
        return binding == ElfSymbol.STB_LOCAL
                || binding == ElfSymbol.STB_GLOBAL
                || binding == ElfSymbol.STB_WEAK
                || binding == ElfSymbol.STB_GNU_UNIQUE;
    }

    private static SymbolKind kindOf(int type) {
        return switch (type) {
            case STT_FUNC -> SymbolKind.FUNCTION;
            case STT_GNU_IFUNC -> SymbolKind.IFUNC;
            case STT_OBJECT -> SymbolKind.OBJECT;
            case STT_TLS -> SymbolKind.TLS;
            default -> SymbolKind.OTHER; // STT_NOTYPE (e.g. _end), STT_COMMON
        };
    }
}
