package io.coredumptools.elfcore.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The abbreviations of one unit (one table in .debug_abbrev), by code. */
final class AbbreviationTable {
    /** Codes are usually 1..n; up to this many are kept in an array, the rest in a map. */
    private static final int DENSE_CODES = 4096;

    private final Abbreviation[] dense;
    private final Map<Integer, Abbreviation> sparse;

    private AbbreviationTable(Abbreviation[] dense, Map<Integer, Abbreviation> sparse) {
        this.dense = dense;
        this.sparse = sparse;
    }

    Abbreviation get(int code) {
        if (code > 0 && code < dense.length) {
            return dense[code];
        }
        return sparse.get(code);
    }

    /** Parses the table at {@code offset}, up to its terminating 0 code. */
    static AbbreviationTable parse(DwarfSection abbrev, long offset) throws DwarfFormatException {
        ByteCursor in = abbrev.cursor(offset);
        List<Abbreviation> all = new ArrayList<>();
        int maxDense = 0;
        while (true) {
            long entryOffset = in.position();
            int code = in.ulebInt("abbreviation code");
            if (code == 0) {
                break;
            }
            int tag = in.ulebInt("tag");
            int children = in.u8();
            List<int[]> pairs = new ArrayList<>();
            List<Long> constants = new ArrayList<>();
            while (true) {
                int attribute = in.ulebInt("attribute");
                int form = in.ulebInt("form");
                if (attribute == 0 && form == 0) {
                    break;
                }
                if (attribute == 0 || form == 0) {
                    throw in.error("attribute " + attribute + " with form " + form + " in abbreviation " + code);
                }
                pairs.add(new int[] {attribute, form});
                constants.add(form == DwarfConstants.DW_FORM_implicit_const ? in.sleb128() : 0L);
            }
            int[] attributes = new int[pairs.size()];
            int[] forms = new int[pairs.size()];
            long[] implicit = new long[pairs.size()];
            for (int i = 0; i < pairs.size(); i++) {
                attributes[i] = pairs.get(i)[0];
                forms[i] = pairs.get(i)[1];
                implicit[i] = constants.get(i);
            }
            if (children > 1) {
                throw in.errorAt(entryOffset, "abbreviation " + code + " has children flag " + children);
            }
            all.add(new Abbreviation(code, tag, children == 1, attributes, forms, implicit));
            if (code < DENSE_CODES) {
                maxDense = Math.max(maxDense, code);
            }
        }
        Abbreviation[] dense = new Abbreviation[maxDense + 1];
        Map<Integer, Abbreviation> sparse = new HashMap<>();
        for (Abbreviation a : all) {
            if (a.code() < dense.length) {
                dense[a.code()] = a;
            } else {
                sparse.put(a.code(), a);
            }
        }
        return new AbbreviationTable(dense, sparse);
    }
}
