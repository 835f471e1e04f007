package io.coredumptools.elfcore.symbols;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.elfcore.StringTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The versions of .dynsym symbols: .gnu.version (one 16-bit index per symbol, bit 0x8000 = hidden, i.e. not
 * the default version) and .gnu.version_d (the version names this object defines, by index).
 * Only definitions matter here: undefined symbols, whose versions live in .gnu.version_r, are skipped anyway.
 */
final class SymbolVersions {
    static final SymbolVersions NONE = new SymbolVersions(new int[0], Map.of());

    private static final int HIDDEN = 0x8000;
    private static final int INDEX_MASK = 0x7fff;
    /** Indexes 0 (local) and 1 (global, base definition) mean "no version". */
    private static final int FIRST_VERSION_INDEX = 2;

    private static final int VERDEF_SIZE = 20;
    private static final int VERDAUX_SIZE = 8;

    private final int[] versym;
    private final Map<Integer, String> namesByIndex;

    private SymbolVersions(int[] versym, Map<Integer, String> namesByIndex) {
        this.versym = versym;
        this.namesByIndex = namesByIndex;
    }

    /** The versions of {@code dynsym}'s symbols, or {@link #NONE} when the object has no version sections. */
    static SymbolVersions read(ElfFile elf, SectionHeader dynsym) throws CoreFormatException {
        List<SectionHeader> sections = elf.sections();
        SectionHeader versymSection = null;
        SectionHeader verdefSection = null;
        for (SectionHeader s : sections) {
            if (s.type() == SectionHeader.SHT_GNU_VERSYM && s.link() == dynsym.index()) {
                versymSection = s;
            } else if (s.type() == SectionHeader.SHT_GNU_VERDEF) {
                verdefSection = s;
            }
        }
        if (versymSection == null) {
            return NONE;
        }
        ByteBuffer versymData = elf.sectionData(versymSection).order(ByteOrder.LITTLE_ENDIAN);
        int[] versym = new int[versymData.remaining() / 2];
        for (int i = 0; i < versym.length; i++) {
            versym[i] = Short.toUnsignedInt(versymData.getShort(i * 2));
        }
        Map<Integer, String> names = verdefSection == null ? Map.of() : readVerdef(elf, verdefSection);
        return new SymbolVersions(versym, names);
    }

    /** Walks the Elf64_Verdef chain: each entry's first Elf64_Verdaux names the version. */
    private static Map<Integer, String> readVerdef(ElfFile elf, SectionHeader verdef) throws CoreFormatException {
        List<SectionHeader> sections = elf.sections();
        if (verdef.link() <= 0 || verdef.link() >= sections.size()) {
            throw new CoreFormatException(
                    elf.path(),
                    "section " + verdef.name() + " links to string table " + verdef.link() + ", which does not exist");
        }
        ByteBuffer strings = elf.sectionData(sections.get(verdef.link()));
        ByteBuffer data = elf.sectionData(verdef).order(ByteOrder.LITTLE_ENDIAN);
        Map<Integer, String> names = new HashMap<>();
        int entries = verdef.info();
        long at = 0;
        // sh_info holds the entry count; the bound also stops a corrupt vd_next from looping.
        for (int i = 0; i < entries; i++) {
            if (at < 0 || at + VERDEF_SIZE > data.limit()) {
                throw new CoreFormatException(
                        elf.path(),
                        "section " + verdef.name() + ": version definition " + i + " at offset " + at
                                + " lies outside the section (" + data.limit() + " bytes)");
            }
            int base = (int) at;
            int index = Short.toUnsignedInt(data.getShort(base + 4));
            int auxCount = Short.toUnsignedInt(data.getShort(base + 6));
            long auxOffset = Integer.toUnsignedLong(data.getInt(base + 12));
            long next = Integer.toUnsignedLong(data.getInt(base + 16));
            long aux = at + auxOffset;
            if (auxCount > 0) {
                if (aux + VERDAUX_SIZE > data.limit()) {
                    throw new CoreFormatException(
                            elf.path(),
                            "section " + verdef.name() + ": version definition " + i + " names its version at offset "
                                    + aux + ", outside the section");
                }
                int nameOffset = data.getInt((int) aux);
                names.put(index & INDEX_MASK, StringTable.at(strings, nameOffset));
            }
            if (next == 0) {
                break;
            }
            at += next;
        }
        return names;
    }

    /** The version name of symbol {@code symbolIndex}, or "" when it is unversioned. */
    String versionOf(int symbolIndex) {
        if (symbolIndex >= versym.length) {
            return "";
        }
        int index = versym[symbolIndex] & INDEX_MASK;
        if (index < FIRST_VERSION_INDEX) {
            return "";
        }
        return namesByIndex.getOrDefault(index, "");
    }

    /** The symbol's version is not the default one ({@code name@VER} rather than {@code name@@VER}). */
    boolean isHidden(int symbolIndex) {
        return symbolIndex < versym.length && (versym[symbolIndex] & HIDDEN) != 0;
    }
}
