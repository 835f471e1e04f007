package io.coredumptools.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One {@code --map OLD=NEW} rule: a recorded path equal to {@code OLD}, or under it, is looked up at {@code NEW}
 * (a local path or a URL) with the rest of the path appended. {@code --map /usr/lib=s3://b/libs} sends
 * {@code /usr/lib/x/libc.so.6} to {@code s3://b/libs/x/libc.so.6}.
 */
public record PathMapping(String from, String to) {

    public PathMapping {
        if (!from.startsWith("/")) {
            throw new IllegalArgumentException("--map " + from + "=…: the recorded path must be absolute");
        }
        while (from.length() > 1 && from.endsWith("/")) from = from.substring(0, from.length() - 1);
    }

    /** Parses {@code OLD=NEW}. */
    public static PathMapping parse(String rule) {
        int eq = rule.indexOf('=');
        if (eq <= 0 || eq == rule.length() - 1) {
            throw new IllegalArgumentException(
                    "--map expects OLD=NEW (e.g. /usr/lib=s3://bucket/libs), got '" + rule + "'");
        }
        return new PathMapping(rule.substring(0, eq), rule.substring(eq + 1));
    }

    /** Parses every rule, most specific (longest {@code OLD}) first; equal lengths keep their order. */
    static List<PathMapping> parseAll(List<String> rules) {
        List<PathMapping> mappings = new ArrayList<>();
        for (String rule : rules) mappings.add(parse(rule));
        mappings.sort(
                Comparator.comparingInt((PathMapping m) -> m.from().length()).reversed());
        return mappings;
    }

    /** Where {@code recordedPath} is under this rule, or null when the rule does not apply. */
    Location apply(String recordedPath) throws StorageException {
        if (recordedPath.equals(from)) return Location.parse(to);
        String prefix = from.equals("/") ? "/" : from + "/";
        if (!recordedPath.startsWith(prefix)) return null;
        return Location.parse(to).child(recordedPath.substring(prefix.length()));
    }
}
