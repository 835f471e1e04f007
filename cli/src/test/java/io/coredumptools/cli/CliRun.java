package io.coredumptools.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of {@code corestub}: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Corestub.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The lines printed on stderr. */
    java.util.List<String> errLines() {
        return err.lines().toList();
    }
}
