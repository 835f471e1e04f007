package io.coredumptools.cli;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.UnusableCoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one line on stderr and an exit code: {@code corestub: <message>}.
 *
 * <ul>
 *   <li>{@link CoreFormatException}, {@link UnusableCoreException}, {@link UnusableInputException}: exit 2, the
 *       message names the file and the problem;</li>
 *   <li>an I/O error (the core or a file it refers to became unreadable while being read): exit 2;</li>
 *   <li>anything else is a bug: exit 1, with the exception's class, message and where it was thrown;</li>
 * </ul>
 * The stack trace follows only under {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    private final IntSupplier verbosity;

    ErrorHandler(IntSupplier verbosity) {
        this.verbosity = verbosity;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean verbose = verbosity.getAsInt() > 0;
        int code;
        if (ex instanceof CoreFormatException || ex instanceof UnusableInputException) {
            err.println("corestub: " + ex.getMessage());
            code = Corestub.EXIT_UNUSABLE_INPUT;
        } else if (ex instanceof UnusableCoreException unusable) {
            // A core that reads but that code cannot run on (found where the engine is built): the typed error.
            err.println("corestub: " + unusable.problem().getMessage());
            code = Corestub.EXIT_UNUSABLE_INPUT;
        } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
            Throwable io = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
            err.println("corestub: I/O error: " + describe(io).replaceFirst(" at .*$", ""));
            code = Corestub.EXIT_UNUSABLE_INPUT;
        } else {
            err.println("corestub: unexpected error: " + describe(ex)
                    + (verbose ? "" : " (run with --verbose for the stack trace)"));
            code = Corestub.EXIT_UNEXPECTED;
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Usage errors: {@code corestub: <message>} and a hint, exit 2. */
    static int handleParameterException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("corestub: " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** {@code UnsupportedOperationException at CoreDump.open(CoreDump.java:12)}, or with its message. */
    static String describe(Throwable ex) {
        StringBuilder s = new StringBuilder(ex.getClass().getSimpleName());
        if (ex.getMessage() != null && !ex.getMessage().isBlank()) {
            s.append(": ").append(ex.getMessage().strip().lines().findFirst().orElse(""));
        }
        StackTraceElement[] trace = ex.getStackTrace();
        if (trace.length > 0) {
            StackTraceElement top = trace[0];
            String cls = top.getClassName().substring(top.getClassName().lastIndexOf('.') + 1);
            s.append(" at ").append(cls).append('.').append(top.getMethodName());
            if (top.getFileName() != null && top.getLineNumber() > 0) {
                s.append('(')
                        .append(top.getFileName())
                        .append(':')
                        .append(top.getLineNumber())
                        .append(')');
            }
        }
        return s.toString();
    }
}
