package io.coredumptools.elfcore.dwarf;

import java.nio.charset.StandardCharsets;

/**
 * Reads little-endian DWARF values from a section between a start and an end offset. Every read is
 * checked against the end, so a truncated or corrupt section gives a {@link DwarfFormatException}, never an
 * exception from the JDK.
 */
final class ByteCursor {
    /** A LEB128 of more bytes than this encodes more than 64 bits: corrupt. */
    private static final int MAX_LEB128_BYTES = 10;

    private final DwarfSection section;
    private int position;
    private final int end;

    ByteCursor(DwarfSection section, int position, int end) {
        this.section = section;
        this.position = position;
        this.end = end;
    }

    long position() {
        return position;
    }

    long end() {
        return end;
    }

    boolean atEnd() {
        return position >= end;
    }

    void seek(long offset) throws DwarfFormatException {
        if (offset < 0 || offset > end) {
            throw section.error(
                    position, "jump to offset 0x" + Long.toHexString(offset) + " beyond 0x" + Integer.toHexString(end));
        }
        position = (int) offset;
    }

    void skip(long count) throws DwarfFormatException {
        if (count < 0 || count > end - position) {
            throw section.error(
                    position, "a value of " + count + " bytes runs past the end at 0x" + Integer.toHexString(end));
        }
        position += (int) count;
    }

    int u8() throws DwarfFormatException {
        need(1);
        return Byte.toUnsignedInt(section.byteAt(position++));
    }

    int u16() throws DwarfFormatException {
        return (int) fixed(2);
    }

    long u24() throws DwarfFormatException {
        return fixed(3);
    }

    long u32() throws DwarfFormatException {
        return fixed(4);
    }

    long u64() throws DwarfFormatException {
        return fixed(8);
    }

    /** An unsigned little-endian value of {@code size} bytes (1 to 8). */
    long fixed(int size) throws DwarfFormatException {
        need(size);
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (long) Byte.toUnsignedInt(section.byteAt(position + i)) << (8 * i);
        }
        position += size;
        return value;
    }

    /** A section offset of the unit's offset size (4 in 32-bit DWARF, 8 in 64-bit DWARF). */
    long offset(int offsetSize) throws DwarfFormatException {
        return fixed(offsetSize);
    }

    long uleb128() throws DwarfFormatException {
        return leb128(false);
    }

    long sleb128() throws DwarfFormatException {
        return leb128(true);
    }

    private long leb128(boolean signed) throws DwarfFormatException {
        long result = 0;
        int shift = 0;
        int start = position;
        for (int i = 0; i < MAX_LEB128_BYTES; i++) {
            int b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                if (signed && shift < 64 && (b & 0x40) != 0) {
                    result |= -1L << shift;
                }
                return result;
            }
        }
        throw section.error(start, "LEB128 number longer than " + MAX_LEB128_BYTES + " bytes");
    }

    /** A ULEB128 that must fit in an int, e.g. a count or a code. */
    int ulebInt(String what) throws DwarfFormatException {
        long start = position;
        long value = uleb128();
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw section.error(start, what + " " + Long.toUnsignedString(value) + " is too large");
        }
        return (int) value;
    }

    /** A NUL-terminated UTF-8 string; the cursor ends after the NUL. */
    String cString() throws DwarfFormatException {
        int start = position;
        int nul = start;
        while (nul < end && section.byteAt(nul) != 0) {
            nul++;
        }
        if (nul >= end) {
            throw section.error(start, "string without its terminating NUL before 0x" + Integer.toHexString(end));
        }
        byte[] text = new byte[nul - start];
        section.buffer().get(start, text);
        position = nul + 1;
        return new String(text, StandardCharsets.UTF_8);
    }

    DwarfFormatException error(String problem) {
        return section.error(position, problem);
    }

    DwarfFormatException errorAt(long offset, String problem) {
        return section.error(offset, problem);
    }

    private void need(int count) throws DwarfFormatException {
        if (count > end - position) {
            throw section.error(
                    position,
                    count + " bytes needed but only " + (end - position) + " remain before 0x"
                            + Integer.toHexString(end) + " (truncated)");
        }
    }
}
