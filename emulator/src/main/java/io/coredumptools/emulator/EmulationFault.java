package io.coredumptools.emulator;

import io.coredumptools.elfcore.GeneralRegisters;
import io.coredumptools.elfcore.abi.Signals;
import java.util.List;

/**
 * A call that did not return: what happened, where, and the state at that point.
 *
 * @param kind        what stopped it
 * @param address     the faulting data address (memory faults), or pc
 * @param pc          where the thread stopped
 * @param registers   the general registers at the fault
 * @param backtrace   symbolized frames, innermost first
 * @param disassembly instructions around pc, the faulting one marked with {@code =>}
 * @param detail      a sentence naming what to do or what was involved (the missing file, the syscall, the lock)
 * @param signal      the signal a live process would have stopped with (Linux numbering): the kind's, or for
 *                    {@link FaultKind#SIGNAL_RAISED} the one the code raised
 */
public record EmulationFault(
        FaultKind kind,
        long address,
        long pc,
        GeneralRegisters registers,
        List<StackFrame> backtrace,
        List<String> disassembly,
        String detail,
        int signal) {

    /** A fault with its kind's signal. */
    public EmulationFault(
            FaultKind kind,
            long address,
            long pc,
            GeneralRegisters registers,
            List<StackFrame> backtrace,
            List<String> disassembly,
            String detail) {
        this(kind, address, pc, registers, backtrace, disassembly, detail, kind.signal());
    }

    /** A multi-line report for people: headline, registers, backtrace and disassembly. */
    public String report() {
        StringBuilder s = new StringBuilder();
        s.append(headline()).append('\n');
        if (!detail.isEmpty()) {
            s.append(detail).append('\n');
        }
        s.append("backtrace:\n");
        backtrace.forEach(f -> s.append("  ").append(f).append('\n'));
        s.append("disassembly:\n");
        disassembly.forEach(line -> s.append("  ").append(line).append('\n'));
        s.append("registers:\n");
        int column = 0;
        for (var entry : registers.byGdbName().entrySet()) {
            s.append(String.format("  %-8s 0x%016x", entry.getKey(), entry.getValue()));
            if (++column % 3 == 0) {
                s.append('\n');
            }
        }
        if (column % 3 != 0) {
            s.append('\n');
        }
        return s.toString();
    }

    /** {@code SIGSEGV (11): read of unmapped memory at 0x0, pc 0x5555... in point_sum+0x4 (demo+0x1189)}. */
    public String headline() {
        String where = backtrace.isEmpty() ? "" : " in " + backtrace.get(0).location();
        return signalName(signal) + " (" + signal + "): " + kind.description() + " at 0x" + Long.toHexString(address)
                + ", pc 0x" + Long.toHexString(pc) + where;
    }

    private static String signalName(int signal) {
        return Signals.name(signal);
    }
}
