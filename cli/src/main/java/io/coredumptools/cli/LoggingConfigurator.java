package io.coredumptools.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import org.slf4j.Logger;

/**
 * corestub's logging, set up in code (logback finds it through META-INF/services) instead of by logback's XML
 * configurator, whose 300 classes and an XML parser were a tenth of a cold {@code serve}'s start (issue 13). It logs
 * to stderr only (stdout is for reports and the protocol), quiet by default: WARN, or the level of the system property
 * {@code corestub.log.level}; -v raises it to INFO, -vv to DEBUG, -vvv to TRACE (see
 * {@link Corestub#configureLogging}). A {@code logback-test.xml} on the class path or a
 * {@code -Dlogback.configurationFile} is left to logback's own configurator, as before.
 */
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {
    /** What every line looks like: {@code 12:34:56.789 WARN  [main] i.c.rsp.server.Session - message}. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";

    static final String LEVEL_PROPERTY = "corestub.log.level";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LoggingConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        return configureIgnoringTestConfig(context);
    }

    /** {@link #configure} whatever configuration files there are (for the tests, which have one). */
    ExecutionStatus configureIgnoringTestConfig(LoggerContext context) {
        context.getStatusManager().add(new NopStatusListener());

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty(LEVEL_PROPERTY), Level.WARN));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
