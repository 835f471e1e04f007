package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.Hex;

/** qXfer read helpers: {@code annex:offset,length} and the {@code m}/{@code l} chunk replies. */
final class Xfer {
    private Xfer() {}

    /** The annex of {@code qXfer:object:read:annex:off,len} once the prefix up to the annex is cut. */
    record Read(String annex, long offset, int length) {}

    static Read parseRead(String rest) {
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("qXfer read without offset");
        }
        String annex = rest.substring(0, colon);
        String[] offLen = rest.substring(colon + 1).split(",");
        if (offLen.length != 2) {
            throw new IllegalArgumentException("qXfer read needs offset,length");
        }
        return new Read(annex, Hex.parseLong(offLen[0]), Hex.parseInt(offLen[1]));
    }

    static Reply chunk(byte[] document, long offset, int length) {
        if (offset < 0 || offset > document.length) {
            return Reply.error(0x01);
        }
        int n = (int) Math.min(length, document.length - offset);
        byte[] out = new byte[n + 1];
        out[0] = (byte) (offset + n < document.length ? 'm' : 'l');
        System.arraycopy(document, (int) offset, out, 1, n);
        return Reply.bytes(out);
    }
}
