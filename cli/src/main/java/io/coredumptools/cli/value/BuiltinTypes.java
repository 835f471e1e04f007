package io.coredumptools.cli.value;

import io.coredumptools.elfcore.dwarf.BaseEncoding;
import io.coredumptools.elfcore.dwarf.BaseType;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.VoidType;
import java.util.Map;
import java.util.Optional;

/**
 * The C base types of x86-64 Linux, by the names gdb spells them ("unsigned long", "long double"), and the
 * common integer typedefs of the C library (size_t, int64_t, ...) for programs without debug info.
 */
public final class BuiltinTypes {
    public static final BaseType CHAR = new BaseType("char", BaseEncoding.SIGNED_CHAR, 1);
    public static final BaseType INT = new BaseType("int", BaseEncoding.SIGNED, 4);
    public static final BaseType UNSIGNED_INT = new BaseType("unsigned int", BaseEncoding.UNSIGNED, 4);
    public static final BaseType LONG = new BaseType("long", BaseEncoding.SIGNED, 8);
    public static final BaseType UNSIGNED_LONG = new BaseType("unsigned long", BaseEncoding.UNSIGNED, 8);
    public static final BaseType DOUBLE = new BaseType("double", BaseEncoding.FLOAT, 8);

    private static final Map<String, CType> TYPES = Map.ofEntries(
            Map.entry("void", VoidType.INSTANCE),
            Map.entry("_Bool", new BaseType("_Bool", BaseEncoding.BOOLEAN, 1)),
            Map.entry("char", CHAR),
            Map.entry("signed char", new BaseType("signed char", BaseEncoding.SIGNED_CHAR, 1)),
            Map.entry("unsigned char", new BaseType("unsigned char", BaseEncoding.UNSIGNED_CHAR, 1)),
            Map.entry("short", new BaseType("short", BaseEncoding.SIGNED, 2)),
            Map.entry("unsigned short", new BaseType("unsigned short", BaseEncoding.UNSIGNED, 2)),
            Map.entry("int", INT),
            Map.entry("unsigned int", UNSIGNED_INT),
            Map.entry("long", LONG),
            Map.entry("unsigned long", UNSIGNED_LONG),
            Map.entry("long long", new BaseType("long long", BaseEncoding.SIGNED, 8)),
            Map.entry("unsigned long long", new BaseType("unsigned long long", BaseEncoding.UNSIGNED, 8)),
            Map.entry("float", new BaseType("float", BaseEncoding.FLOAT, 4)),
            Map.entry("double", DOUBLE),
            Map.entry("long double", new BaseType("long double", BaseEncoding.FLOAT, 16)));

    private static final Map<String, String> TYPEDEFS = Map.ofEntries(
            Map.entry("size_t", "unsigned long"),
            Map.entry("ssize_t", "long"),
            Map.entry("ptrdiff_t", "long"),
            Map.entry("intptr_t", "long"),
            Map.entry("uintptr_t", "unsigned long"),
            Map.entry("off_t", "long"),
            Map.entry("pid_t", "int"),
            Map.entry("int8_t", "signed char"),
            Map.entry("uint8_t", "unsigned char"),
            Map.entry("int16_t", "short"),
            Map.entry("uint16_t", "unsigned short"),
            Map.entry("int32_t", "int"),
            Map.entry("uint32_t", "unsigned int"),
            Map.entry("int64_t", "long"),
            Map.entry("uint64_t", "unsigned long"));

    private BuiltinTypes() {}

    /** The base type spelled {@code name} ("unsigned long"), or a C library integer typedef's type. */
    public static Optional<CType> named(String name) {
        CType type = TYPES.get(name);
        if (type == null && TYPEDEFS.containsKey(name)) {
            type = TYPES.get(TYPEDEFS.get(name));
        }
        return Optional.ofNullable(type);
    }

    public static boolean isBaseTypeName(String name) {
        return TYPES.containsKey(name);
    }

    /**
     * The type C passes {@code type} as when no prototype says otherwise (the default argument promotions, for
     * an unprototyped callee or a variadic one's extra arguments): float as double, integers smaller than int
     * (char, short, _Bool, small enums) as int.
     */
    public static CType promoted(CType type) {
        if (type instanceof BaseType b) {
            if (b.isFloatingPoint() && !b.isComplex() && b.byteSize() == 4) {
                return DOUBLE;
            }
            if (b.encoding().isInteger() && b.byteSize() < 4) {
                return INT;
            }
        }
        if (type instanceof io.coredumptools.elfcore.dwarf.EnumType e && e.byteSize() < 4) {
            return INT;
        }
        return type;
    }
}
