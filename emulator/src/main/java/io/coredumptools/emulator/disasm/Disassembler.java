package io.coredumptools.emulator.disasm;

import capstone.Capstone;
import java.util.ArrayList;
import java.util.List;

/** x86-64 disassembly through Capstone (Debian's libcapstone4, which decodes EVEX too). Not thread-safe. */
public final class Disassembler implements AutoCloseable {
    private final Capstone capstone;

    public Disassembler() {
        try {
            capstone = new Capstone(Capstone.CS_ARCH_X86, Capstone.CS_MODE_64);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException(
                    "cannot load libcapstone (install Debian's libcapstone4: scripts/setup.sh): " + e.getMessage(), e);
        }
    }

    /** Decodes up to {@code max} instructions of {@code code}, which starts at {@code address}; stops at bad bytes. */
    public List<Instruction> disassemble(byte[] code, long address, int max) {
        Capstone.CsInsn[] decoded = capstone.disasm(code, address, max);
        List<Instruction> result = new ArrayList<>(decoded.length);
        for (Capstone.CsInsn insn : decoded) {
            result.add(new Instruction(insn.address, insn.size, insn.mnemonic, insn.opStr));
        }
        return result;
    }

    @Override
    public void close() {
        capstone.close();
    }
}
