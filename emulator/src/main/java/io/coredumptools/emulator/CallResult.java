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
 */
public record CallResult(long rax, double xmm0, byte[] output, long instructions, long nanos) {
    public int asInt() {
        return (int) rax;
    }

    public String outputText() {
        return new String(output, StandardCharsets.UTF_8);
    }
}
