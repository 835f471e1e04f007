package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * corestub's logging set up in code: what logback.xml did (stderr only, WARN by default or corestub.log.level, the
 * same line format, no logback status lines). These tests run with cli's logback-test.xml on the class path, which
 * the configurator leaves to logback's XML configurator: each test configures a context of its own with the
 * test-config check skipped.
 */
class LoggingConfiguratorTest {
    /** The lines a fresh context configured by {@link LoggingConfigurator} writes to stderr and stdout. */
    private static List<List<String>> logged(String levelProperty, Runnable logging) {
        String before = System.getProperty(LoggingConfigurator.LEVEL_PROPERTY);
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            if (levelProperty != null) {
                System.setProperty(LoggingConfigurator.LEVEL_PROPERTY, levelProperty);
            } else {
                System.clearProperty(LoggingConfigurator.LEVEL_PROPERTY);
            }
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            LoggingConfigurator configurator = new LoggingConfigurator();
            configurator.setContext(context);
            assertThat(configurator.configureIgnoringTestConfig(context))
                    .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            CURRENT.set(context);
            logging.run();
        } finally {
            CURRENT.remove();
            context.stop();
            System.setErr(err);
            System.setOut(out);
            if (before != null) {
                System.setProperty(LoggingConfigurator.LEVEL_PROPERTY, before);
            } else {
                System.clearProperty(LoggingConfigurator.LEVEL_PROPERTY);
            }
        }
        return List.of(
                errBytes.toString(StandardCharsets.UTF_8).lines().toList(),
                outBytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private static final ThreadLocal<LoggerContext> CURRENT = new ThreadLocal<>();

    private static org.slf4j.Logger logger(String name) {
        return CURRENT.get().getLogger(name);
    }

    @Test
    void warnAndAboveGoToStderrInLogbackXmlsFormatAndNothingToStdout() {
        List<List<String>> lines = logged(null, () -> {
            org.slf4j.Logger log = logger("io.coredumptools.rsp.server.Session");
            log.info("not shown");
            log.warn("shown {}", 1);
            log.error("also shown");
        });
        String thread = Thread.currentThread().getName();
        assertThat(lines.get(0)).hasSize(2);
        assertThat(lines.get(0).get(0))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[" + java.util.regex.Pattern.quote(thread)
                        + "\\] i\\.c\\.rsp\\.server\\.Session - shown 1");
        assertThat(lines.get(0).get(1)).endsWith(" ERROR [" + thread + "] i.c.rsp.server.Session - also shown");
        assertThat(lines.get(1)).as("stdout").isEmpty();
    }

    @Test
    void theLevelPropertySetsTheRootLevel() {
        List<List<String>> lines = logged("DEBUG", () -> {
            org.slf4j.Logger log = logger("x");
            log.trace("not shown");
            log.debug("debug line");
        });
        assertThat(lines.get(0))
                .singleElement()
                .asString()
                .endsWith(" DEBUG [" + Thread.currentThread().getName() + "] x - debug line");
    }

    @Test
    void logbackFindsItAsAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LoggingConfigurator.class);
    }

    @Test
    void aTestConfigOnTheClassPathIsLeftToLogbacksXmlConfigurator() {
        LoggerContext context = new LoggerContext();
        LoggingConfigurator configurator = new LoggingConfigurator();
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                        .iteratorForAppenders()
                        .hasNext())
                .isFalse();
    }
}
