package io.coredumptools.elfcore;

import java.util.Arrays;

/**
 * The x87/SSE state of one thread from NT_FPREGSET: the 512-byte FXSAVE area.
 * Offsets per the Intel SDM's FXSAVE layout.
 */
public record FpRegisters(byte[] fxsave) {
    public static final int SIZE = 512;

    public int fcw() {
        return u16(0);
    }

    public int fsw() {
        return u16(2);
    }

    public int mxcsr() {
        return (int) u32(24);
    }

    /** The 10-byte x87 register st(i)/mm(i) as stored in the 16-byte slot. */
    public byte[] st(int i) {
        return Arrays.copyOfRange(fxsave, 32 + 16 * i, 32 + 16 * i + 10);
    }

    /** xmm(i), 16 bytes little-endian. */
    public byte[] xmm(int i) {
        return Arrays.copyOfRange(fxsave, 160 + 16 * i, 160 + 16 * i + 16);
    }

    private int u16(int at) {
        return (fxsave[at] & 0xff) | (fxsave[at + 1] & 0xff) << 8;
    }

    private long u32(int at) {
        return (u16(at) | (long) u16(at + 2) << 16) & 0xffffffffL;
    }
}
