package io.coredumptools.elfcore.dwarf;

import java.util.List;
import java.util.OptionalLong;

/**
 * Where one argument goes: in registers (its pieces), or on the stack at {@code stackOffset} bytes above the
 * stack pointer at the call instruction (so at {@code rsp + 8 + stackOffset} on entry to the callee), or, for
 * a C++ value passed by invisible reference, as a pointer to a copy the caller makes (the pointer then takes
 * the register or stack slot). A value of size 0 goes nowhere.
 */
public record ArgumentLocation(
        CType type,
        SysVClassification classification,
        List<RegisterPiece> registers,
        OptionalLong stackOffset,
        boolean byReference) {

    public ArgumentLocation {
        registers = List.copyOf(registers);
    }

    public boolean onStack() {
        return stackOffset.isPresent();
    }
}
