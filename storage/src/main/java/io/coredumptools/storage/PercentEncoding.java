package io.coredumptools.storage;

import java.nio.charset.StandardCharsets;

/** RFC 3986 percent-encoding of one URL path segment (recorded file names may hold spaces, '#', '?', '%'). */
final class PercentEncoding {
    private PercentEncoding() {}

    static String pathSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c) || c == '+' || c == ',' || c == ';' || c == '=' || c == '@' || c == ':') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }
}
