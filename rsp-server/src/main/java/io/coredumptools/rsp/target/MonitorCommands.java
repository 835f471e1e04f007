package io.coredumptools.rsp.target;

/**
 * The {@code monitor} (qRcmd) command set a server offers: parses one command line and acts on the session's
 * {@link MonitorTarget}. The corestub application plugs in its picocli commands (with generated help); a
 * server made without them answers {@link #NONE}.
 */
@FunctionalInterface
public interface MonitorCommands {
    /** No commands: every line gets one sentence saying so. */
    MonitorCommands NONE = (line, target) -> "corestub: this server has no monitor commands\n";

    /**
     * Runs one command line; returns what the client's console shows (may be empty). Errors are part of the
     * text: nothing is thrown for a bad command.
     */
    String execute(String line, MonitorTarget target);
}
