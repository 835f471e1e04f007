package io.coredumptools.elfcore.dwarf;

/**
 * A debugging information entry as read, with its attribute values still raw: what a value means depends on
 * its form and is decoded by {@link DwarfContext}. References are already absolute .debug_info offsets.
 *
 * @param forms        the form of each attribute (the abbreviation's, or the real one for DW_FORM_indirect)
 * @param values       per attribute: the constant, address, index, reference or section offset; for
 *                     DW_FORM_string and blocks, the .debug_info offset of the bytes
 * @param blockLengths per attribute: the length of a block or exprloc value, else 0
 * @param next         the offset right after the attributes: the first child, or the next sibling
 */
record Die(
        Unit unit,
        long offset,
        int tag,
        boolean hasChildren,
        int[] attributes,
        int[] forms,
        long[] values,
        long[] blockLengths,
        long next) {

    /** The index of {@code attribute}, or -1. */
    int indexOf(int attribute) {
        for (int i = 0; i < attributes.length; i++) {
            if (attributes[i] == attribute) {
                return i;
            }
        }
        return -1;
    }

    boolean has(int attribute) {
        return indexOf(attribute) >= 0;
    }

    @Override
    public String toString() {
        return "DIE 0x" + Long.toHexString(offset) + " (tag 0x" + Integer.toHexString(tag) + ")";
    }
}
