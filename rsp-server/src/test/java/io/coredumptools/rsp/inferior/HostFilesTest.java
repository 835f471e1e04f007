package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.InitialStack;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.rsp.target.HostIoTarget;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What vFile may serve of the files a core names: regular ELF files outside /proc, /sys and /dev. */
class HostFilesTest {
    private static final Path LIBC = Paths.get("/lib/x86_64-linux-gnu/libc.so.6");

    @Test
    void servesRegularElfFiles(@TempDir Path dir) throws Exception {
        assertThat(HostFiles.servable(LIBC)).isTrue();
        Path copy = Files.copy(LIBC, dir.resolve("libc-copy.so"));
        assertThat(HostFiles.servable(copy)).isTrue();
        Path link = Files.createSymbolicLink(dir.resolve("libc-link.so"), LIBC);
        assertThat(HostFiles.servable(link)).isTrue();
    }

    @Test
    void refusesPseudoFilesNonElfFilesAndDirectories(@TempDir Path dir) throws Exception {
        assertThat(HostFiles.servable(Paths.get("/proc/self/environ"))).isFalse();
        assertThat(HostFiles.servable(Paths.get("/proc/self/maps"))).isFalse();
        assertThat(HostFiles.servable(Paths.get("/dev/zero"))).isFalse();
        assertThat(HostFiles.servable(Paths.get("/etc/passwd"))).isFalse(); // regular, not ELF
        assertThat(HostFiles.servable(Paths.get("/lib/x86_64-linux-gnu"))).isFalse(); // a directory
        assertThat(HostFiles.servable(dir)).isFalse();
        assertThat(HostFiles.servable(dir.resolve("missing.so"))).isFalse();
        // a link does not make a pseudo file or a non-ELF file servable
        assertThat(HostFiles.servable(
                        Files.createSymbolicLink(dir.resolve("environ.so"), Paths.get("/proc/self/environ"))))
                .isFalse();
        assertThat(HostFiles.servable(Files.createSymbolicLink(dir.resolve("passwd.so"), Paths.get("/etc/passwd"))))
                .isFalse();
        // nor does a path with .. segments
        assertThat(HostFiles.servable(Paths.get("/lib/x86_64-linux-gnu/../../etc/passwd")))
                .isFalse();
        // ELF's magic alone is not an ELF file
        Path fake = dir.resolve("fake.so");
        Files.write(fake, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        assertThat(HostFiles.servable(fake)).isFalse();
    }

    /** issue 11, item 7: a served file replaced by a symlink to another file after start-up is not what is read. */
    @Test
    void aFileReplacedAfterLoadIsServedAsItWasOpened(@TempDir Path dir) throws Exception {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        Path exe = Files.copy(demo.program(), dir.resolve("demo"));
        try (LoadedCore core = LoadedCore.open(
                demo.core(),
                EmulatorOptions.defaults().withCore(CoreOptions.defaults().withExecutable(exe)))) {
            String recorded = core.executablePath().orElseThrow();
            Path text = Files.writeString(dir.resolve("secret.txt"), "not for clients");
            Files.delete(exe);
            Files.createSymbolicLink(exe, text);
            HostIoTarget.ServedFile file = core.hostFiles().open(recorded).orElseThrow();
            assertThat(file.read(0, 4)).containsExactly(0x7f, 'E', 'L', 'F');
            assertThat(file.size()).isEqualTo(Files.size(demo.program()));
        }
    }

    /** issue 11, item 8: the task maps of threads the core does not have are not there. */
    @Test
    void taskMapsOnlyForTheCoresThreads() throws Exception {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        try (LoadedCore core = LoadedCore.open(demo.core(), EmulatorOptions.defaults())) {
            HostFiles files = core.hostFiles();
            String task = "/proc/" + core.pid() + "/task/";
            for (var thread : core.threads()) {
                assertThat(files.open(task + thread.tid() + "/maps")).isPresent();
            }
            assertThat(files.open("/proc/" + core.pid() + "/maps")).isPresent();
            assertThat(files.open(task + "999999/maps")).isEmpty();
            assertThat(files.open(task + "0/maps")).isEmpty();
            assertThat(files.open(task + core.threads().get(0).tid() + "/../../maps"))
                    .isEmpty();
        }
    }

    /** issue 9: cmdline and environ come from the core's initial stack, the same bytes the kernel would serve. */
    @Test
    void cmdlineAndEnvironAreTheCoresArgvAndEnvp() throws Exception {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        try (LoadedCore core = LoadedCore.open(demo.core(), EmulatorOptions.defaults())) {
            HostFiles files = core.hostFiles();
            String proc = "/proc/" + core.pid() + "/";
            HostIoTarget.ServedFile cmdline = files.open(proc + "cmdline").orElseThrow();
            String argv = new String(cmdline.read(0, (int) cmdline.size()), StandardCharsets.ISO_8859_1);
            assertThat(argv)
                    .as("NUL-terminated argv, the command NT_PRPSINFO recorded")
                    .isEqualTo(core.core().process().orElseThrow().commandLine().replace(' ', '\0') + "\0");
            HostIoTarget.ServedFile environ = files.open(proc + "environ").orElseThrow();
            List<String> env =
                    List.of(new String(environ.read(0, (int) environ.size()), StandardCharsets.ISO_8859_1).split("\0"));
            Map<String, String> initial = InitialStack.of(core.core()).environment();
            assertThat(initial).isNotEmpty();
            initial.forEach((k, v) -> assertThat(env).contains(k + "=" + v));
            assertThat(files.open(proc + "cwd")).as("not in a core").isEmpty();
            String stat = new String(files.open(proc + "stat").orElseThrow().read(0, 4096), StandardCharsets.UTF_8);
            assertThat(stat).startsWith(core.pid() + " (" + core.processName() + ") t ");
            assertThat(stat.strip().split(" ")).as("the kernel's 52 fields").hasSize(52);
        }
    }
}
