package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** NUL-terminated names in an ELF string table section (.strtab, .dynstr). */
public final class StringTable {
    private StringTable() {}

    /** The name at {@code offset}; "" when the offset lies outside the table (a corrupt entry names nothing). */
    public static String at(ByteBuffer table, int offset) {
        if (offset < 0 || offset >= table.limit()) {
            return "";
        }
        int end = offset;
        while (end < table.limit() && table.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        table.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
