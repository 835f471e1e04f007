import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Java API snippet is ReadmeExample.java, word for word (so it compiles as shown, imports included,
 * in the default package a reader's first try would use), and it prints what the README says it prints.
 */
class ReadmeJavaApiTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLE = Path.of("src", "test", "java", "ReadmeExample.java");

    /** The ```java block of the README's "## Java API" section. */
    private static String readmeSnippet() throws Exception {
        String readme = Files.readString(README);
        int section = readme.indexOf("\n## Java API");
        assertThat(section).as("a Java API section in %s", README).isPositive();
        int start = readme.indexOf("```java\n", section);
        int end = readme.indexOf("```\n", start + 8);
        assertThat(start).isPositive();
        return readme.substring(start + "```java\n".length(), end);
    }

    @Test
    void theReadmeSnippetIsTheExampleThatCompilesHere() throws Exception {
        assertThat(readmeSnippet()).isEqualTo(Files.readString(EXAMPLE));
    }

    @Test
    void theExamplePrintsWhatTheReadmeSays() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            ReadmeExample.main(
                    new String[] {Fixtures.get(Fixture.DEMO_PIE).core().toString()});
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(0, 4)).containsExactly("43", "hello, bob!", "4.5", "2222");
        assertThat(lines.get(4)).startsWith("SIGSEGV (11): read of unmapped memory at 0x0");
    }
}
