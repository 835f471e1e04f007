package io.coredumptools.elfcore;

/** A prefix rewrite from a path recorded in the core (OLD) to where the file is on this machine (NEW). */
public record PathMapping(String from, String to) {

    /** Parses {@code OLD=NEW}. */
    public static PathMapping parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("expected OLD=NEW, got '" + text + "'");
        }
        return new PathMapping(text.substring(0, eq), text.substring(eq + 1));
    }

    /** The rewritten path, or null when the path does not start with {@link #from}. */
    public String apply(String path) {
        if (!path.startsWith(from)) {
            return null;
        }
        return to + path.substring(from.length());
    }
}
