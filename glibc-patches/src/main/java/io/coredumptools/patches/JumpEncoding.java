package io.coredumptools.patches;

/** The x86-64 jumps written at a redirected function's entry. */
public final class JumpEncoding {
    /** {@code jmp rel32}: E9 and the displacement from the end of the instruction. */
    public static final int REL32_LENGTH = 5;
    /** {@code jmp qword [rip+0]} followed by the 8-byte target: FF 25 00000000, then the target. */
    public static final int ABSOLUTE_LENGTH = 14;

    private JumpEncoding() {}

    /** True when a {@code jmp rel32} at {@code from} reaches {@code to} (within ±2 GiB of the next instruction). */
    public static boolean fitsRel32(long from, long to) {
        long displacement = to - (from + REL32_LENGTH);
        return displacement == (int) displacement;
    }

    /** The shortest of the two jumps from {@code from} to {@code to}. */
    public static byte[] jump(long from, long to) {
        if (fitsRel32(from, to)) {
            byte[] b = new byte[REL32_LENGTH];
            b[0] = (byte) 0xe9;
            Bytes.putInt(b, 1, (int) (to - (from + REL32_LENGTH)));
            return b;
        }
        return absoluteJump(to);
    }

    /** {@code jmp qword [rip+0]; .quad to}: reaches anywhere, 14 bytes. */
    public static byte[] absoluteJump(long to) {
        byte[] b = new byte[ABSOLUTE_LENGTH];
        b[0] = (byte) 0xff;
        b[1] = 0x25;
        Bytes.putLong(b, 6, to);
        return b;
    }

    /** {@code mov dword [rdi], value; xor eax, eax; ret}: store to the first argument's lock word, return 0. */
    public static byte[] storeToFirstArgumentAndReturnZero(int value) {
        byte[] b = {(byte) 0xc7, 0x07, 0, 0, 0, 0, 0x31, (byte) 0xc0, (byte) 0xc3};
        Bytes.putInt(b, 2, value);
        return b;
    }

    /** {@code xor eax, eax; ret}: return 0. */
    public static byte[] returnZero() {
        return new byte[] {0x31, (byte) 0xc0, (byte) 0xc3};
    }
}
