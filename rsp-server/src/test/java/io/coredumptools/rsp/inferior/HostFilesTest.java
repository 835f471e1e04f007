package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
}
