package io.coredumptools.emulator.disasm;

/** One decoded instruction. */
public record Instruction(long address, int size, String mnemonic, String operands) {
    public boolean isCall() {
        return mnemonic.startsWith("call");
    }

    public boolean isReturn() {
        return mnemonic.startsWith("ret");
    }

    /** {@code mov rax, qword ptr [rip + 0x10]}. */
    public String text() {
        return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
    }
}
