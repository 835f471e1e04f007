package io.coredumptools.emulator.unicorn;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.List;

/**
 * A fixed list of 64-bit registers read or written together with one {@code uc_reg_read_batch} call.
 * The native id and value arrays are allocated once here and reused for every call.
 */
public final class RegisterBatch {
    private final List<X86Register> registers;
    private final Memory ids;
    private final Memory values;
    private final Memory valuePointers;

    public RegisterBatch(List<X86Register> registers) {
        for (X86Register register : registers) {
            if (register.width() != 8) {
                throw new IllegalArgumentException(
                        register + " is " + register.width() + " bytes wide; a batch holds 64-bit registers");
            }
        }
        this.registers = List.copyOf(registers);
        int n = registers.size();
        this.ids = new Memory(4L * n);
        this.values = new Memory(8L * n);
        this.valuePointers = new Memory(8L * n);
        for (int i = 0; i < n; i++) {
            ids.setInt(4L * i, registers.get(i).id());
            valuePointers.setPointer(8L * i, values.share(8L * i));
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

    void copyOut(long[] destination) {
        values.read(0, destination, 0, registers.size());
    }

    void copyIn(long[] source) {
        if (source.length < registers.size()) {
            throw new IllegalArgumentException("need " + registers.size() + " values, got " + source.length);
        }
        values.write(0, source, 0, registers.size());
    }
}
