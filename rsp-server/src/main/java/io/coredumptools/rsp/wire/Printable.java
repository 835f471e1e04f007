package io.coredumptools.rsp.wire;

/** Packet bytes for logs: printable ASCII as is, the rest as {@code \xNN}, cut after a limit. */
public final class Printable {
    private Printable() {}

    public static String of(byte[] bytes, int limit) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(bytes.length, limit);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                s.append((char) b);
            } else {
                s.append(String.format("\\x%02x", b));
            }
        }
        if (bytes.length > limit) {
            s.append("...(").append(bytes.length).append(" bytes)");
        }
        return s.toString();
    }
}
