package io.coredumptools.elfcore.dwarf;

/** The classes of the System V AMD64 psABI (§3.2.3) that say where an eightbyte of a value travels. */
public enum ArgumentClass {
    /** Padding only: needs no register. */
    NO_CLASS,
    /** A general-purpose register (rdi, rsi, rdx, rcx, r8, r9; rax, rdx for results). */
    INTEGER,
    /** The low half of a vector register (xmm0-xmm7; xmm0, xmm1 for results). */
    SSE,
    /** The upper half of the vector register the preceding SSE eightbyte went to. */
    SSEUP,
    /** The 64-bit mantissa of an x87 value: passed in memory, returned in st0. */
    X87,
    /** The sign and exponent of an x87 value, with the X87 eightbyte before it. */
    X87UP,
    /** A whole {@code complex long double}: passed in memory, returned in st0 (real) and st1 (imaginary). */
    COMPLEX_X87,
    /** The stack for arguments; for results, a buffer the caller passes in rdi. */
    MEMORY
}
