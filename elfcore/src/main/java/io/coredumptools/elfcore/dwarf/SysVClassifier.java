package io.coredumptools.elfcore.dwarf;

import static io.coredumptools.elfcore.dwarf.ArgumentClass.*;

import java.util.Arrays;
import java.util.List;

/**
 * Classifies a C type for the System V AMD64 calling convention, per the psABI §3.2.3 and as gcc does it
 * (gcc's {@code classify_argument}): each eightbyte of the value gets a class from the scalars in it, merged
 * over struct and union members, then the post-merger rules apply.
 */
public final class SysVClassifier {
    /** Values larger than eight eightbytes always go to memory. */
    private static final long MAX_REGISTER_BYTES = 64;

    private SysVClassifier() {}

    public static SysVClassification classify(CType type) throws AbiClassificationException {
        requirePassable(type);
        if (type instanceof StructType s && s.passByReference()) {
            // Never in registers: the caller passes the address of a copy instead.
            return SysVClassification.MEMORY;
        }
        long size = type.byteSize();
        if (size == 0) {
            return new SysVClassification(List.of());
        }
        if (size > MAX_REGISTER_BYTES) {
            return SysVClassification.MEMORY;
        }
        if (type instanceof BaseType base && base.isComplex() && base.floatFormat() == FloatFormat.X87_EXTENDED) {
            return new SysVClassification(List.of(COMPLEX_X87));
        }
        ArgumentClass[] classes = new ArgumentClass[(int) ((size + 7) / 8)];
        Arrays.fill(classes, NO_CLASS);
        if (!classifyInto(type, 0, classes)) {
            return SysVClassification.MEMORY;
        }
        return postMerge(classes);
    }

    /** Merges the classes of {@code type} at byte {@code offset} into {@code classes}; false means MEMORY. */
    private static boolean classifyInto(CType type, long offset, ArgumentClass[] classes)
            throws AbiClassificationException {
        if (type instanceof ArrayType array && array.count().isEmpty() && !array.vector()) {
            // A flexible array member takes no space in the struct.
            return true;
        }
        requirePassable(type);
        long size = type.byteSize();
        if (size == 0) {
            return true;
        }
        // Misaligned fields (packed structs) force memory.
        if (offset % Math.max(1, type.alignment()) != 0) {
            return false;
        }
        if (type instanceof BaseType base) {
            return classifyBase(base, offset, classes);
        }
        if (type instanceof PointerType || type instanceof EnumType) {
            mergeRange(INTEGER, offset, size, classes);
            return true;
        }
        if (type instanceof ArrayType array) {
            if (array.vector()) {
                return classifyVector(array, offset, classes);
            }
            long elementSize = array.element().byteSize();
            if (elementSize == 0) {
                return true;
            }
            for (long i = 0; i < array.count().getAsLong(); i++) {
                if (!classifyInto(array.element(), offset + i * elementSize, classes)) {
                    return false;
                }
            }
            return true;
        }
        if (type instanceof StructType struct) {
            if (struct.passByReference()) {
                return false;
            }
            for (Member member : struct.members()) {
                if (member.isBitField()) {
                    // Bit-fields are always INTEGER, in the eightbytes their bits touch.
                    long firstByte = offset + member.bitOffset() / 8;
                    long lastByte = offset + (member.bitOffset() + member.bitSize() - 1) / 8;
                    mergeRange(INTEGER, firstByte, lastByte - firstByte + 1, classes);
                } else if (!classifyInto(member.type(), offset + member.offset(), classes)) {
                    return false;
                }
            }
            return true;
        }
        throw new AbiClassificationException("cannot classify " + type.name());
    }

    private static boolean classifyBase(BaseType base, long offset, ArgumentClass[] classes)
            throws AbiClassificationException {
        long size = base.byteSize();
        if (base.encoding().isInteger()) {
            mergeRange(INTEGER, offset, size, classes);
            return true;
        }
        FloatFormat format = base.floatFormat();
        switch (format) {
            case HALF, BFLOAT16, SINGLE, DOUBLE, DECIMAL -> {
                if (base.isComplex() && size == 16) {
                    // complex double: two SSE eightbytes (complex float is one).
                    merge(SSE, offset, classes);
                    merge(SSE, offset + 8, classes);
                } else if (size == 16) {
                    // _Decimal128.
                    merge(SSE, offset, classes);
                    merge(SSEUP, offset + 8, classes);
                } else if (size <= 8) {
                    mergeRange(SSE, offset, size, classes);
                } else {
                    throw new AbiClassificationException("cannot classify " + base.name() + " of " + size + " bytes");
                }
                return true;
            }
            case QUAD -> {
                if (base.isComplex()) {
                    // gcc passes and returns complex _Float128 in memory.
                    return false;
                }
                merge(SSE, offset, classes);
                merge(SSEUP, offset + 8, classes);
                return true;
            }
            case X87_EXTENDED -> {
                if (base.isComplex()) {
                    // Within an aggregate a complex long double makes it larger than 16 bytes: memory.
                    return false;
                }
                merge(X87, offset, classes);
                merge(X87UP, offset + 8, classes);
                return true;
            }
            default ->
                throw new AbiClassificationException(
                        "cannot classify " + base.name() + " (encoding " + base.encoding() + ", " + size + " bytes)");
        }
    }

    private static boolean classifyVector(ArrayType vector, long offset, ArgumentClass[] classes)
            throws AbiClassificationException {
        long size = vector.byteSize();
        if (size <= 8) {
            mergeRange(SSE, offset, size, classes);
            return true;
        }
        if (size == 16) {
            merge(SSE, offset, classes);
            merge(SSEUP, offset + 8, classes);
            return true;
        }
        throw new AbiClassificationException("a " + size + "-byte vector (" + vector.name()
                + ") is passed in a ymm/zmm register or in memory depending on -mavx/-mavx512f, which DWARF"
                + " does not record");
    }

    private static void mergeRange(ArgumentClass c, long offset, long size, ArgumentClass[] classes) {
        for (long word = offset / 8; word <= (offset + size - 1) / 8; word++) {
            merge(c, word * 8, classes);
        }
    }

    private static void merge(ArgumentClass c, long offset, ArgumentClass[] classes) {
        int word = (int) (offset / 8);
        if (word < classes.length) {
            classes[word] = merge(classes[word], c);
        }
    }

    /** psABI §3.2.3, rule 4 of the merge. */
    static ArgumentClass merge(ArgumentClass a, ArgumentClass b) {
        if (a == b) {
            return a;
        }
        if (a == NO_CLASS) {
            return b;
        }
        if (b == NO_CLASS) {
            return a;
        }
        if (a == MEMORY || b == MEMORY) {
            return MEMORY;
        }
        if (a == INTEGER || b == INTEGER) {
            return INTEGER;
        }
        if (a == X87 || a == X87UP || a == COMPLEX_X87 || b == X87 || b == X87UP || b == COMPLEX_X87) {
            return MEMORY;
        }
        return SSE;
    }

    private static SysVClassification postMerge(ArgumentClass[] classes) {
        for (ArgumentClass c : classes) {
            if (c == MEMORY) {
                return SysVClassification.MEMORY;
            }
        }
        if (classes.length > 2) {
            if (classes[0] != SSE) {
                return SysVClassification.MEMORY;
            }
            for (int i = 1; i < classes.length; i++) {
                if (classes[i] != SSEUP) {
                    return SysVClassification.MEMORY;
                }
            }
        }
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] == X87UP && (i == 0 || classes[i - 1] != X87)) {
                return SysVClassification.MEMORY;
            }
            if (classes[i] == SSEUP && (i == 0 || (classes[i - 1] != SSE && classes[i - 1] != SSEUP))) {
                classes[i] = SSE;
            }
        }
        return new SysVClassification(Arrays.asList(classes));
    }

    private static void requirePassable(CType type) throws AbiClassificationException {
        if (type instanceof UnsupportedType unsupported) {
            throw new AbiClassificationException(
                    "the type " + unsupported.name() + " is not supported: " + unsupported.reason());
        }
        if (type instanceof StructType struct && !struct.complete()) {
            throw new AbiClassificationException("the type " + struct.name() + " is incomplete: the file declares it"
                    + " but does not define it, so its size and members are unknown");
        }
        if (type instanceof VoidType || type instanceof FunctionType) {
            throw new AbiClassificationException("a value of type " + type.name() + " cannot be passed");
        }
        if (type instanceof ArrayType array && array.count().isEmpty() && !array.vector()) {
            throw new AbiClassificationException("the array type " + array.name() + " has no size");
        }
    }
}
