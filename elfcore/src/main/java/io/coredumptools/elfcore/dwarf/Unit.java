package io.coredumptools.elfcore.dwarf;

/**
 * One unit of .debug_info: its header, its abbreviations and the bases its unit DIE sets for the
 * indexed forms (strx, addrx, rnglistx). Offsets are absolute offsets in .debug_info.
 *
 * @param end the offset just past the unit
 * @param firstDieOffset where the unit DIE starts, right after the header
 */
record Unit(
        long offset,
        long end,
        int version,
        int unitType,
        int addressSize,
        int offsetSize,
        long firstDieOffset,
        AbbreviationTable abbreviations,
        Bases bases) {

    /**
     * What the unit DIE says about its unit: {@code cplusplus} whether its language is C++; {@code baseAddress}
     * its DW_AT_low_pc (0 when absent), the base of DWARF 4 range lists; the bases of the indexed forms.
     */
    record Bases(
            String name, boolean cplusplus, long baseAddress, long strOffsetsBase, long addrBase, long rnglistsBase) {
        static final Bases NONE = new Bases("", false, 0, 0, 0, 0);
    }

    Unit withBases(Bases newBases) {
        return new Unit(
                offset, end, version, unitType, addressSize, offsetSize, firstDieOffset, abbreviations, newBases);
    }

    boolean contains(long dieOffset) {
        return dieOffset >= firstDieOffset && dieOffset < end;
    }
}
