package io.coredumptools.elfcore.dwarf;

import static io.coredumptools.elfcore.dwarf.DwarfConstants.*;

import io.coredumptools.elfcore.CoreFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads units and DIEs of one file's .debug_info and decodes attribute values by form. Units are found by a
 * walk over their headers only (their lengths chain them); a unit's abbreviations and unit DIE are read when
 * the unit is first used. Everything read is checked: corrupt data gives a {@link DwarfFormatException}.
 */
final class DwarfContext {
    /** Chains of DW_AT_specification / DW_AT_abstract_origin longer than this are corrupt (gcc uses 1 or 2). */
    static final int MAX_ORIGIN_CHAIN = 8;
    /** A range list with more entries than this is corrupt (or not worth reading for one function). */
    private static final int MAX_RANGE_ENTRIES = 1 << 16;

    private final DwarfSections sections;
    private DwarfSection info;
    private List<UnitHeader> headers;
    private final Map<Long, Unit> units = new HashMap<>();
    private final Map<Long, AbbreviationTable> abbreviationTables = new HashMap<>();
    private final List<String> skippedUnits = new ArrayList<>();

    /** Where a unit starts and ends, from the walk over the headers. */
    record UnitHeader(long offset, long end) {}

    DwarfContext(DwarfSections sections) {
        this.sections = sections;
    }

    /** .debug_info, loaded (and inflated) on first use. */
    private synchronized DwarfSection info() throws CoreFormatException {
        if (info == null) {
            info = sections.get(DwarfSections.INFO);
        }
        return info;
    }

    Path file() {
        return sections.file();
    }

    DwarfSection section(String name) throws CoreFormatException {
        return sections.get(name);
    }

    /** Notes about units that were skipped (type units, split units, unknown versions). */
    synchronized List<String> skippedUnits() throws CoreFormatException {
        headers();
        return List.copyOf(skippedUnits);
    }

    /** All units of .debug_info in order, headers only. */
    synchronized List<UnitHeader> headers() throws CoreFormatException {
        if (headers == null) {
            List<UnitHeader> found = new ArrayList<>();
            long offset = 0;
            while (offset < info().size()) {
                ByteCursor in = info().cursor(offset);
                long length = in.u32();
                if (length >= 0xfffffff0L && length != 0xffffffffL) {
                    throw info().error(offset, "reserved unit length 0x" + Long.toHexString(length));
                }
                if (length == 0xffffffffL) {
                    length = in.u64();
                }
                long end = in.position() + length;
                if (length < 0 || end > info().size() || end < in.position()) {
                    throw info().error(
                                    offset,
                                    "unit of " + Long.toUnsignedString(length)
                                            + " bytes runs past the end of the section (" + info().size()
                                            + " bytes): truncated");
                }
                found.add(new UnitHeader(offset, end));
                offset = end;
            }
            headers = List.copyOf(found);
        }
        return headers;
    }

    /**
     * The unit at {@code header}, or empty when it is of a kind this reader skips (type, skeleton and split
     * units, versions other than 2 to 5).
     */
    synchronized Optional<Unit> unit(UnitHeader header) throws CoreFormatException {
        Unit unit = units.get(header.offset());
        if (unit != null) {
            return Optional.of(unit);
        }
        Optional<Unit> parsed = parseUnit(header);
        parsed.ifPresent(u -> units.put(header.offset(), u));
        return parsed;
    }

    /** The unit that holds the DIE at {@code dieOffset}. */
    Unit unitContaining(long dieOffset) throws CoreFormatException {
        List<UnitHeader> all = headers();
        int low = 0;
        int high = all.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            UnitHeader h = all.get(mid);
            if (dieOffset < h.offset()) {
                high = mid - 1;
            } else if (dieOffset >= h.end()) {
                low = mid + 1;
            } else {
                Optional<Unit> unit = unit(h);
                if (unit.isEmpty() || !unit.get().contains(dieOffset)) {
                    break;
                }
                return unit.get();
            }
        }
        throw info().error(dieOffset, "reference to 0x" + Long.toHexString(dieOffset) + ", which is in no usable unit");
    }

    private Optional<Unit> parseUnit(UnitHeader header) throws CoreFormatException {
        ByteCursor in = info().cursor(header.offset(), header.end());
        long length = in.u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            in.u64();
            offsetSize = 8;
        }
        int version = in.u16();
        if (version < 2 || version > 5) {
            skippedUnits.add("unit at 0x" + Long.toHexString(header.offset()) + ": DWARF version " + version);
            return Optional.empty();
        }
        int unitType;
        int addressSize;
        long abbrevOffset;
        if (version >= 5) {
            unitType = in.u8();
            addressSize = in.u8();
            abbrevOffset = in.offset(offsetSize);
            if (unitType != DW_UT_compile && unitType != DW_UT_partial) {
                skippedUnits.add("unit at 0x" + Long.toHexString(header.offset()) + ": unit type " + unitType);
                return Optional.empty();
            }
        } else {
            unitType = DW_UT_compile;
            abbrevOffset = in.offset(offsetSize);
            addressSize = in.u8();
        }
        if (addressSize != 4 && addressSize != 8) {
            throw info().error(header.offset(), "unit address size " + addressSize);
        }
        AbbreviationTable abbreviations = abbreviationTable(abbrevOffset);
        Unit unit = new Unit(
                header.offset(),
                header.end(),
                version,
                unitType,
                addressSize,
                offsetSize,
                in.position(),
                abbreviations,
                Unit.Bases.NONE);
        Die unitDie = readDie(unit, unit.firstDieOffset());
        if (unitDie == null || (unitDie.tag() != DW_TAG_compile_unit && unitDie.tag() != DW_TAG_partial_unit)) {
            skippedUnits.add("unit at 0x" + Long.toHexString(header.offset()) + ": no compile unit DIE");
            return Optional.empty();
        }
        // The bases must be known before strx, addrx and rnglistx values of the unit DIE itself are decoded.
        long strOffsetsBase = rawValue(unitDie, DW_AT_str_offsets_base).orElse(version >= 5 ? 8 : 0);
        long addrBase = rawValue(unitDie, DW_AT_addr_base).orElse(version >= 5 ? 8 : 0);
        long rnglistsBase = rawValue(unitDie, DW_AT_rnglists_base).orElse(0);
        Unit withOffsets = unit.withBases(new Unit.Bases("", false, 0, strOffsetsBase, addrBase, rnglistsBase));
        unitDie = readDie(withOffsets, withOffsets.firstDieOffset());
        long baseAddress = address(unitDie, DW_AT_low_pc).orElse(0);
        String name = string(unitDie, DW_AT_name).orElse("");
        boolean cplusplus = isCPlusPlus(constant(unitDie, DW_AT_language).orElse(0));
        return Optional.of(withOffsets.withBases(
                new Unit.Bases(name, cplusplus, baseAddress, strOffsetsBase, addrBase, rnglistsBase)));
    }

    /** DW_LANG_C_plus_plus, _03, _11, _14 (and the DWARF 6 draft's _17, _20). */
    private static boolean isCPlusPlus(long language) {
        return language == 0x04
                || language == 0x19
                || language == 0x1a
                || language == 0x21
                || language == 0x2a
                || language == 0x2b;
    }

    private synchronized AbbreviationTable abbreviationTable(long offset) throws CoreFormatException {
        AbbreviationTable table = abbreviationTables.get(offset);
        if (table == null) {
            table = AbbreviationTable.parse(sections.get(DwarfSections.ABBREV), offset);
            abbreviationTables.put(offset, table);
        }
        return table;
    }

    /** The DIE at {@code offset} (any unit). */
    Die die(long offset) throws CoreFormatException {
        Unit unit = unitContaining(offset);
        Die die = readDie(unit, offset);
        if (die == null) {
            throw info().error(offset, "reference to a null entry");
        }
        return die;
    }

    /** The DIE at {@code offset} in {@code unit}, or null for a null entry (the end of a list of children). */
    Die readDie(Unit unit, long offset) throws CoreFormatException {
        ByteCursor in = info().cursor(offset, unit.end());
        return readDie(unit, in);
    }

    /** Reads the DIE at the cursor and leaves the cursor after its attributes. */
    Die readDie(Unit unit, ByteCursor in) throws CoreFormatException {
        long offset = in.position();
        int code = in.ulebInt("abbreviation code");
        if (code == 0) {
            return null;
        }
        Abbreviation abbreviation = unit.abbreviations().get(code);
        if (abbreviation == null) {
            throw in.errorAt(offset, "abbreviation code " + code + " is not in the unit's table");
        }
        int count = abbreviation.attributeCount();
        int[] forms = abbreviation.forms();
        long[] values = new long[count];
        long[] blockLengths = new long[count];
        for (int i = 0; i < count; i++) {
            int form = forms[i];
            if (form == DW_FORM_indirect) {
                form = in.ulebInt("form");
                if (form == DW_FORM_indirect || form == DW_FORM_implicit_const) {
                    throw in.errorAt(offset, "DW_FORM_indirect names form " + form);
                }
                if (forms == abbreviation.forms()) {
                    forms = forms.clone();
                }
                forms[i] = form;
            }
            values[i] = readValue(unit, in, form, abbreviation.implicitConstants()[i], blockLengths, i);
        }
        return new Die(
                unit,
                offset,
                abbreviation.tag(),
                abbreviation.hasChildren(),
                abbreviation.attributes(),
                forms,
                values,
                blockLengths,
                in.position());
    }

    /**
     * Reads (or skips) one attribute value. Strings and blocks are not copied: the value is their offset. Unit
     * references become absolute.
     */
    static long readValue(Unit unit, ByteCursor in, int form, long implicitConstant, long[] blockLengths, int index)
            throws CoreFormatException {
        switch (form) {
            case DW_FORM_addr:
                return in.fixed(unit.addressSize());
            case DW_FORM_data1:
            case DW_FORM_ref1:
            case DW_FORM_flag:
            case DW_FORM_strx1:
            case DW_FORM_addrx1:
                return relative(unit, form, in.u8());
            case DW_FORM_data2:
            case DW_FORM_ref2:
            case DW_FORM_strx2:
            case DW_FORM_addrx2:
                return relative(unit, form, in.u16());
            case DW_FORM_strx3:
            case DW_FORM_addrx3:
                return in.u24();
            case DW_FORM_data4:
            case DW_FORM_ref4:
            case DW_FORM_strx4:
            case DW_FORM_addrx4:
            case DW_FORM_ref_sup4:
                return relative(unit, form, in.u32());
            case DW_FORM_data8:
            case DW_FORM_ref8:
            case DW_FORM_ref_sig8:
            case DW_FORM_ref_sup8:
                return relative(unit, form, in.u64());
            case DW_FORM_data16: {
                long at = in.position();
                in.skip(16);
                blockLengths[index] = 16;
                return at;
            }
            case DW_FORM_sdata:
                return in.sleb128();
            case DW_FORM_udata:
            case DW_FORM_ref_udata:
            case DW_FORM_strx:
            case DW_FORM_addrx:
            case DW_FORM_loclistx:
            case DW_FORM_rnglistx:
            case DW_FORM_GNU_addr_index:
            case DW_FORM_GNU_str_index:
                return relative(unit, form, in.uleb128());
            case DW_FORM_string: {
                long at = in.position();
                skipCString(in);
                return at;
            }
            case DW_FORM_strp:
            case DW_FORM_line_strp:
            case DW_FORM_strp_sup:
            case DW_FORM_sec_offset:
            case DW_FORM_GNU_ref_alt:
            case DW_FORM_GNU_strp_alt:
                return in.offset(unit.offsetSize());
            case DW_FORM_ref_addr:
                return in.offset(unit.version() <= 2 ? unit.addressSize() : unit.offsetSize());
            case DW_FORM_flag_present:
                return 1;
            case DW_FORM_implicit_const:
                return implicitConstant;
            case DW_FORM_block1:
                return block(in, in.u8(), blockLengths, index);
            case DW_FORM_block2:
                return block(in, in.u16(), blockLengths, index);
            case DW_FORM_block4:
                return block(in, in.u32(), blockLengths, index);
            case DW_FORM_block:
            case DW_FORM_exprloc:
                return block(in, in.uleb128(), blockLengths, index);
            default:
                throw in.error("unknown attribute form 0x" + Integer.toHexString(form));
        }
    }

    private static long relative(Unit unit, int form, long value) {
        return switch (form) {
            case DW_FORM_ref1, DW_FORM_ref2, DW_FORM_ref4, DW_FORM_ref8, DW_FORM_ref_udata -> unit.offset() + value;
            default -> value;
        };
    }

    private static long block(ByteCursor in, long length, long[] blockLengths, int index) throws DwarfFormatException {
        long at = in.position();
        in.skip(length);
        blockLengths[index] = length;
        return at;
    }

    private static void skipCString(ByteCursor in) throws DwarfFormatException {
        while (in.u8() != 0) {
            // Only the end matters here; the string is decoded when asked for.
        }
    }

    /** The children of {@code parent}, in order (empty when it has none). */
    List<Die> children(Die parent) throws CoreFormatException {
        List<Die> result = new ArrayList<>();
        if (!parent.hasChildren()) {
            return result;
        }
        Unit unit = parent.unit();
        ByteCursor in = info().cursor(parent.next(), unit.end());
        while (true) {
            Die child = readDie(unit, in);
            if (child == null) {
                return result;
            }
            result.add(child);
            skipChildren(child, in);
        }
    }

    /** Moves the cursor, which is right after {@code die}'s attributes, past its descendants. */
    void skipChildren(Die die, ByteCursor in) throws CoreFormatException {
        if (!die.hasChildren()) {
            return;
        }
        int sibling = die.indexOf(DW_AT_sibling);
        if (sibling >= 0 && isUnitReference(die.forms()[sibling])) {
            long target = die.values()[sibling];
            // Only forward jumps: a sibling pointing back would loop.
            if (target <= in.position() || target > die.unit().end()) {
                throw info().error(
                                die.offset(),
                                "DW_AT_sibling 0x" + Long.toHexString(target) + " does not point forward");
            }
            in.seek(target);
            return;
        }
        int depth = 1;
        while (depth > 0) {
            Die child = readDie(die.unit(), in);
            if (child == null) {
                depth--;
            } else if (child.hasChildren()) {
                depth++;
            }
        }
    }

    private static boolean isUnitReference(int form) {
        return form == DW_FORM_ref1
                || form == DW_FORM_ref2
                || form == DW_FORM_ref4
                || form == DW_FORM_ref8
                || form == DW_FORM_ref_udata;
    }

    // ---- Attribute values ----

    /** The raw value of an attribute, whatever its form. */
    OptionalLong rawValue(Die die, int attribute) {
        int i = die.indexOf(attribute);
        return i < 0 ? OptionalLong.empty() : OptionalLong.of(die.values()[i]);
    }

    boolean flag(Die die, int attribute) {
        int i = die.indexOf(attribute);
        return i >= 0 && die.values()[i] != 0;
    }

    /** A constant-class attribute as an unsigned (or, for DW_FORM_sdata and implicit_const, signed) number. */
    OptionalLong constant(Die die, int attribute) throws CoreFormatException {
        int i = die.indexOf(attribute);
        if (i < 0) {
            return OptionalLong.empty();
        }
        return switch (die.forms()[i]) {
            case DW_FORM_data1,
                    DW_FORM_data2,
                    DW_FORM_data4,
                    DW_FORM_data8,
                    DW_FORM_udata,
                    DW_FORM_sdata,
                    DW_FORM_implicit_const,
                    DW_FORM_flag,
                    DW_FORM_flag_present -> OptionalLong.of(die.values()[i]);
            default -> OptionalLong.empty();
        };
    }

    /** The form of an attribute, or 0 when absent. */
    int form(Die die, int attribute) {
        int i = die.indexOf(attribute);
        return i < 0 ? 0 : die.forms()[i];
    }

    Optional<String> string(Die die, int attribute) throws CoreFormatException {
        int i = die.indexOf(attribute);
        if (i < 0) {
            return Optional.empty();
        }
        long value = die.values()[i];
        Unit unit = die.unit();
        return switch (die.forms()[i]) {
            case DW_FORM_string -> Optional.of(info().stringAt(value));
            case DW_FORM_strp -> Optional.of(sections.get(DwarfSections.STR).stringAt(value));
            case DW_FORM_line_strp ->
                Optional.of(sections.get(DwarfSections.LINE_STR).stringAt(value));
            case DW_FORM_strx, DW_FORM_strx1, DW_FORM_strx2, DW_FORM_strx3, DW_FORM_strx4, DW_FORM_GNU_str_index -> {
                DwarfSection offsets = sections.get(DwarfSections.STR_OFFSETS);
                long at = unit.bases().strOffsetsBase() + value * unit.offsetSize();
                if (value < 0 || value > offsets.size() || at < 0) {
                    throw info().error(die.offset(), "string index " + value + " is outside .debug_str_offsets");
                }
                long strOffset = offsets.cursor(at).offset(unit.offsetSize());
                yield Optional.of(sections.get(DwarfSections.STR).stringAt(strOffset));
            }
            // A dwz supplementary file holds these; this reader does not open it.
            case DW_FORM_GNU_strp_alt, DW_FORM_strp_sup -> Optional.empty();
            default ->
                throw info().error(
                                die.offset(),
                                "attribute 0x" + Integer.toHexString(attribute) + " has form 0x"
                                        + Integer.toHexString(die.forms()[i]) + ", not a string form");
        };
    }

    /** An address-class attribute (DW_FORM_addr or an index into .debug_addr). */
    OptionalLong address(Die die, int attribute) throws CoreFormatException {
        int i = die.indexOf(attribute);
        if (i < 0) {
            return OptionalLong.empty();
        }
        int form = die.forms()[i];
        long value = die.values()[i];
        return switch (form) {
            case DW_FORM_addr -> OptionalLong.of(value);
            case DW_FORM_addrx,
                    DW_FORM_addrx1,
                    DW_FORM_addrx2,
                    DW_FORM_addrx3,
                    DW_FORM_addrx4,
                    DW_FORM_GNU_addr_index -> OptionalLong.of(indexedAddress(die.unit(), value, die.offset()));
            default -> OptionalLong.empty();
        };
    }

    private long indexedAddress(Unit unit, long index, long dieOffset) throws CoreFormatException {
        DwarfSection addr = sections.get(DwarfSections.ADDR);
        long at = unit.bases().addrBase() + index * unit.addressSize();
        if (index < 0 || index > addr.size() || at < 0) {
            throw info().error(dieOffset, "address index " + index + " is outside .debug_addr");
        }
        return addr.cursor(at).fixed(unit.addressSize());
    }

    /**
     * The DIE an attribute refers to; empty for forms that point outside this file (type signatures, dwz
     * supplementary files).
     */
    Optional<Die> reference(Die die, int attribute) throws CoreFormatException {
        int i = die.indexOf(attribute);
        if (i < 0) {
            return Optional.empty();
        }
        long target = die.values()[i];
        switch (die.forms()[i]) {
            case DW_FORM_ref1, DW_FORM_ref2, DW_FORM_ref4, DW_FORM_ref8, DW_FORM_ref_udata -> {
                if (!die.unit().contains(target)) {
                    throw info().error(
                                    die.offset(),
                                    "reference to 0x" + Long.toHexString(target) + " lies outside its unit");
                }
                Die referenced = readDie(die.unit(), target);
                if (referenced == null) {
                    throw info().error(die.offset(), "reference to a null entry at 0x" + Long.toHexString(target));
                }
                return Optional.of(referenced);
            }
            case DW_FORM_ref_addr -> {
                return Optional.of(die(target));
            }
            case DW_FORM_ref_sig8, DW_FORM_GNU_ref_alt, DW_FORM_ref_sup4, DW_FORM_ref_sup8 -> {
                return Optional.empty();
            }
            default ->
                throw info().error(
                                die.offset(),
                                "attribute 0x" + Integer.toHexString(attribute) + " has form 0x"
                                        + Integer.toHexString(die.forms()[i]) + ", not a reference");
        }
    }

    /** Whether the attribute is present but refers to something this reader cannot follow. */
    boolean isForeignReference(Die die, int attribute) {
        int form = form(die, attribute);
        return form == DW_FORM_ref_sig8
                || form == DW_FORM_GNU_ref_alt
                || form == DW_FORM_ref_sup4
                || form == DW_FORM_ref_sup8;
    }

    /**
     * The DIEs {@code die} continues: its DW_AT_specification or DW_AT_abstract_origin, then theirs, nearest first.
     */
    List<Die> origins(Die die) throws CoreFormatException {
        List<Die> chain = new ArrayList<>();
        Die current = die;
        while (true) {
            Optional<Die> next = reference(current, DW_AT_abstract_origin);
            if (next.isEmpty()) {
                next = reference(current, DW_AT_specification);
            }
            if (next.isEmpty()) {
                return chain;
            }
            if (chain.size() >= MAX_ORIGIN_CHAIN) {
                throw info().error(
                                die.offset(),
                                "DW_AT_specification/DW_AT_abstract_origin chain longer than " + MAX_ORIGIN_CHAIN
                                        + " (a cycle?)");
            }
            current = next.get();
            chain.add(current);
        }
    }

    /** The first DIE of {@code die} and its origins that has {@code attribute}. */
    Optional<Die> withAttribute(Die die, int attribute) throws CoreFormatException {
        if (die.has(attribute)) {
            return Optional.of(die);
        }
        for (Die origin : origins(die)) {
            if (origin.has(attribute)) {
                return Optional.of(origin);
            }
        }
        return Optional.empty();
    }

    Optional<String> inheritedString(Die die, int attribute) throws CoreFormatException {
        Optional<Die> holder = withAttribute(die, attribute);
        return holder.isPresent() ? string(holder.get(), attribute) : Optional.empty();
    }

    boolean inheritedFlag(Die die, int attribute) throws CoreFormatException {
        Optional<Die> holder = withAttribute(die, attribute);
        return holder.isPresent() && flag(holder.get(), attribute);
    }

    // ---- Address ranges ----

    /** The code ranges of a DIE: DW_AT_low_pc/high_pc or DW_AT_ranges; empty when it has none. */
    List<AddressRange> ranges(Die die) throws CoreFormatException {
        OptionalLong low = address(die, DW_AT_low_pc);
        if (low.isPresent() && die.has(DW_AT_high_pc)) {
            OptionalLong highConstant = constant(die, DW_AT_high_pc);
            long high = highConstant.isPresent()
                    ? low.getAsLong() + highConstant.getAsLong()
                    : address(die, DW_AT_high_pc).orElse(low.getAsLong());
            return Long.compareUnsigned(high, low.getAsLong()) > 0
                    ? List.of(new AddressRange(low.getAsLong(), high))
                    : List.of();
        }
        int i = die.indexOf(DW_AT_ranges);
        if (i < 0) {
            return List.of();
        }
        Unit unit = die.unit();
        long value = die.values()[i];
        if (unit.version() < 5) {
            return rangesV4(unit, value, die);
        }
        long offset = value;
        if (die.forms()[i] == DW_FORM_rnglistx) {
            DwarfSection rnglists = sections.get(DwarfSections.RNGLISTS);
            long at = unit.bases().rnglistsBase() + value * unit.offsetSize();
            if (value < 0 || value > rnglists.size() || at < 0) {
                throw info().error(die.offset(), "range list index " + value + " is outside .debug_rnglists");
            }
            offset = unit.bases().rnglistsBase() + rnglists.cursor(at).offset(unit.offsetSize());
        }
        return rangesV5(unit, offset, die);
    }

    private List<AddressRange> rangesV4(Unit unit, long offset, Die die) throws CoreFormatException {
        DwarfSection section = sections.get(DwarfSections.RANGES);
        ByteCursor in = section.cursor(offset);
        long base = unit.bases().baseAddress();
        long allOnes = unit.addressSize() == 8 ? -1L : 0xffffffffL;
        List<AddressRange> result = new ArrayList<>();
        for (int n = 0; n < MAX_RANGE_ENTRIES; n++) {
            long begin = in.fixed(unit.addressSize());
            long end = in.fixed(unit.addressSize());
            if (begin == 0 && end == 0) {
                return result;
            }
            if (begin == allOnes) {
                base = end;
            } else {
                addRange(result, base + begin, base + end);
            }
        }
        throw section.error(offset, "range list of " + die + " has more than " + MAX_RANGE_ENTRIES + " entries");
    }

    private List<AddressRange> rangesV5(Unit unit, long offset, Die die) throws CoreFormatException {
        DwarfSection section = sections.get(DwarfSections.RNGLISTS);
        ByteCursor in = section.cursor(offset);
        long base = unit.bases().baseAddress();
        List<AddressRange> result = new ArrayList<>();
        for (int n = 0; n < MAX_RANGE_ENTRIES; n++) {
            int kind = in.u8();
            switch (kind) {
                case DW_RLE_end_of_list -> {
                    return result;
                }
                case DW_RLE_base_addressx -> base = indexedAddress(unit, in.uleb128(), die.offset());
                case DW_RLE_startx_endx -> {
                    long start = indexedAddress(unit, in.uleb128(), die.offset());
                    addRange(result, start, indexedAddress(unit, in.uleb128(), die.offset()));
                }
                case DW_RLE_startx_length -> {
                    long start = indexedAddress(unit, in.uleb128(), die.offset());
                    addRange(result, start, start + in.uleb128());
                }
                case DW_RLE_offset_pair -> {
                    long start = base + in.uleb128();
                    addRange(result, start, base + in.uleb128());
                }
                case DW_RLE_base_address -> base = in.fixed(unit.addressSize());
                case DW_RLE_start_end -> {
                    long start = in.fixed(unit.addressSize());
                    addRange(result, start, in.fixed(unit.addressSize()));
                }
                case DW_RLE_start_length -> {
                    long start = in.fixed(unit.addressSize());
                    addRange(result, start, start + in.uleb128());
                }
                default -> throw section.error(in.position() - 1, "unknown range list entry kind " + kind);
            }
        }
        throw section.error(offset, "range list of " + die + " has more than " + MAX_RANGE_ENTRIES + " entries");
    }

    private static void addRange(List<AddressRange> ranges, long start, long end) {
        if (Long.compareUnsigned(end, start) > 0) {
            ranges.add(new AddressRange(start, end));
        }
    }
}
