package io.coredumptools.elfcore;

import java.util.Optional;

/**
 * One thread of the core, from its NT_PRSTATUS note and the NT_FPREGSET / NT_X86_XSTATE notes that follow it.
 *
 * @param signal     the signal the kernel recorded for this thread (pr_cursig)
 * @param fpRegisters the FXSAVE area, when the core has it
 * @param xstate      the raw XSAVE area (AVX upper halves, AVX-512, ...), when the core has it
 */
public record ThreadState(
        int tid, int signal, GeneralRegisters registers, Optional<FpRegisters> fpRegisters, Optional<byte[]> xstate) {}
