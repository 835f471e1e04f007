package io.coredumptools.integration.differential;

import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged {@code corestub call CORE EXPR...} as a user runs it, one outcome per expression: its output line,
 * or, for the expression it stopped at or refused (exit code not 0), the first line of its error. After a failing
 * expression the others run in a new invocation, so one failure does not hide the rest.
 */
final class CorestubCall {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private CorestubCall() {}

    /** Expression to what corestub call printed for it. */
    static Map<String, String> outcomes(Path core, List<String> expressions) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(expressions);
        while (!pending.isEmpty()) {
            List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString(), "call", core.toString()));
            command.addAll(pending);
            CommandResult result = ExternalCommand.run(command, core.getParent(), TIMEOUT);
            List<String> lines = result.stdout().lines().toList();
            if (lines.size() > pending.size() || (result.succeeded() && lines.size() != pending.size())) {
                throw new AssertionError("corestub call printed " + lines.size() + " lines for " + pending.size()
                        + " expressions\n" + result.describe());
            }
            for (int i = 0; i < lines.size(); i++) {
                outcomes.put(pending.get(i), lines.get(i));
            }
            if (result.succeeded()) {
                break;
            }
            // Exit 1: the call after the printed ones stopped. Exit 2: an expression was refused before any ran;
            // the message names it.
            String error = result.stderr().lines().findFirst().orElse("(no message)");
            int failed = lines.size();
            for (int i = lines.size(); i < pending.size(); i++) {
                if (error.contains("'" + pending.get(i) + "'")) {
                    failed = i;
                    break;
                }
            }
            if (failed >= pending.size()) {
                throw new AssertionError("corestub call failed after every expression printed\n" + result.describe());
            }
            outcomes.put(pending.get(failed), "exit " + result.exitCode() + ": " + error);
            List<String> rest = new ArrayList<>(pending.subList(lines.size(), pending.size()));
            rest.remove(pending.get(failed));
            pending = rest;
        }
        Map<String, String> inOrder = new LinkedHashMap<>();
        expressions.forEach(e -> inOrder.put(e, outcomes.get(e)));
        return inOrder;
    }

    private static Path jar() {
        String property = System.getProperty("corestub.jar");
        if (property == null) {
            throw new IllegalStateException("system property corestub.jar is not set: run through Maven");
        }
        Path jar = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it first (mvn package)");
        }
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
