package io.coredumptools.elfcore.dwarf;

import static io.coredumptools.elfcore.dwarf.DwarfConstants.*;

import io.coredumptools.elfcore.CoreFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the functions and named types of a file are, by name and by address: built once by a cheap scan over
 * the top-level DIEs of every unit (and of namespaces), skipping the insides of functions and types by
 * DW_AT_sibling. Nothing is resolved here; lookups read only the DIEs they need afterwards.
 *
 * <p>Functions are indexed when they have code (concrete definitions, including out-of-line instances of
 * inline functions, named through DW_AT_abstract_origin / DW_AT_specification) or are declarations; abstract
 * instance roots (an inline function's shape, with no code of its own) are not.
 */
final class NameIndex {
    private static final Logger log = LoggerFactory.getLogger(NameIndex.class);
    /** Namespaces nested deeper than this are not looked into. */
    private static final int MAX_NAMESPACE_DEPTH = 32;

    private final Map<String, List<Long>> functions;
    private final Map<String, List<Long>> types;
    private final long[] rangeStarts;
    private final long[] rangeEnds;
    private final long[] rangeDies;

    private NameIndex(Map<String, List<Long>> functions, Map<String, List<Long>> types, List<long[]> ranges) {
        this.functions = functions;
        this.types = types;
        ranges.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        rangeStarts = new long[ranges.size()];
        rangeEnds = new long[ranges.size()];
        rangeDies = new long[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            rangeStarts[i] = ranges.get(i)[0];
            rangeEnds[i] = ranges.get(i)[1];
            rangeDies[i] = ranges.get(i)[2];
        }
    }

    /** DIE offsets of the functions named {@code name} (DW_AT_name or linkage name), in file order. */
    List<Long> functions(String name) {
        return functions.getOrDefault(name, List.of());
    }

    /**
     * DIE offsets of the type definitions named {@code key}: "struct point", "union num", "enum color", "class
     * Foo" or a typedef's name.
     */
    List<Long> types(String key) {
        return types.getOrDefault(key, List.of());
    }

    /** The function whose code holds {@code address}: the one with the smallest such range. */
    Optional<Long> functionAt(long address) {
        // Ranges are sorted by start; candidates start at or before the address.
        int low = 0;
        int high = rangeStarts.length - 1;
        int last = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(rangeStarts[mid], address) <= 0) {
                last = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        long bestSize = -1;
        Optional<Long> best = Optional.empty();
        // Functions do not nest, so the nearest few starts are enough; a bounded look back covers overlaps.
        for (int i = last; i >= 0 && i > last - 64; i--) {
            if (Long.compareUnsigned(address, rangeEnds[i]) < 0) {
                long size = rangeEnds[i] - rangeStarts[i];
                if (bestSize < 0 || Long.compareUnsigned(size, bestSize) < 0) {
                    bestSize = size;
                    best = Optional.of(rangeDies[i]);
                }
            }
        }
        return best;
    }

    static NameIndex build(DwarfContext context) throws CoreFormatException {
        long start = System.nanoTime();
        Map<String, List<Long>> functions = new HashMap<>();
        Map<String, List<Long>> types = new HashMap<>();
        List<long[]> ranges = new ArrayList<>();
        DwarfSection info = context.section(DwarfSections.INFO);
        int unitCount = 0;
        for (DwarfContext.UnitHeader header : context.headers()) {
            Optional<Unit> found = context.unit(header);
            if (found.isEmpty()) {
                continue;
            }
            unitCount++;
            Unit unit = found.get();
            Die top = context.readDie(unit, unit.firstDieOffset());
            if (top == null || !top.hasChildren()) {
                continue;
            }
            ByteCursor in = info.cursor(top.next(), unit.end());
            int namespaceDepth = 0;
            while (!in.atEnd()) {
                Die die = context.readDie(unit, in);
                if (die == null) {
                    if (namespaceDepth == 0) {
                        break;
                    }
                    namespaceDepth--;
                    continue;
                }
                switch (die.tag()) {
                    case DW_TAG_subprogram -> indexFunction(context, die, functions, ranges);
                    case DW_TAG_structure_type,
                            DW_TAG_union_type,
                            DW_TAG_class_type,
                            DW_TAG_enumeration_type,
                            DW_TAG_typedef -> indexType(context, die, types);
                    default -> {
                        // Variables, base types and the like are found through references, not by name.
                    }
                }
                if (die.tag() == DW_TAG_namespace && die.hasChildren() && namespaceDepth < MAX_NAMESPACE_DEPTH) {
                    namespaceDepth++;
                } else {
                    context.skipChildren(die, in);
                }
            }
        }
        NameIndex index = new NameIndex(freeze(functions), freeze(types), ranges);
        log.debug(
                "{}: indexed {} function names, {} type names and {} code ranges of {} units in {} ms",
                context.file(),
                functions.size(),
                types.size(),
                ranges.size(),
                unitCount,
                (System.nanoTime() - start) / 1_000_000);
        return index;
    }

    private static void indexFunction(
            DwarfContext context, Die die, Map<String, List<Long>> functions, List<long[]> ranges)
            throws CoreFormatException {
        boolean hasCode = die.has(DW_AT_low_pc) || die.has(DW_AT_ranges);
        boolean declaration = context.flag(die, DW_AT_declaration);
        if (!hasCode && !declaration) {
            return;
        }
        if (hasCode) {
            List<AddressRange> code = context.ranges(die);
            if (code.isEmpty()) {
                return;
            }
            for (AddressRange range : code) {
                ranges.add(new long[] {range.start(), range.end(), die.offset()});
            }
        }
        Optional<String> name = context.inheritedString(die, DW_AT_name);
        Optional<String> linkageName = context.inheritedString(die, DW_AT_linkage_name);
        if (linkageName.isEmpty()) {
            linkageName = context.inheritedString(die, DW_AT_MIPS_linkage_name);
        }
        name.ifPresent(n -> add(functions, n, die.offset()));
        if (linkageName.isPresent() && !linkageName.equals(name)) {
            add(functions, linkageName.get(), die.offset());
        }
    }

    private static void indexType(DwarfContext context, Die die, Map<String, List<Long>> types)
            throws CoreFormatException {
        if (context.flag(die, DW_AT_declaration)) {
            return;
        }
        Optional<String> name = context.string(die, DW_AT_name);
        if (name.isEmpty()) {
            return;
        }
        String key = switch (die.tag()) {
            case DW_TAG_structure_type -> "struct " + name.get();
            case DW_TAG_union_type -> "union " + name.get();
            case DW_TAG_class_type -> "class " + name.get();
            case DW_TAG_enumeration_type -> "enum " + name.get();
            default -> name.get();
        };
        add(types, key, die.offset());
    }

    private static void add(Map<String, List<Long>> map, String key, long offset) {
        map.computeIfAbsent(key, k -> new ArrayList<>(1)).add(offset);
    }

    private static Map<String, List<Long>> freeze(Map<String, List<Long>> map) {
        Map<String, List<Long>> frozen = new HashMap<>(map.size() * 2);
        map.forEach((key, offsets) -> frozen.put(key, List.copyOf(offsets)));
        return frozen;
    }

    @Override
    public String toString() {
        return "NameIndex[" + functions.size() + " function names, " + types.size() + " type names, "
                + rangeStarts.length + " ranges]";
    }
}
