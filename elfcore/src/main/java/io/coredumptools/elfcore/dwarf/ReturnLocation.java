package io.coredumptools.elfcore.dwarf;

import java.util.List;

/**
 * Where a function's result comes back: in registers (rax, rdx, xmm0, xmm1, st0, st1), or, when {@code
 * inMemory}, in a buffer whose address the caller passes in rdi (taking the first integer argument register)
 * and the callee returns in rax. A void function has neither.
 */
public record ReturnLocation(
        CType type, SysVClassification classification, List<RegisterPiece> registers, boolean inMemory) {

    public ReturnLocation {
        registers = List.copyOf(registers);
    }
}
