package io.coredumptools.testkit;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Quotes a command line for display only. Commands are always started with an argument vector, never
 * through a shell; this just makes messages copy-pasteable.
 */
final class ShellQuoting {

    private static final Pattern NEEDS_NO_QUOTES = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");

    private ShellQuoting() {}

    static String join(List<String> arguments) {
        return arguments.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }

    static String quote(String argument) {
        if (NEEDS_NO_QUOTES.matcher(argument).matches()) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
