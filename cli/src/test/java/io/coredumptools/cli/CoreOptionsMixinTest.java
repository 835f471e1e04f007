package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.PathMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The shared core options build the {@link CoreOptions} elfcore expects. */
class CoreOptionsMixinTest {

    @TempDir
    Path dir;

    private InfoCommand parse(String... args) {
        CommandLine cmd = Corestub.commandLine();
        CommandLine.ParseResult result = cmd.parseArgs(args);
        return (InfoCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void noOptionsAreTheDefaults() throws Exception {
        InfoCommand info = parse("info", "core");
        assertThat(info.core).isEqualTo("core"); // a path or a URL: OpenedSource reads it
        assertThat(info.json).isFalse();
        assertThat(info.coreOptions.toCoreOptions()).isEqualTo(CoreOptions.defaults());
        assertThat(CoreOptions.defaults().systemDebugDir()).isEqualTo(Path.of("/usr/lib/debug"));
    }

    @Test
    void everyOptionReachesCoreOptions() throws Exception {
        Path exe = Files.createFile(dir.resolve("prog"));
        Path sysroot = Files.createDirectory(dir.resolve("root"));
        Path debug1 = Files.createDirectory(dir.resolve("d1"));
        Path debug2 = Files.createDirectory(dir.resolve("d2"));
        InfoCommand info = parse(
                "info",
                "--exe",
                exe.toString(),
                "--sysroot=" + sysroot,
                "--debug-dir",
                debug1.toString(),
                "--debug-dir",
                debug2.toString(),
                "--map",
                "/build/=/src/",
                "--map=/opt/app=" + dir,
                "--no-system-debug",
                "--json",
                "the-core");

        CoreOptions options = info.coreOptions.toCoreOptions();
        assertThat(options.executable()).isEqualTo(exe);
        assertThat(options.sysroot()).isEqualTo(sysroot);
        assertThat(options.debugDirs()).containsExactly(debug1, debug2);
        assertThat(options.pathMappings())
                .containsExactly(new PathMapping("/build/", "/src/"), new PathMapping("/opt/app", dir.toString()));
        assertThat(options.systemDebugDir()).isNull();
        assertThat(info.json).isTrue();
        assertThat(info.core).isEqualTo("the-core");
    }

    @Test
    void mapValueMayContainEqualsSignsAfterTheFirst() throws Exception {
        InfoCommand info = parse("info", "--map", "/a=/b=c", "core");
        assertThat(info.coreOptions.toCoreOptions().pathMappings()).containsExactly(new PathMapping("/a", "/b=c"));
    }

    @Test
    void systemDebugDirStaysWithoutTheFlag() throws IOException, UnusableInputException {
        InfoCommand info = parse("info", "core");
        assertThat(info.coreOptions.toCoreOptions().systemDebugDir()).isEqualTo(CoreOptions.SYSTEM_DEBUG_DIR);
    }
}
