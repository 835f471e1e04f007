package io.coredumptools.elfcore.dwarf;

import java.util.OptionalLong;

/**
 * An array. As a parameter, C passes a pointer instead (gcc's DWARF already says so); inside a struct its
 * elements are laid out in place. A multi-dimensional array is an array of arrays.
 *
 * @param count  the number of elements, empty when unknown ({@code int a[]})
 * @param vector a GNU vector type ({@code __attribute__((vector_size(16)))}, {@code __m128}), passed in vector
 *     registers as a whole
 */
public record ArrayType(CType element, OptionalLong count, boolean vector, long byteSize, String name)
        implements CType {

    @Override
    public long alignment() {
        return vector ? Math.max(1, Math.min(64, byteSize)) : element.alignment();
    }
}
