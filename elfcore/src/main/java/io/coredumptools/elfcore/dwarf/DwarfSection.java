package io.coredumptools.elfcore.dwarf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The uncompressed bytes of one DWARF section, with bounds-checked reads that fail with a {@link
 * DwarfFormatException} naming the file, the section and the offset. An absent section is empty.
 */
final class DwarfSection {
    private final Path file;
    private final String name;
    private final ByteBuffer bytes;

    DwarfSection(Path file, String name, ByteBuffer bytes) {
        this.file = file;
        this.name = name;
        this.bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    static DwarfSection absent(Path file, String name) {
        return new DwarfSection(file, name, ByteBuffer.allocate(0));
    }

    String name() {
        return name;
    }

    Path file() {
        return file;
    }

    long size() {
        return bytes.limit();
    }

    boolean isEmpty() {
        return bytes.limit() == 0;
    }

    /** A cursor at {@code offset}, reading up to the section's end. */
    ByteCursor cursor(long offset) throws DwarfFormatException {
        return cursor(offset, size());
    }

    /** A cursor at {@code offset} that may not read at or beyond {@code end}. */
    ByteCursor cursor(long offset, long end) throws DwarfFormatException {
        if (offset < 0 || end > size() || offset > end) {
            throw error(
                    offset, "offset 0x" + Long.toHexString(offset) + " is outside the section (" + size() + " bytes)");
        }
        return new ByteCursor(this, (int) offset, (int) end);
    }

    /** The NUL-terminated string at {@code offset} (as in .debug_str), decoded as UTF-8. */
    String stringAt(long offset) throws DwarfFormatException {
        if (offset < 0 || offset >= size()) {
            throw error(
                    offset,
                    "string offset 0x" + Long.toHexString(offset) + " is outside the section (" + size() + " bytes)");
        }
        return cursor(offset).cString();
    }

    byte byteAt(int offset) {
        return bytes.get(offset);
    }

    ByteBuffer buffer() {
        return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    DwarfFormatException error(long offset, String problem) {
        return new DwarfFormatException(
                file, name + " at offset 0x" + Long.toHexString(offset) + ": " + problem + " (corrupt DWARF)");
    }
}
