package io.coredumptools.elfcore.dwarf;

import java.util.List;

/** The type of a function, as reached through a function pointer: {@code int (*)(int, double)} points to one. */
public record FunctionType(
        CType returnType, List<CType> parameterTypes, boolean prototyped, boolean variadic, String name)
        implements CType {

    public FunctionType {
        parameterTypes = List.copyOf(parameterTypes);
    }

    @Override
    public long byteSize() {
        return 0;
    }

    @Override
    public long alignment() {
        return 1;
    }
}
