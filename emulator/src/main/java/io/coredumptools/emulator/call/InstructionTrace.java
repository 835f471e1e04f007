package io.coredumptools.emulator.call;

import io.coredumptools.emulator.disasm.Disassembler;
import io.coredumptools.emulator.disasm.Instruction;
import io.coredumptools.emulator.unicorn.Unicorn;
import java.util.ArrayList;
import java.util.List;

/**
 * The disassembly of every executed instruction, indented by call depth, up to a bound: the first
 * {@code limit} lines are kept and the rest only counted, so a runaway loop cannot exhaust memory.
 */
public final class InstructionTrace {
    private final Disassembler disassembler;
    private final Symbolizer symbolizer;
    private final int limit;
    private final List<String> lines = new ArrayList<>();
    private long executed;
    private int depth;
    private boolean paused;

    /** Housekeeping calls (the stdio flush after a call) are not part of what the user traced. */
    void setPaused(boolean pause) {
        paused = pause;
    }

    InstructionTrace(Disassembler disassembler, Symbolizer symbolizer, int limit) {
        this.disassembler = disassembler;
        this.symbolizer = symbolizer;
        this.limit = limit;
    }

    /** Starts the trace of a new call: only the latest call's instructions are kept. */
    void reset() {
        lines.clear();
        executed = 0;
        depth = 0;
    }

    void onInstruction(Unicorn uc, long address, int size) {
        if (paused) {
            return;
        }
        executed++;
        if (lines.size() >= limit) {
            return;
        }
        byte[] bytes = uc.readMemory(address, Math.max(1, Math.min(size, 15)));
        List<Instruction> decoded = disassembler.disassemble(bytes, address, 1);
        String text = decoded.isEmpty() ? "(bad)" : decoded.get(0).text();
        lines.add("  ".repeat(Math.max(0, depth)) + "0x" + Long.toHexString(address) + " <"
                + symbolizer.describe(address) + ">: " + text);
        if (!decoded.isEmpty() && decoded.get(0).isCall()) {
            depth++;
        } else if (!decoded.isEmpty() && decoded.get(0).isReturn()) {
            depth--;
        }
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public long executed() {
        return executed;
    }

    /** Instructions run but not kept: past the limit. */
    public long dropped() {
        return executed - lines.size();
    }
}
