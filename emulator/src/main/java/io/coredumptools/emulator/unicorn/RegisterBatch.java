package io.coredumptools.emulator.unicorn;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.List;

/**
 * A fixed list of registers read or written together with one {@code uc_reg_read_batch} /
 * {@code uc_reg_write_batch} call. The native id and value arrays are allocated once here and reused for
 * every call. 64-bit registers are exchanged as {@code long}s ({@link #copyIn}, {@link #setLong}); wide ones
 * (XMM, ST) as bytes ({@link #setBytes}, {@link #getBytes}), each in a 16-byte slot.
 */
public final class RegisterBatch {
    private static final int SLOT = 16;

    private final List<X86Register> registers;
    private final Memory ids;
    private final Memory values;
    private final Memory valuePointers;

    public RegisterBatch(List<X86Register> registers) {
        this.registers = List.copyOf(registers);
        int n = registers.size();
        this.ids = new Memory(4L * n);
        this.values = new Memory((long) SLOT * n);
        this.valuePointers = new Memory(8L * n);
        values.clear();
        for (int i = 0; i < n; i++) {
            ids.setInt(4L * i, registers.get(i).id());
            valuePointers.setPointer(8L * i, values.share((long) SLOT * i));
        }
    }

    public List<X86Register> registers() {
        return registers;
    }

    int size() {
        return registers.size();
    }

    Pointer ids() {
        return ids;
    }

    Pointer valuePointers() {
        return valuePointers;
    }

    /** Copies the first {@code destination.length} (at most all) registers' 64-bit values out. */
    void copyOut(long[] destination) {
        for (int i = 0; i < Math.min(destination.length, registers.size()); i++) {
            destination[i] = getLong(i);
        }
    }

    void copyIn(long[] source) {
        if (source.length < registers.size()) {
            throw new IllegalArgumentException("need " + registers.size() + " values, got " + source.length);
        }
        for (int i = 0; i < registers.size(); i++) {
            setLong(i, source[i]);
        }
    }

    /**
     * The 64-bit value of entry {@code i} as unicorn last wrote it. Unicorn writes only a register's own width
     * (4 bytes of EFLAGS and MXCSR, 2 of FPCW): {@link #clearValues} before a read keeps the rest zero.
     */
    public long getLong(int i) {
        return values.getLong((long) SLOT * i);
    }

    public void setLong(int i, long value) {
        values.setLong((long) SLOT * i, value);
    }

    public byte[] getBytes(int i) {
        return values.getByteArray((long) SLOT * i, registers.get(i).width());
    }

    public void setBytes(int i, byte[] value) {
        int width = registers.get(i).width();
        if (value.length != width) {
            throw new IllegalArgumentException(registers.get(i) + " takes " + width + " bytes, got " + value.length);
        }
        values.write((long) SLOT * i, value, 0, width);
        if (width < SLOT) {
            values.setMemory((long) SLOT * i + width, SLOT - width, (byte) 0);
        }
    }

    /** Zeroes every slot, so that registers narrower than their slot read back zero-extended. */
    void clearValues() {
        values.clear();
    }
}
