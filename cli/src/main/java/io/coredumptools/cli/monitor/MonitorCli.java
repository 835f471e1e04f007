package io.coredumptools.cli.monitor;

import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.target.MonitorTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * corestub's {@code monitor} commands (gdb's {@code monitor CMD}, lldb's {@code process plugin packet monitor
 * CMD}), parsed by picocli: one class per command under {@link MonitorCommand}, the help generated from them.
 * Each line gets a fresh command tree bound to the session's {@link MonitorTarget}.
 */
public final class MonitorCli implements MonitorCommands {
    @Override
    public String execute(String line, MonitorTarget target) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        CommandLine cmd = new CommandLine(new MonitorCommand(target));
        cmd.setOut(out);
        cmd.setErr(out);
        cmd.setUsageHelpAutoWidth(false);
        cmd.setUsageHelpWidth(100);
        cmd.setParameterExceptionHandler((ParameterException e, String[] args) -> {
            boolean unknownCommand =
                    e instanceof CommandLine.UnmatchedArgumentException && e.getCommandLine() == cmd && args.length > 0;
            out.println("corestub: "
                    + (unknownCommand ? "unknown monitor command '" + args[0] + "'" : e.getMessage())
                    + " (try: monitor help)");
            return 2;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (!(e instanceof IllegalArgumentException)) {
                throw e;
            }
            out.println("corestub: " + e.getMessage());
            return 1;
        });
        String stripped = line.strip();
        cmd.execute(stripped.isEmpty() ? new String[] {"help"} : stripped.split("\\s+"));
        out.flush();
        return text.toString();
    }
}
