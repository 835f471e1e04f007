package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The packaged server's transport as users get it: Netty's native epoll where its library loads (the jar of it is
 * in the launcher's lib/), NIO when native transports are turned off; gdb's session is the same on either.
 */
class GdbTransportTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void servesOnNativeEpoll() {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        try (CorestubServer server = CorestubServer.serve(f, "-vv")) {
            assertSession(f, server);
            assertThat(server.output()).contains("transport: epoll (native)");
        }
    }

    @Test
    void fallsBackToNioWhenNativeTransportsAreOff() {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        List<String> args = List.of(
                "serve",
                "--listen",
                "127.0.0.1:0",
                f.core().toString(),
                "--exe",
                f.program().toString(),
                "-vv");
        try (CorestubServer server =
                CorestubServer.start(args, Map.of("JAVA_TOOL_OPTIONS", "-Dio.netty.transport.noNative=true"))) {
            assertSession(f, server);
            assertThat(server.output()).contains("transport: nio (epoll unavailable: ");
        }
    }

    private static void assertSession(CoreFixture f, CorestubServer server) {
        GdbTranscript t = GdbProcess.connectedTo(server)
                .program(f.program())
                .directory(f.directory())
                .run("bt", "print next_id()", "print (int)strlen(greet(\"bob\"))", "x/2gx $sp");
        String all = t.describe() + "\n" + server.describe();
        assertThat(t.section(0)).as(all).contains(" main ");
        assertThat(t.value(1)).as(all).isEqualTo("43");
        assertThat(t.value(2)).as(all).isEqualTo("11");
        assertThat(t.section(3)).as(all).containsPattern("0x[0-9a-f]+:\\s+0x[0-9a-f]+\\s+0x[0-9a-f]+");
    }
}
