package io.coredumptools.rsp.handlers;

/**
 * The little JSON lldb's {@code jThreadsInfo} needs (objects, arrays, strings, integers), written straight into a
 * StringBuilder: a JSON library would load hundreds of classes before the first reply, for one packet only
 * lldb sends. Commas are placed by the writer; strings are escaped as RFC 8259 requires.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** Whether the current object or array already has a member (a comma goes before the next). */
    private boolean[] hasMember = new boolean[8];

    private int depth;

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    /** {@code "name":} of the next value in an object. */
    JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        hasMember[depth] = false; // the value follows without a comma
        return this;
    }

    JsonWriter value(String value) {
        separate();
        string(value);
        return this;
    }

    JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter open(char bracket) {
        separate();
        out.append(bracket);
        depth++;
        if (depth == hasMember.length) {
            hasMember = java.util.Arrays.copyOf(hasMember, depth * 2);
        }
        hasMember[depth] = false;
        return this;
    }

    private JsonWriter close(char bracket) {
        out.append(bracket);
        depth--;
        hasMember[depth] = true;
        return this;
    }

    private void separate() {
        if (hasMember[depth]) {
            out.append(',');
        }
        hasMember[depth] = true;
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
