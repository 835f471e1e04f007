package io.coredumptools.rsp.wire;

/**
 * What the codec and the session share about one connection: whether {@code +}/{@code -} acknowledgments
 * are still in use (until {@code QStartNoAckMode}), and the last frame sent (resent on {@code -}).
 */
public final class WireState {
    private volatile boolean acks = true;
    private volatile byte[] lastFrame;

    public boolean acks() {
        return acks;
    }

    /** Called once the OK to {@code QStartNoAckMode} is on its way: later packets are neither acked nor expected to be. */
    public void disableAcks() {
        acks = false;
    }

    byte[] lastFrame() {
        return lastFrame;
    }

    void lastFrame(byte[] frame) {
        lastFrame = frame;
    }
}
