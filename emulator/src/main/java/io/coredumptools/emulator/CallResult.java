package io.coredumptools.emulator;

import java.nio.charset.StandardCharsets;

/**
 * What a call returned.
 *
 * @param rax          the integer/pointer result
 * @param xmm0         the low 8 bytes of XMM0: the double result
 * @param output       what the call wrote to fd 1 and 2
 * @param instructions instructions run (counted only when tracing or under an instruction budget; else -1)
 * @param nanos        wall time of the emulation
 * @param value        the result as the call's return type says, in its memory representation: gathered from
 *     rax, rdx, xmm0, xmm1, st0 and st1 (a {@code long double} as its 10 x87 bytes, then 6 zero bytes) or read
 *     from the buffer of a result returned in memory; empty for {@code void}
 */
public record CallResult(long rax, double xmm0, byte[] output, long instructions, long nanos, byte[] value) {
    public int asInt() {
        return (int) rax;
    }

    public String outputText() {
        return new String(output, StandardCharsets.UTF_8);
    }

    /** The same result with {@code output} as what the call printed. */
    public CallResult withOutput(byte[] output) {
        return new CallResult(rax, xmm0, output, instructions, nanos, value);
    }
}
