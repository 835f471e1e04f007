package io.coredumptools.elfcore.dwarf;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The DWARF sections of one ELF file, each loaded on first use: mapped read-only when stored plainly,
 * inflated when compressed (SHF_COMPRESSED with ELFCOMPRESS_ZLIB, as {@code objcopy --compress-debug-sections}
 * and Debian's debug packages write them, or the older {@code .zdebug_*} form).
 */
final class DwarfSections {
    static final String INFO = ".debug_info";
    static final String ABBREV = ".debug_abbrev";
    static final String STR = ".debug_str";
    static final String LINE_STR = ".debug_line_str";
    static final String STR_OFFSETS = ".debug_str_offsets";
    static final String ADDR = ".debug_addr";
    static final String RANGES = ".debug_ranges";
    static final String RNGLISTS = ".debug_rnglists";

    private static final long SHF_COMPRESSED = 0x800;
    private static final int ELFCOMPRESS_ZLIB = 1;
    private static final int ELFCOMPRESS_ZSTD = 2;
    private static final int CHDR_SIZE = 24;
    /** A section claiming more than this uncompressed is refused rather than allocated. */
    static final long MAX_UNCOMPRESSED_BYTES = 1L << 30;
    /** zlib cannot expand data more than about 1032 times: a header claiming more is corrupt. */
    private static final long MAX_ZLIB_RATIO = 1100;

    private final ElfFile elf;
    private final Map<String, DwarfSection> loaded = new HashMap<>();

    DwarfSections(ElfFile elf) {
        this.elf = elf;
    }

    Path file() {
        return elf.path();
    }

    /** Whether the file has a .debug_info (plain or compressed) with contents. */
    boolean hasDebugInfo() throws CoreFormatException {
        Optional<SectionHeader> header = header(INFO);
        return header.isPresent()
                && header.get().type() != SectionHeader.SHT_NOBITS
                && header.get().size() > 0;
    }

    synchronized DwarfSection get(String name) throws CoreFormatException {
        DwarfSection section = loaded.get(name);
        if (section == null) {
            section = load(name);
            loaded.put(name, section);
        }
        return section;
    }

    private Optional<SectionHeader> header(String name) throws CoreFormatException {
        Optional<SectionHeader> plain = elf.section(name);
        if (plain.isPresent()) {
            return plain;
        }
        return elf.section(".z" + name.substring(1));
    }

    private DwarfSection load(String name) throws CoreFormatException {
        Optional<SectionHeader> found = header(name);
        if (found.isEmpty() || found.get().type() == SectionHeader.SHT_NOBITS) {
            return DwarfSection.absent(elf.path(), name);
        }
        SectionHeader header = found.get();
        if (!elf.bytes().contains(header.offset(), header.size())) {
            throw new DwarfFormatException(
                    elf.path(),
                    "section " + header.name() + " (file offset 0x" + Long.toHexString(header.offset()) + ", "
                            + header.size() + " bytes) lies beyond the end of the file: the file is truncated");
        }
        if ((header.flags() & SHF_COMPRESSED) != 0) {
            return new DwarfSection(elf.path(), name, inflateElfCompressed(header));
        }
        if (header.name().startsWith(".zdebug")) {
            return new DwarfSection(elf.path(), name, inflateGnuCompressed(header));
        }
        return new DwarfSection(elf.path(), name, map(header));
    }

    private ByteBuffer map(SectionHeader header) throws DwarfFormatException {
        if (header.size() > Integer.MAX_VALUE) {
            throw new DwarfFormatException(
                    elf.path(), "section " + header.name() + " claims " + header.size() + " bytes: too large");
        }
        try (FileChannel channel = FileChannel.open(elf.path(), StandardOpenOption.READ)) {
            // The mapping stays valid after the channel is closed.
            return channel.map(FileChannel.MapMode.READ_ONLY, header.offset(), header.size())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new DwarfFormatException(elf.path(), "cannot map section " + header.name() + ": " + e, e);
        }
    }

    /** Elf64_Chdr: ch_type, ch_reserved, ch_size, ch_addralign; then the compressed stream. */
    private ByteBuffer inflateElfCompressed(SectionHeader header) throws CoreFormatException {
        if (header.size() < CHDR_SIZE) {
            throw new DwarfFormatException(
                    elf.path(), "compressed section " + header.name() + " is shorter than its header");
        }
        ByteBuffer raw = elf.sectionData(header);
        int type = raw.getInt(0);
        long size = raw.getLong(8);
        if (type == ELFCOMPRESS_ZSTD) {
            throw new DwarfFormatException(
                    elf.path(),
                    "section " + header.name() + " is zstd-compressed, which this reader does not support;"
                            + " decompress it with 'objcopy --decompress-debug-sections'");
        }
        if (type != ELFCOMPRESS_ZLIB) {
            throw new DwarfFormatException(
                    elf.path(), "section " + header.name() + " uses unknown compression type " + type);
        }
        return inflate(header, raw.position(CHDR_SIZE).slice(), size);
    }

    /** The GNU form: "ZLIB", the uncompressed size as 8 big-endian bytes, then the zlib stream. */
    private ByteBuffer inflateGnuCompressed(SectionHeader header) throws CoreFormatException {
        ByteBuffer raw = elf.sectionData(header);
        if (raw.remaining() < 12 || raw.get(0) != 'Z' || raw.get(1) != 'L' || raw.get(2) != 'I' || raw.get(3) != 'B') {
            throw new DwarfFormatException(elf.path(), "section " + header.name() + " lacks its ZLIB header");
        }
        long size = raw.order(ByteOrder.BIG_ENDIAN).getLong(4);
        return inflate(header, raw.order(ByteOrder.LITTLE_ENDIAN).position(12).slice(), size);
    }

    private ByteBuffer inflate(SectionHeader header, ByteBuffer compressed, long size) throws DwarfFormatException {
        if (size < 0 || size > MAX_UNCOMPRESSED_BYTES || size / MAX_ZLIB_RATIO > compressed.remaining()) {
            throw new DwarfFormatException(
                    elf.path(),
                    "compressed section " + header.name() + " claims " + Long.toUnsignedString(size)
                            + " bytes uncompressed, more than its " + compressed.remaining()
                            + " compressed bytes can hold or than the " + MAX_UNCOMPRESSED_BYTES
                            + " this reader accepts: the file is corrupt");
        }
        byte[] output = new byte[(int) size];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            int produced = 0;
            int idleRounds = 0;
            while (!inflater.finished()) {
                int room = output.length - produced;
                // With the output full, one more byte would mean the header's size is a lie.
                int n = room > 0 ? inflater.inflate(output, produced, room) : inflater.inflate(new byte[1]);
                if (room == 0 && n > 0) {
                    throw new DwarfFormatException(
                            elf.path(),
                            "compressed section " + header.name() + " inflates to more than the " + size
                                    + " bytes its header claims: the file is corrupt");
                }
                produced += n;
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary() || ++idleRounds > 3)) {
                    break;
                }
            }
            if (produced != output.length) {
                throw new DwarfFormatException(
                        elf.path(),
                        "compressed section " + header.name() + " inflates to only " + produced + " of the " + size
                                + " bytes its header claims: the file is truncated or corrupt");
            }
            if (!inflater.finished()) {
                throw new DwarfFormatException(
                        elf.path(), "compressed section " + header.name() + " ends before its zlib stream does");
            }
            return ByteBuffer.wrap(output).order(ByteOrder.LITTLE_ENDIAN);
        } catch (DataFormatException e) {
            throw new DwarfFormatException(
                    elf.path(),
                    "compressed section " + header.name() + " is not valid zlib data: " + e.getMessage(),
                    e);
        } finally {
            inflater.end();
        }
    }
}
