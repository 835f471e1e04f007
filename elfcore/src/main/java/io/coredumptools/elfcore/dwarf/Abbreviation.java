package io.coredumptools.elfcore.dwarf;

/**
 * One .debug_abbrev entry: the shape of the DIEs that use its code. {@code implicitConstants[i]} is the value
 * of attribute i when its form is DW_FORM_implicit_const.
 */
record Abbreviation(int code, int tag, boolean hasChildren, int[] attributes, int[] forms, long[] implicitConstants) {

    int attributeCount() {
        return attributes.length;
    }

    /** The index of {@code attribute} in this abbreviation, or -1. */
    int indexOf(int attribute) {
        for (int i = 0; i < attributes.length; i++) {
            if (attributes[i] == attribute) {
                return i;
            }
        }
        return -1;
    }
}
