package io.coredumptools.elfcore.dwarf;

import java.util.List;

/**
 * A struct, union or class, with its members in declaration order (base classes of a C++ class come first, as
 * members named after the base).
 *
 * @param name            "struct point", "union num", or "struct {...}" for an anonymous one
 * @param complete        false when the file only declares the type (an opaque {@code struct foo;}): then size
 *     and members are unknown
 * @param passByReference a C++ class that the DWARF says is passed by invisible reference (DW_CC_pass_by_reference:
 *     it has a non-trivial copy constructor or destructor)
 */
public record StructType(
        Kind kind,
        String name,
        long byteSize,
        long alignment,
        List<Member> members,
        boolean complete,
        boolean passByReference)
        implements CType {

    public enum Kind {
        STRUCT,
        UNION,
        CLASS
    }

    public StructType {
        members = List.copyOf(members);
    }

    public boolean isUnion() {
        return kind == Kind.UNION;
    }
}
