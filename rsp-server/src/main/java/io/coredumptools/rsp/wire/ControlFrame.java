package io.coredumptools.rsp.wire;

/** The frames that carry no payload. */
public enum ControlFrame implements Frame {
    /** 0x03 outside a packet: stop the running target (Ctrl-C). */
    INTERRUPT,
    /** {@code +}: the client received our last frame. */
    ACK,
    /** {@code -}: the client wants our last frame again. */
    NAK,
    /** {@code $...#cs} whose checksum did not match. */
    BAD_CHECKSUM,
    /** A packet longer than the decoder's limit, discarded up to its end. */
    OVERLONG
}
