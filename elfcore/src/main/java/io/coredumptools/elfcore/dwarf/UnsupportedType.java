package io.coredumptools.elfcore.dwarf;

/**
 * A type this reader cannot describe for the ABI: a C++ pointer to member, a type in a type unit or a dwz
 * supplementary file, or DWARF it could not read. {@code reason} says which; callers must refuse to pass such a
 * value rather than guess.
 */
public record UnsupportedType(String name, long byteSize, String reason) implements CType {

    @Override
    public long alignment() {
        return 1;
    }
}
