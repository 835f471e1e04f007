package io.coredumptools.elfcore.dwarf;

import java.util.List;

/**
 * An enumeration: passed as an integer of {@code byteSize} bytes.
 *
 * @param signed whether the underlying integer type is signed (from DW_AT_type when given, else whether any
 *     enumerator is negative, as gdb decides)
 */
public record EnumType(String name, long byteSize, boolean signed, List<Enumerator> enumerators) implements CType {

    public record Enumerator(String name, long value) {}

    public EnumType {
        enumerators = List.copyOf(enumerators);
    }

    @Override
    public long alignment() {
        return Math.max(1, Math.min(16, byteSize));
    }
}
