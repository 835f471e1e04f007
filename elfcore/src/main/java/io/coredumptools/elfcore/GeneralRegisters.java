package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** The general registers of one thread, in the kernel's {@code user_regs_struct} order (27 × 8 bytes). */
public record GeneralRegisters(
        long r15,
        long r14,
        long r13,
        long r12,
        long rbp,
        long rbx,
        long r11,
        long r10,
        long r9,
        long r8,
        long rax,
        long rcx,
        long rdx,
        long rsi,
        long rdi,
        long origRax,
        long rip,
        long cs,
        long eflags,
        long rsp,
        long ss,
        long fsBase,
        long gsBase,
        long ds,
        long es,
        long fs,
        long gs) {
    public static final int SIZE = 27 * 8;

    static GeneralRegisters read(ByteBuffer in) {
        long[] r = new long[27];
        for (int i = 0; i < r.length; i++) {
            r[i] = in.getLong();
        }
        return new GeneralRegisters(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15],
                r[16], r[17], r[18], r[19], r[20], r[21], r[22], r[23], r[24], r[25], r[26]);
    }

    /** The registers by gdb's names, in the order of gdb's {@code info registers}. */
    public Map<String, Long> byGdbName() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rax", rax);
        m.put("rbx", rbx);
        m.put("rcx", rcx);
        m.put("rdx", rdx);
        m.put("rsi", rsi);
        m.put("rdi", rdi);
        m.put("rbp", rbp);
        m.put("rsp", rsp);
        m.put("r8", r8);
        m.put("r9", r9);
        m.put("r10", r10);
        m.put("r11", r11);
        m.put("r12", r12);
        m.put("r13", r13);
        m.put("r14", r14);
        m.put("r15", r15);
        m.put("rip", rip);
        m.put("eflags", eflags);
        m.put("cs", cs);
        m.put("ss", ss);
        m.put("ds", ds);
        m.put("es", es);
        m.put("fs", fs);
        m.put("gs", gs);
        m.put("fs_base", fsBase);
        m.put("gs_base", gsBase);
        m.put("orig_rax", origRax);
        return m;
    }
}
