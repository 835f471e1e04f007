package io.coredumptools.elfcore.dwarf;

/**
 * A C type as the x86-64 ABI needs it: typedefs and qualifiers (const, volatile, restrict, _Atomic) are
 * resolved away at every level a caller looks at, and declarations are replaced by their definitions where the
 * file has one. {@link #name()} spells the type as gdb does ("double", "struct point *", "int (*)(int)").
 */
public sealed interface CType
        permits VoidType, BaseType, PointerType, EnumType, ArrayType, StructType, FunctionType, UnsupportedType {

    /** The size in bytes; 0 for void, functions and incomplete types. */
    long byteSize();

    /** The alignment in bytes, as gcc lays the type out on x86-64. */
    long alignment();

    /** The C spelling, as gdb prints it. */
    String name();
}
