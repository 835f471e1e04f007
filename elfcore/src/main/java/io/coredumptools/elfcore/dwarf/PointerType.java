package io.coredumptools.elfcore.dwarf;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A pointer (or C++ reference). What it points to is resolved only when {@link #target()} is first asked for:
 * types that point back at themselves ({@code struct list *next}) need no cycle in memory, and a pointer to a
 * large struct costs nothing until someone looks inside. Immutable; equal when kind, size and spelling are.
 */
public final class PointerType implements CType {
    public enum Kind {
        POINTER,
        REFERENCE,
        RVALUE_REFERENCE
    }

    private final Kind kind;
    private final long byteSize;
    private final String name;
    private final Supplier<CType> target;
    private volatile CType resolvedTarget;

    PointerType(Kind kind, long byteSize, String name, Supplier<CType> target) {
        this.kind = Objects.requireNonNull(kind);
        this.byteSize = byteSize;
        this.name = Objects.requireNonNull(name);
        this.target = Objects.requireNonNull(target);
    }

    /**
     * A plain pointer to {@code target}, for types a debugger user writes (a cast's {@code char *}) rather than
     * types read from DWARF; spelled as gdb spells it ("char *", "char **", "int (*)(int)").
     */
    public static PointerType to(CType target) {
        String name;
        if (target instanceof FunctionType f) {
            int open = f.name().indexOf(" (");
            name = open < 0
                    ? f.name() + " (*)"
                    : f.name().substring(0, open) + " (*)" + f.name().substring(open + 1);
        } else {
            name = target.name() + (target.name().endsWith("*") ? "*" : " *");
        }
        return new PointerType(Kind.POINTER, 8, name, () -> target);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public long byteSize() {
        return byteSize;
    }

    @Override
    public long alignment() {
        return Math.max(1, byteSize);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The type pointed to, resolved like any other ({@link VoidType} for {@code void *}); an {@link
     * UnsupportedType} naming the problem when the DWARF describing it cannot be read.
     */
    public CType target() {
        CType result = resolvedTarget;
        if (result == null) {
            result = target.get();
            resolvedTarget = result;
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PointerType p && p.kind == kind && p.byteSize == byteSize && p.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, byteSize, name);
    }

    @Override
    public String toString() {
        return "PointerType[" + name + "]";
    }
}
