package io.coredumptools.rsp.wire;

/** The 0x03 byte a client sends outside packets to stop a running target (Ctrl-C). */
public enum Interrupt {
    INSTANCE
}
