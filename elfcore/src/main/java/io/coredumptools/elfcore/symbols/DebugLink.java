package io.coredumptools.elfcore.symbols;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.elfcore.StringTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The .gnu_debuglink section: the file name of the separate debug file, NUL-terminated and padded to 4 bytes,
 * then the CRC-32 of that whole file.
 *
 * @param fileName the debug file's name, without directory
 * @param crc      the expected CRC-32 (as java.util.zip.CRC32 computes it), unsigned
 */
public record DebugLink(String fileName, long crc) {
    public static final String SECTION_NAME = ".gnu_debuglink";

    /** The object's debug link, or empty when it has none. */
    public static Optional<DebugLink> read(ElfFile elf) throws CoreFormatException {
        Optional<SectionHeader> section = elf.section(SECTION_NAME);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer data = elf.sectionData(section.get()).order(ByteOrder.LITTLE_ENDIAN);
        String name = StringTable.at(data, 0);
        int crcOffset = (name.getBytes(StandardCharsets.UTF_8).length + 1 + 3) & ~3;
        if (name.isEmpty() || crcOffset + 4 > data.limit()) {
            throw new CoreFormatException(
                    elf.path(), "section " + SECTION_NAME + " (" + data.limit() + " bytes) holds no file name and CRC");
        }
        // A file name with a directory part would let the search escape the debug directories.
        if (name.contains("/")) {
            throw new CoreFormatException(
                    elf.path(), "section " + SECTION_NAME + " names '" + name + "', which is not a plain file name");
        }
        return Optional.of(new DebugLink(name, Integer.toUnsignedLong(data.getInt(crcOffset))));
    }
}
