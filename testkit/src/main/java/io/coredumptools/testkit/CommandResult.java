package io.coredumptools.testkit;

import java.util.List;

/**
 * What an external command (gcc, gdb, the fixture program) did: its exit code and everything it printed.
 *
 * <p>For a process killed by a signal the exit code is 128 + the signal number, as the JDK reports it
 * (134 for SIGABRT).
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The command line, quoted so it can be pasted into a shell to reproduce a failure by hand. */
    public String commandLine() {
        return ShellQuoting.join(command);
    }

    /** A multi-line account of the run, for exception messages and build logs. */
    public String describe() {
        return "command: " + commandLine() + "\n"
                + "exit code: " + exitCode + "\n"
                + "stdout:\n" + stdout
                + (stdout.endsWith("\n") || stdout.isEmpty() ? "" : "\n")
                + "stderr:\n" + stderr;
    }
}
