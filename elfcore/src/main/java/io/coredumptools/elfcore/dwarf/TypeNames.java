package io.coredumptools.elfcore.dwarf;

import static io.coredumptools.elfcore.dwarf.DwarfConstants.*;

import io.coredumptools.elfcore.CoreFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Spells types as C declarations, the way gdb's C type printer does: typedef names and qualifiers as declared
 * ("const my_size", "char * const *"), declarators inside out ("int (*)(int, double)", "char (*)[4]"),
 * integer names in gdb's canonical form ("unsigned long" for DWARF's "long unsigned int").
 */
final class TypeNames {
    /** Declarator nesting deeper than this is a cycle in corrupt DWARF. */
    static final int MAX_DEPTH = 64;

    /** Stands for a type this reader cannot reach (type units, dwz supplementary files). */
    static final String FOREIGN_TYPE = "<type in another file>";

    private static final Set<String> INTEGER_WORDS = Set.of("signed", "unsigned", "short", "long", "int", "char");

    private final DwarfContext context;
    private final Map<Long, String> spelled = new HashMap<>();

    TypeNames(DwarfContext context) {
        this.context = context;
    }

    /** The type {@code holder}'s DW_AT_type names; "void" when it has none. */
    synchronized String typeOf(Die holder) throws CoreFormatException {
        if (context.isForeignReference(holder, DW_AT_type)) {
            return FOREIGN_TYPE;
        }
        Optional<Die> type = context.reference(holder, DW_AT_type);
        return type.isPresent() ? spell(type.get()) : "void";
    }

    /** The spelling of the type DIE {@code type}. */
    synchronized String spell(Die type) throws CoreFormatException {
        String cached = spelled.get(type.offset());
        if (cached == null) {
            cached = declarator(type, "", 0);
            spelled.put(type.offset(), cached);
        }
        return cached;
    }

    /** The spelling of a function's type (a DW_TAG_subprogram or DW_TAG_subroutine_type): "int (int, long)". */
    synchronized String function(Die function) throws CoreFormatException {
        return declarator(function, "", 0);
    }

    /** The spelling of an array type without its first {@code skipDimensions} dimensions. */
    synchronized String array(Die array, int skipDimensions) throws CoreFormatException {
        StringBuilder suffix = new StringBuilder();
        List<OptionalLong> counts = arrayCounts(array);
        for (int i = skipDimensions; i < counts.size(); i++) {
            suffix.append(dimension(counts.get(i)));
        }
        return targetDeclarator(array, suffix.toString(), 1);
    }

    private String declarator(Die type, String inner, int depth) throws CoreFormatException {
        if (depth > MAX_DEPTH) {
            throw context.section(DwarfSections.INFO)
                    .error(type.offset(), "type nesting deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        switch (type.tag()) {
            case DW_TAG_base_type:
                return join(baseName(context.string(type, DW_AT_name).orElse("<unnamed base type>")), inner);
            case DW_TAG_typedef:
            case DW_TAG_unspecified_type:
                return join(context.string(type, DW_AT_name).orElse("<unnamed>"), inner);
            case DW_TAG_structure_type:
            case DW_TAG_union_type:
            case DW_TAG_class_type:
            case DW_TAG_enumeration_type:
                return join(aggregateName(type), inner);
            case DW_TAG_const_type:
            case DW_TAG_volatile_type:
            case DW_TAG_restrict_type:
            case DW_TAG_atomic_type:
                return qualified(type, inner, depth);
            case DW_TAG_pointer_type:
            case DW_TAG_reference_type:
            case DW_TAG_rvalue_reference_type:
                return pointer(type, "", inner, depth);
            case DW_TAG_ptr_to_member_type:
                return join(targetDeclarator(type, "", depth) + " <member pointer>", inner);
            case DW_TAG_array_type: {
                StringBuilder suffix = new StringBuilder(inner);
                for (OptionalLong count : arrayCounts(type)) {
                    suffix.append(dimension(count));
                }
                return targetDeclarator(type, suffix.toString(), depth + 1);
            }
            case DW_TAG_subroutine_type:
            case DW_TAG_subprogram:
                return targetDeclarator(type, inner + "(" + parameterList(type, depth) + ")", depth);
            default:
                return join("<unknown type tag 0x" + Integer.toHexString(type.tag()) + ">", inner);
        }
    }

    /** Qualifiers go before a named type ("const char") and after the star of a pointer ("char * const"). */
    private String qualified(Die type, String inner, int depth) throws CoreFormatException {
        boolean isConst = false;
        boolean isVolatile = false;
        boolean isRestrict = false;
        boolean isAtomic = false;
        Die current = type;
        for (int n = 0; ; n++) {
            if (n > MAX_DEPTH) {
                throw context.section(DwarfSections.INFO)
                        .error(type.offset(), "qualifier chain longer than " + MAX_DEPTH + " (a cycle?)");
            }
            switch (current.tag()) {
                case DW_TAG_const_type -> isConst = true;
                case DW_TAG_volatile_type -> isVolatile = true;
                case DW_TAG_restrict_type -> isRestrict = true;
                case DW_TAG_atomic_type -> isAtomic = true;
            }
            if (!isQualifier(current.tag())) {
                break;
            }
            if (context.isForeignReference(current, DW_AT_type)) {
                return join(FOREIGN_TYPE, inner);
            }
            Optional<Die> next = context.reference(current, DW_AT_type);
            if (next.isEmpty()) {
                current = null;
                break;
            }
            current = next.get();
        }
        List<String> words = new ArrayList<>();
        if (isConst) {
            words.add("const");
        }
        if (isVolatile) {
            words.add("volatile");
        }
        if (isRestrict) {
            words.add("restrict");
        }
        if (isAtomic) {
            words.add("_Atomic");
        }
        String qualifiers = String.join(" ", words);
        if (current != null && isPointer(current.tag())) {
            return pointer(current, qualifiers, inner, depth + 1);
        }
        String target = current == null ? join("void", inner) : declarator(current, inner, depth + 1);
        return qualifiers + " " + target;
    }

    private String pointer(Die pointer, String qualifiers, String inner, int depth) throws CoreFormatException {
        String symbol = switch (pointer.tag()) {
            case DW_TAG_reference_type -> "&";
            case DW_TAG_rvalue_reference_type -> "&&";
            default -> "*";
        };
        String declarator = symbol
                + (qualifiers.isEmpty() ? "" : " " + qualifiers)
                + (inner.isEmpty() ? "" : (qualifiers.isEmpty() ? "" : " ") + inner);
        Optional<Die> target = context.reference(pointer, DW_AT_type);
        if (target.isPresent() && needsParentheses(target.get())) {
            declarator = "(" + declarator + ")";
        }
        return targetDeclarator(pointer, declarator, depth);
    }

    private static boolean needsParentheses(Die target) {
        return target.tag() == DW_TAG_array_type
                || target.tag() == DW_TAG_subroutine_type
                || target.tag() == DW_TAG_subprogram;
    }

    /** The declarator of what {@code holder}'s DW_AT_type names, around {@code inner}. */
    private String targetDeclarator(Die holder, String inner, int depth) throws CoreFormatException {
        if (context.isForeignReference(holder, DW_AT_type)) {
            return join(FOREIGN_TYPE, inner);
        }
        Optional<Die> target =
                holder.tag() == DW_TAG_subprogram ? inheritedType(holder) : context.reference(holder, DW_AT_type);
        return target.isPresent() ? declarator(target.get(), inner, depth + 1) : join("void", inner);
    }

    private Optional<Die> inheritedType(Die function) throws CoreFormatException {
        Optional<Die> holder = context.withAttribute(function, DW_AT_type);
        return holder.isPresent() ? context.reference(holder.get(), DW_AT_type) : Optional.empty();
    }

    private String parameterList(Die function, int depth) throws CoreFormatException {
        List<String> parameters = new ArrayList<>();
        boolean variadic = false;
        for (Die child : context.children(function)) {
            if (child.tag() == DW_TAG_formal_parameter) {
                Optional<Die> holder = context.withAttribute(child, DW_AT_type);
                if (holder.isPresent() && context.isForeignReference(holder.get(), DW_AT_type)) {
                    parameters.add(FOREIGN_TYPE);
                } else {
                    Optional<Die> type =
                            holder.isPresent() ? context.reference(holder.get(), DW_AT_type) : Optional.empty();
                    parameters.add(type.isPresent() ? declarator(type.get(), "", depth + 1) : "void");
                }
            } else if (child.tag() == DW_TAG_unspecified_parameters) {
                variadic = true;
            }
        }
        if (variadic) {
            parameters.add("...");
        }
        if (parameters.isEmpty()
                && (context.inheritedFlag(function, DW_AT_prototyped)
                        || function.unit().bases().cplusplus())) {
            return "void";
        }
        return String.join(", ", parameters);
    }

    /** The number of elements of each dimension, outermost first; empty for an unknown bound. */
    List<OptionalLong> arrayCounts(Die array) throws CoreFormatException {
        List<OptionalLong> counts = new ArrayList<>();
        for (Die child : context.children(array)) {
            if (child.tag() != DW_TAG_subrange_type) {
                continue;
            }
            OptionalLong count = context.constant(child, DW_AT_count);
            if (count.isEmpty()) {
                OptionalLong upper = context.constant(child, DW_AT_upper_bound);
                if (upper.isPresent()) {
                    long lower = context.constant(child, DW_AT_lower_bound).orElse(0);
                    // gcc writes upper bound -1 (all ones) for a zero-length array.
                    long n = upper.getAsLong() - lower + 1;
                    count = OptionalLong.of(Math.max(0, n));
                }
            }
            counts.add(count);
        }
        if (counts.isEmpty()) {
            counts.add(OptionalLong.empty());
        }
        return counts;
    }

    private static String dimension(OptionalLong count) {
        return count.isPresent() ? "[" + count.getAsLong() + "]" : "[]";
    }

    String aggregateName(Die type) throws CoreFormatException {
        Optional<String> name = context.string(type, DW_AT_name);
        String keyword = switch (type.tag()) {
            case DW_TAG_union_type -> "union";
            case DW_TAG_class_type -> "class";
            case DW_TAG_enumeration_type -> "enum";
            default -> "struct";
        };
        if (name.isEmpty()) {
            return (keyword.equals("class") ? "struct" : keyword) + " {...}";
        }
        // gdb prints C++ class, struct, union and enum names without the keyword.
        return type.unit().bases().cplusplus() ? name.get() : keyword + " " + name.get();
    }

    private static boolean isQualifier(int tag) {
        return tag == DW_TAG_const_type
                || tag == DW_TAG_volatile_type
                || tag == DW_TAG_restrict_type
                || tag == DW_TAG_atomic_type;
    }

    private static boolean isPointer(int tag) {
        return tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type || tag == DW_TAG_rvalue_reference_type;
    }

    private static String join(String base, String inner) {
        return inner.isEmpty() ? base : base + " " + inner;
    }

    /**
     * gdb's canonical spelling of C integer type names: "long unsigned int" becomes "unsigned long", "short int"
     * becomes "short". Names with other words ("__int128 unsigned", "long double") stay as they are.
     */
    static String baseName(String dwarfName) {
        String[] words = dwarfName.trim().split("\\s+");
        int longs = 0;
        boolean isUnsigned = false;
        boolean isSigned = false;
        boolean isShort = false;
        boolean isChar = false;
        for (String word : words) {
            if (!INTEGER_WORDS.contains(word)) {
                return dwarfName;
            }
            switch (word) {
                case "long" -> longs++;
                case "unsigned" -> isUnsigned = true;
                case "signed" -> isSigned = true;
                case "short" -> isShort = true;
                case "char" -> isChar = true;
                default -> {
                    // "int" adds nothing once the size is known.
                }
            }
        }
        if (longs > 2 || (isShort && longs > 0) || (isChar && (isShort || longs > 0)) || (isSigned && isUnsigned)) {
            return dwarfName;
        }
        String size;
        if (isChar) {
            size = "char";
        } else if (isShort) {
            size = "short";
        } else if (longs == 2) {
            size = "long long";
        } else if (longs == 1) {
            size = "long";
        } else {
            size = "int";
        }
        if (isUnsigned) {
            return "unsigned " + size;
        }
        return isChar && isSigned ? "signed char" : size;
    }
}
