package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a call prints to stdout (a pipe or a file when the core was made, so fully buffered) reaches gdb's console
 * when the call returns, once per call that printed, and a call that printed nothing shows nothing: the server
 * flushes stdio only when stdout's buffer holds text of the calls.
 */
class GdbCallOutputTest {

    @Test
    void eachCallThatPrintsShowsItsTextOnceAndTheOthersNone() {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        try (CorestubServer server = CorestubServer.serve(f)) {
            GdbTranscript t = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .directory(f.directory())
                    .run(
                            "print say_hi()",
                            "print next_id()",
                            "monitor restore-mode session",
                            "print say_hi()",
                            "print next_id()",
                            "print say_hi()");
            String all = t.describe() + "\n" + server.describe();
            assertThat(t.value(0)).as(all).isEqualTo("7");
            assertThat(count("hi from demo", t.section(0))).as(all).isEqualTo(1);
            assertThat(t.value(1)).as(all).isEqualTo("43");
            assertThat(t.section(1)).as(all).doesNotContain("hi from demo");
            // Without restores the buffer carries over between calls: each call's text still shows once.
            assertThat(count("hi from demo", t.section(3))).as(all).isEqualTo(1);
            assertThat(t.section(4)).as(all).doesNotContain("hi from demo");
            assertThat(count("hi from demo", t.section(5))).as(all).isEqualTo(1);
        }
    }

    private static int count(String text, String in) {
        Matcher m = Pattern.compile(Pattern.quote(text)).matcher(in);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
