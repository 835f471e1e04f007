package io.coredumptools.elfcore.dwarf;

/**
 * A data member of a struct, union or class.
 *
 * @param name      empty for an anonymous struct or union member
 * @param offset    the byte offset from the start of the enclosing type (of the byte holding the first bit,
 *     for a bit-field)
 * @param typeName  the member's type as declared, as gdb prints it ("const char *", "my_size")
 * @param bitSize   the width of a bit-field, 0 for an ordinary member
 * @param bitOffset the bit offset from the start of the enclosing type (offset * 8 for an ordinary member)
 */
public record Member(String name, long offset, CType type, String typeName, int bitSize, long bitOffset) {

    public boolean isBitField() {
        return bitSize != 0;
    }
}
