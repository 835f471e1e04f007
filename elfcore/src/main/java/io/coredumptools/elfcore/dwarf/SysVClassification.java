package io.coredumptools.elfcore.dwarf;

import java.util.List;

/**
 * The psABI classification of one value: one class per eightbyte, in order. A value that goes to memory as a
 * whole is {@code [MEMORY]}, a {@code complex long double} {@code [COMPLEX_X87]}; a value of size 0 (an empty
 * struct, a gcc extension in C) has no eightbytes and travels nowhere.
 */
public record SysVClassification(List<ArgumentClass> eightbytes) {
    public static final SysVClassification MEMORY = new SysVClassification(List.of(ArgumentClass.MEMORY));

    public SysVClassification {
        eightbytes = List.copyOf(eightbytes);
    }

    public boolean isMemory() {
        return eightbytes.equals(List.of(ArgumentClass.MEMORY));
    }

    /** Passed on the stack as an argument: MEMORY, X87 and COMPLEX_X87 values are. */
    public boolean isPassedInMemory() {
        return eightbytes.contains(ArgumentClass.MEMORY)
                || eightbytes.contains(ArgumentClass.X87)
                || eightbytes.contains(ArgumentClass.COMPLEX_X87);
    }

    /** How many general-purpose registers the value needs when passed in registers. */
    public int integerRegisters() {
        return (int) eightbytes.stream().filter(c -> c == ArgumentClass.INTEGER).count();
    }

    /** How many vector registers the value needs when passed in registers. */
    public int vectorRegisters() {
        return (int) eightbytes.stream().filter(c -> c == ArgumentClass.SSE).count();
    }
}
