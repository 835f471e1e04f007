package io.coredumptools.integration.lldb;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One batch lldb-16 run and its output cut per command. The commands go through
 * {@code command source -e false FILE}, so that a failing command (a faulting {@code expr}) does not end the run;
 * for a launched program they run with {@code -k} (batch lldb skips {@code -o} commands once the process
 * crashed).
 *
 * <pre>
 * lldb-16 --batch -o 'settings set plugin.process.gdb-remote.packet-timeout 60' START... -o|-k 'command source -e false CMDS'
 * </pre>
 */
final class LldbRun {
    static final String LLDB = "lldb-16";
    static final Duration TIMEOUT = Duration.ofSeconds(240);

    /** The output of each command, in order; a command run twice gets {@code #2} appended. */
    private final Map<String, String> sections;

    private final String output;
    private final List<String> command;

    private LldbRun(List<String> command, String output) {
        this.command = command;
        this.output = output;
        this.sections = cut(output);
    }

    /** {@code gdb-remote ADDRESS} (no target create) then the commands. */
    static LldbRun remote(String address, Path directory, String... commands) {
        return run(directory, List.of("-o", "gdb-remote " + address), false, commands);
    }

    /** {@code lldb PROG} (target create), {@code gdb-remote ADDRESS}, then the commands. */
    static LldbRun remoteWithProgram(Path program, String address, Path directory, String... commands) {
        return run(directory, List.of(program.toString(), "-o", "gdb-remote " + address), false, commands);
    }

    /** {@code lldb PROG -c CORE} then the commands. */
    static LldbRun core(Path program, Path core, Path directory, String... commands) {
        return run(directory, List.of(program.toString(), "-c", core.toString()), false, commands);
    }

    /** {@code lldb PROG}, {@code process launch} (the demo aborts: lldb stops at SIGABRT), then the commands. */
    static LldbRun live(Path program, Path directory, String... commands) {
        return run(directory, List.of(program.toString(), "-o", "process launch"), true, commands);
    }

    private static LldbRun run(Path directory, List<String> start, boolean afterCrash, String... commands) {
        List<String> command = new ArrayList<>(List.of(
                LLDB,
                "--batch",
                "-o",
                "settings set plugin.process.gdb-remote.packet-timeout 60",
                "-o",
                "settings set use-color false"));
        command.addAll(start);
        try {
            Path script = Files.createTempFile("lldb-commands", ".txt");
            try {
                Files.write(script, List.of(commands), StandardCharsets.UTF_8);
                command.add(afterCrash ? "-k" : "-o");
                command.add("command source -e false " + script);
                if (afterCrash) {
                    command.add("-k");
                    command.add("process kill");
                }
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                builder.environment().put("LC_ALL", "C");
                builder.environment().remove("DEBUGINFOD_URLS");
                Path out = Files.createTempFile("lldb-output", ".txt");
                try {
                    builder.redirectOutput(out.toFile());
                    Process process = builder.start();
                    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                        throw new AssertionError("lldb did not finish within " + TIMEOUT.toSeconds() + " s: " + command
                                + "\n" + Files.readString(out));
                    }
                    return new LldbRun(command, Files.readString(out, StandardCharsets.UTF_8));
                } finally {
                    Files.deleteIfExists(out);
                }
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Map<String, String> cut(String output) {
        Map<String, String> sections = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("(lldb) ")) {
                if (current != null) {
                    put(sections, current, text.toString());
                }
                current = line.substring("(lldb) ".length()).strip();
                text.setLength(0);
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        if (current != null) {
            put(sections, current, text.toString());
        }
        return sections;
    }

    private static void put(Map<String, String> sections, String command, String text) {
        String key = command;
        for (int n = 2; sections.containsKey(key); n++) {
            key = command + " #" + n;
        }
        sections.put(key, text);
    }

    /** What {@code command} printed (its {@code n}-th run: {@code "expr next_id() #2"}). */
    String section(String command) {
        String text = sections.get(command);
        if (text == null) {
            throw new AssertionError("no output for '" + command + "'\n" + describe());
        }
        return text;
    }

    /** The value lldb printed for an expression: {@code (int) $0 = 43} gives {@code 43}. */
    String value(String command) {
        for (String line : section(command).split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\([^)]*\\) \\$\\d+ = (.*)$")
                    .matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no value for '" + command + "'\n" + describe());
    }

    String output() {
        return output;
    }

    String describe() {
        return "$ " + String.join(" ", command) + "\n" + output;
    }
}
