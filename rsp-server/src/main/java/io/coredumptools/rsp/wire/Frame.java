package io.coredumptools.rsp.wire;

/**
 * What the frame decoder finds in a client's byte stream: a {@link Packet} or a {@link ControlFrame} (the
 * interrupt byte, an ack, a nak, a packet whose checksum was wrong, a packet longer than the limit).
 */
public sealed interface Frame permits Packet, ControlFrame {}
