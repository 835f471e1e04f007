package io.coredumptools.elfcore.dwarf;

/** {@code void}: a function's missing return type, or what {@code void *} points to. */
public record VoidType() implements CType {
    public static final VoidType INSTANCE = new VoidType();

    @Override
    public long byteSize() {
        return 0;
    }

    @Override
    public long alignment() {
        return 1;
    }

    @Override
    public String name() {
        return "void";
    }
}
