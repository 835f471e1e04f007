package io.coredumptools.elfcore.dwarf;

/**
 * Part of a value held in a register: bytes {@code [valueOffset, valueOffset + size)} of the value are bytes
 * {@code [registerOffset, registerOffset + size)} of the register. An SSEUP eightbyte is the upper half of an
 * xmm register (registerOffset 8); an x87 value is the 10 bytes of st0 in the format it has in memory.
 */
public record RegisterPiece(SysVRegister register, int registerOffset, long valueOffset, int size) {}
