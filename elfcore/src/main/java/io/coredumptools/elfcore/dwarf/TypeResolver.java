package io.coredumptools.elfcore.dwarf;

import static io.coredumptools.elfcore.dwarf.DwarfConstants.*;

import io.coredumptools.elfcore.CoreFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns type DIEs into {@link CType}s: through typedefs and qualifiers, declarations to definitions (by name,
 * anywhere in the file), members with their offsets and bit-fields. Pointer targets are left for later (see
 * {@link PointerType}), so only types nested by value are read now, and those cannot be cyclic in valid DWARF:
 * a nesting deeper than {@link #MAX_DEPTH} is reported as corrupt. Results are cached by DIE offset.
 */
final class TypeResolver {
    static final int MAX_DEPTH = 64;

    /** Finds type definitions by name, for declarations ("struct foo;") defined in another unit. */
    interface Definitions {
        List<Long> types(String key) throws CoreFormatException;
    }

    private final DwarfContext context;
    private final TypeNames names;
    private final Definitions definitions;
    private final Map<Long, CType> cache = new HashMap<>();

    TypeResolver(DwarfContext context, TypeNames names, Definitions definitions) {
        this.context = context;
        this.names = names;
        this.definitions = definitions;
    }

    /** The type {@code holder}'s DW_AT_type names, resolved; void when it names none. */
    synchronized CType typeOf(Die holder) throws CoreFormatException {
        return typeOf(holder, 0);
    }

    synchronized CType resolve(Die type) throws CoreFormatException {
        return resolve(type, 0);
    }

    private CType typeOf(Die holder, int depth) throws CoreFormatException {
        if (context.isForeignReference(holder, DW_AT_type)) {
            return new UnsupportedType(
                    TypeNames.FOREIGN_TYPE,
                    0,
                    "the type is in a type unit or a supplementary (dwz) file, which this reader does not follow");
        }
        Optional<Die> type = context.reference(holder, DW_AT_type);
        return type.isPresent() ? resolve(type.get(), depth) : VoidType.INSTANCE;
    }

    private CType resolve(Die type, int depth) throws CoreFormatException {
        CType cached = cache.get(type.offset());
        if (cached != null) {
            return cached;
        }
        if (depth > MAX_DEPTH) {
            throw context.section(DwarfSections.INFO)
                    .error(type.offset(), "types nested more than " + MAX_DEPTH + " deep (a cycle?)");
        }
        CType resolved = resolveUncached(type, depth);
        cache.put(type.offset(), resolved);
        return resolved;
    }

    private CType resolveUncached(Die type, int depth) throws CoreFormatException {
        return switch (type.tag()) {
            case DW_TAG_typedef, DW_TAG_const_type, DW_TAG_volatile_type, DW_TAG_restrict_type, DW_TAG_atomic_type ->
                typeOf(type, depth + 1);
            case DW_TAG_base_type -> baseType(type);
            case DW_TAG_pointer_type, DW_TAG_reference_type, DW_TAG_rvalue_reference_type -> pointer(type);
            case DW_TAG_enumeration_type -> enumeration(type, depth);
            case DW_TAG_array_type -> array(type, depth);
            case DW_TAG_structure_type, DW_TAG_union_type, DW_TAG_class_type -> aggregate(type, depth);
            case DW_TAG_subroutine_type -> function(type, depth);
            case DW_TAG_ptr_to_member_type ->
                new UnsupportedType(
                        names.spell(type),
                        context.constant(type, DW_AT_byte_size).orElse(0),
                        "C++ pointers to members are not supported");
            default ->
                new UnsupportedType(
                        names.spell(type),
                        0,
                        "DWARF type tag 0x" + Integer.toHexString(type.tag()) + " is not supported");
        };
    }

    private CType baseType(Die type) throws CoreFormatException {
        String name = TypeNames.baseName(context.string(type, DW_AT_name).orElse("<unnamed base type>"));
        OptionalLong size = context.constant(type, DW_AT_byte_size);
        if (size.isEmpty()) {
            OptionalLong bits = context.constant(type, DW_AT_bit_size);
            size = bits.isPresent() ? OptionalLong.of((bits.getAsLong() + 7) / 8) : OptionalLong.empty();
        }
        if (size.isEmpty() || size.getAsLong() <= 0 || size.getAsLong() > 64) {
            return new UnsupportedType(name, 0, "base type without a usable DW_AT_byte_size");
        }
        BaseEncoding encoding =
                BaseEncoding.of((int) context.constant(type, DW_AT_encoding).orElse(0));
        return new BaseType(name, encoding, size.getAsLong());
    }

    private CType pointer(Die type) throws CoreFormatException {
        PointerType.Kind kind = switch (type.tag()) {
            case DW_TAG_reference_type -> PointerType.Kind.REFERENCE;
            case DW_TAG_rvalue_reference_type -> PointerType.Kind.RVALUE_REFERENCE;
            default -> PointerType.Kind.POINTER;
        };
        long size = context.constant(type, DW_AT_byte_size).orElse(type.unit().addressSize());
        String name = names.spell(type);
        return new PointerType(kind, size, name, () -> lazyTarget(type, name));
    }

    /** A pointer's target, resolved when first asked for; failures become an UnsupportedType naming them. */
    private CType lazyTarget(Die pointer, String pointerName) {
        try {
            return typeOf(pointer);
        } catch (CoreFormatException e) {
            return new UnsupportedType(
                    pointerName.endsWith(" *") ? pointerName.substring(0, pointerName.length() - 2) : "?",
                    0,
                    e.getMessage());
        }
    }

    private CType enumeration(Die type, int depth) throws CoreFormatException {
        if (context.flag(type, DW_AT_declaration)) {
            Optional<Die> definition = definitionOf(type, "enum");
            if (definition.isPresent()) {
                return resolve(definition.get(), depth + 1);
            }
            return new UnsupportedType(names.spell(type), 0, "the enum is declared but not defined in this file");
        }
        CType underlying = type.has(DW_AT_type) ? typeOf(type, depth + 1) : null;
        OptionalLong size = context.constant(type, DW_AT_byte_size);
        long byteSize = size.isPresent() ? size.getAsLong() : underlying == null ? 4 : underlying.byteSize();
        List<EnumType.Enumerator> enumerators = new ArrayList<>();
        boolean anyNegative = false;
        boolean underlyingSigned =
                underlying instanceof BaseType base && base.encoding().isSigned();
        for (Die child : context.children(type)) {
            if (child.tag() != DW_TAG_enumerator) {
                continue;
            }
            long value = enumeratorValue(child, underlyingSigned);
            anyNegative |= value < 0 && (underlyingSigned || isSignedForm(child));
            enumerators.add(
                    new EnumType.Enumerator(context.string(child, DW_AT_name).orElse(""), value));
        }
        boolean signed = underlying instanceof BaseType base ? base.encoding().isSigned() : anyNegative;
        return new EnumType(names.spell(type), byteSize, signed, enumerators);
    }

    private long enumeratorValue(Die enumerator, boolean signed) throws CoreFormatException {
        long value = context.constant(enumerator, DW_AT_const_value).orElse(0);
        if (!signed) {
            return value;
        }
        int bytes = switch (context.form(enumerator, DW_AT_const_value)) {
            case DW_FORM_data1 -> 1;
            case DW_FORM_data2 -> 2;
            case DW_FORM_data4 -> 4;
            default -> 8;
        };
        int shift = 64 - 8 * bytes;
        return (value << shift) >> shift;
    }

    private boolean isSignedForm(Die enumerator) {
        int form = context.form(enumerator, DW_AT_const_value);
        return form == DW_FORM_sdata || form == DW_FORM_implicit_const;
    }

    private CType array(Die type, int depth) throws CoreFormatException {
        CType element = typeOf(type, depth + 1);
        List<OptionalLong> counts = names.arrayCounts(type);
        boolean vector = context.flag(type, DW_AT_GNU_vector);
        CType result = element;
        for (int i = counts.size() - 1; i >= 0; i--) {
            OptionalLong count = counts.get(i);
            long size = count.isPresent() ? count.getAsLong() * result.byteSize() : 0;
            if (i == 0) {
                size = context.constant(type, DW_AT_byte_size).orElse(size);
            }
            result = new ArrayType(result, count, vector && i == 0, size, names.array(type, i));
        }
        return result;
    }

    private CType function(Die type, int depth) throws CoreFormatException {
        CType returnType = typeOf(type, depth + 1);
        List<CType> parameters = new ArrayList<>();
        boolean variadic = false;
        for (Die child : context.children(type)) {
            if (child.tag() == DW_TAG_formal_parameter) {
                parameters.add(typeOf(child, depth + 1));
            } else if (child.tag() == DW_TAG_unspecified_parameters) {
                variadic = true;
            }
        }
        boolean prototyped =
                context.flag(type, DW_AT_prototyped) || type.unit().bases().cplusplus();
        return new FunctionType(returnType, parameters, prototyped, variadic, names.spell(type));
    }

    private CType aggregate(Die type, int depth) throws CoreFormatException {
        StructType.Kind kind = switch (type.tag()) {
            case DW_TAG_union_type -> StructType.Kind.UNION;
            case DW_TAG_class_type -> StructType.Kind.CLASS;
            default -> StructType.Kind.STRUCT;
        };
        String name = names.spell(type);
        if (context.flag(type, DW_AT_declaration)) {
            Optional<Die> definition = definitionOf(type, kind == StructType.Kind.UNION ? "union" : "struct");
            if (definition.isEmpty() && kind != StructType.Kind.UNION) {
                // C++ may declare "struct X" and define "class X".
                definition = definitionOf(type, "class");
            }
            if (definition.isPresent()) {
                return resolve(definition.get(), depth + 1);
            }
            return new StructType(kind, name, 0, 1, List.of(), false, false);
        }
        long byteSize = context.constant(type, DW_AT_byte_size).orElse(0);
        List<Member> members = new ArrayList<>();
        for (Die child : context.children(type)) {
            if (child.tag() == DW_TAG_member || child.tag() == DW_TAG_inheritance) {
                // Static data members (DWARF 4 and earlier) are declarations, stored elsewhere.
                if (context.flag(child, DW_AT_declaration) || context.flag(child, DW_AT_external)) {
                    continue;
                }
                Optional<Member> member = member(child, kind, depth);
                if (member.isEmpty()) {
                    return new UnsupportedType(
                            name, byteSize, "a member's offset is a DWARF expression (a virtual base class?)");
                }
                members.add(member.get());
            }
        }
        OptionalLong explicitAlignment = context.constant(type, DW_AT_alignment);
        long alignment =
                explicitAlignment.isPresent() ? explicitAlignment.getAsLong() : naturalAlignment(members, byteSize);
        boolean byReference = context.constant(type, DW_AT_calling_convention).orElse(0) == DW_CC_pass_by_reference;
        return new StructType(kind, name, byteSize, alignment, members, true, byReference);
    }

    private Optional<Member> member(Die member, StructType.Kind kind, int depth) throws CoreFormatException {
        CType type = typeOf(member, depth + 1);
        String typeName = names.typeOf(member);
        String name = context.string(member, DW_AT_name).orElse(member.tag() == DW_TAG_inheritance ? typeName : "");
        long offset = 0;
        if (member.has(DW_AT_data_member_location)) {
            OptionalLong location = memberLocation(member);
            if (location.isEmpty()) {
                return Optional.empty();
            }
            offset = location.getAsLong();
        }
        int bitSize = (int) Math.max(
                0,
                Math.min(
                        Integer.MAX_VALUE,
                        context.constant(member, DW_AT_bit_size).orElse(0)));
        long bitOffset = offset * 8;
        OptionalLong dataBitOffset = context.constant(member, DW_AT_data_bit_offset);
        if (dataBitOffset.isPresent()) {
            bitOffset = dataBitOffset.getAsLong();
        } else if (bitSize > 0 && member.has(DW_AT_bit_offset)) {
            // DWARF 2-4: the offset of the field's most significant bit in a storage unit of DW_AT_byte_size bytes.
            long storage = context.constant(member, DW_AT_byte_size).orElse(type.byteSize());
            bitOffset = offset * 8
                    + storage * 8
                    - context.constant(member, DW_AT_bit_offset).orElse(0)
                    - bitSize;
        }
        if (bitSize > 0) {
            offset = Math.floorDiv(bitOffset, 8);
        }
        return Optional.of(new Member(name, offset, type, typeName, bitSize, bitOffset));
    }

    /** A constant, or the DWARF 2 form: an expression of DW_OP_plus_uconst N (or DW_OP_constu N). */
    private OptionalLong memberLocation(Die member) throws CoreFormatException {
        OptionalLong constant = context.constant(member, DW_AT_data_member_location);
        if (constant.isPresent()) {
            return constant;
        }
        int i = member.indexOf(DW_AT_data_member_location);
        long length = member.blockLengths()[i];
        if (length == 0) {
            return OptionalLong.empty();
        }
        long start = member.values()[i];
        ByteCursor in = context.section(DwarfSections.INFO).cursor(start, start + length);
        int op = in.u8();
        if (op != DW_OP_plus_uconst && op != DW_OP_constu) {
            return OptionalLong.empty();
        }
        long value = in.uleb128();
        return in.atEnd() ? OptionalLong.of(value) : OptionalLong.empty();
    }

    /**
     * The largest member alignment; a member at an offset its type's alignment does not divide (a packed
     * struct) contributes 1, and the result must divide the size (gcc's packed structs have alignment 1).
     */
    private static long naturalAlignment(List<Member> members, long byteSize) {
        long alignment = 1;
        for (Member m : members) {
            long a = m.type().alignment();
            if (!m.isBitField() && a > 0 && m.offset() % a != 0) {
                a = 1;
            }
            alignment = Math.max(alignment, a);
        }
        while (alignment > 1 && byteSize % alignment != 0) {
            alignment /= 2;
        }
        return alignment;
    }

    private Optional<Die> definitionOf(Die declaration, String keyword) throws CoreFormatException {
        Optional<String> name = context.string(declaration, DW_AT_name);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        for (long offset : definitions.types(keyword + " " + name.get())) {
            if (offset != declaration.offset()) {
                return Optional.of(context.die(offset));
            }
        }
        return Optional.empty();
    }
}
