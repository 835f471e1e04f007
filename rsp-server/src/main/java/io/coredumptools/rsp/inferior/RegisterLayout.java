package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.debug.RegisterFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The amd64 Linux register set gdb gets from our target description (amd64-avx-linux.xml): regnum order of the
 * g/G packet and of p/P. 76 registers: rax..r15, rip, eflags, cs ss ds es fs gs, st0-7, fctrl..fop, xmm0-15,
 * mxcsr, orig_rax, fs_base, gs_base, ymm0h-ymm15h; 816 bytes in a g packet. All values little-endian.
 */
public final class RegisterLayout {
    public static final int RBP = 6;
    public static final int RSP = 7;
    public static final int RIP = 16;
    public static final int COUNT = 76;

    private static final int[] SIZES = new int[COUNT];
    private static final String[] NAMES = new String[COUNT];
    private static final int[] OFFSETS = new int[COUNT];
    public static final int G_PACKET_BYTES;

    static {
        String[] gpr = {
            "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"
        };
        List<String> names = new ArrayList<>(List.of(gpr));
        names.add("rip");
        names.add("eflags");
        names.addAll(List.of("cs", "ss", "ds", "es", "fs", "gs"));
        for (int i = 0; i < 8; i++) {
            names.add("st" + i);
        }
        names.addAll(List.of("fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"));
        for (int i = 0; i < 16; i++) {
            names.add("xmm" + i);
        }
        names.addAll(List.of("mxcsr", "orig_rax", "fs_base", "gs_base"));
        for (int i = 0; i < 16; i++) {
            names.add("ymm" + i + "h");
        }
        int offset = 0;
        for (int r = 0; r < COUNT; r++) {
            NAMES[r] = names.get(r);
            SIZES[r] = sizeOf(r);
            OFFSETS[r] = offset;
            offset += SIZES[r];
        }
        G_PACKET_BYTES = offset;
    }

    private static final byte[] TARGET_XML = resource("amd64-avx-linux.xml");

    private RegisterLayout() {}

    /** gdb's amd64 Linux target description with AVX (gdbserver's, without AVX-512: Unicorn has none). */
    public static byte[] targetXml() {
        return TARGET_XML;
    }

    private static byte[] resource(String name) {
        try (java.io.InputStream in = RegisterLayout.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int sizeOf(int r) {
        if (r <= 16) {
            return 8;
        }
        if (r <= 23) {
            return 4;
        }
        if (r <= 31) {
            return 10;
        }
        if (r <= 39) {
            return 4;
        }
        if (r <= 55) {
            return 16;
        }
        if (r == 56) {
            return 4;
        }
        if (r <= 59) {
            return 8;
        }
        return 16;
    }

    public static int size(int regnum) {
        return SIZES[regnum];
    }

    public static String name(int regnum) {
        return NAMES[regnum];
    }

    public static int offset(int regnum) {
        return OFFSETS[regnum];
    }

    /** All registers in regnum order (the g packet's bytes). */
    public static byte[] readAll(RegisterFile regs) {
        byte[] out = new byte[G_PACKET_BYTES];
        for (int r = 0; r < COUNT; r++) {
            byte[] value = read(regs, r);
            System.arraycopy(value, 0, out, OFFSETS[r], value.length);
        }
        return out;
    }

    /** Writes registers from a G packet's bytes; a shorter packet sets the registers it covers completely. */
    public static void writeAll(RegisterFile regs, byte[] data) {
        for (int r = 0; r < COUNT; r++) {
            if (OFFSETS[r] + SIZES[r] > data.length) {
                break;
            }
            byte[] value = new byte[SIZES[r]];
            System.arraycopy(data, OFFSETS[r], value, 0, SIZES[r]);
            write(regs, r, value);
        }
    }

    public static byte[] read(RegisterFile regs, int r) {
        if (r < 0 || r >= COUNT) {
            throw new IllegalArgumentException("no register " + r);
        }
        if (r < 16) {
            return le(regs.general[r], 8);
        }
        if (r == 16) {
            return le(regs.rip, 8);
        }
        if (r == 17) {
            return le(regs.eflags, 4);
        }
        if (r <= 23) {
            return le(regs.segments[r - 18], 4);
        }
        if (r <= 31) {
            return regs.st[r - 24].clone();
        }
        if (r <= 39) {
            return le(regs.x87Control[r - 32], 4);
        }
        if (r <= 55) {
            return regs.xmm[r - 40].clone();
        }
        return switch (r) {
            case 56 -> le(regs.mxcsr, 4);
            case 57 -> le(regs.origRax, 8);
            case 58 -> le(regs.fsBase, 8);
            case 59 -> le(regs.gsBase, 8);
            default -> regs.ymmHigh[r - 60].clone();
        };
    }

    public static void write(RegisterFile regs, int r, byte[] value) {
        if (r < 0 || r >= COUNT) {
            throw new IllegalArgumentException("no register " + r);
        }
        if (value.length != SIZES[r]) {
            throw new IllegalArgumentException(
                    "register " + NAMES[r] + " takes " + SIZES[r] + " bytes, not " + value.length);
        }
        long v = value.length <= 8 ? fromLe(value) : 0;
        if (r < 16) {
            regs.general[r] = v;
        } else if (r == 16) {
            regs.rip = v;
        } else if (r == 17) {
            regs.eflags = v;
        } else if (r <= 23) {
            regs.segments[r - 18] = v;
        } else if (r <= 31) {
            regs.st[r - 24] = value.clone();
        } else if (r <= 39) {
            regs.x87Control[r - 32] = v;
        } else if (r <= 55) {
            regs.xmm[r - 40] = value.clone();
        } else if (r == 56) {
            regs.mxcsr = v;
        } else if (r == 57) {
            regs.origRax = v;
        } else if (r == 58) {
            regs.fsBase = v;
        } else if (r == 59) {
            regs.gsBase = v;
        } else {
            regs.ymmHigh[r - 60] = value.clone();
        }
    }

    static byte[] le(long value, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        return b;
    }

    static long fromLe(byte[] b) {
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }
}
