package io.coredumptools.elfcore.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.PathMapping;
import io.coredumptools.elfcore.symbols.NativeTools;
import io.coredumptools.elfcore.symbols.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where recorded paths are looked for, in order, with real files; no core memory involved. */
class FileResolverTest {
    private static final String RECORDED = "/opt/app/prog";

    @TempDir
    static Path dir;

    private static Path program;
    private static Path other;

    @BeforeAll
    static void compile() throws Exception {
        program = TestPrograms.program(Files.createDirectories(dir.resolve("build")), "prog", TestPrograms.PROGRAM);
        other = TestPrograms.program(dir.resolve("build"), "other", TestPrograms.OTHER_PROGRAM);
    }

    private static Path copy(Path file, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        return Files.copy(file, target);
    }

    @Test
    void candidatesAreTriedInOrder(@TempDir Path root) throws Exception {
        Path sysroot = root.resolve("sysroot");
        Path exe = copy(other, root.resolve("exe/prog"));
        Path mapped = copy(program, root.resolve("mapped/prog"));
        Path underSysroot = copy(program, sysroot.resolve("opt/app/prog"));
        Files.createDirectories(root.resolve("empty"));
        CoreOptions options = CoreOptions.defaults()
                .withExecutable(exe)
                .withSysroot(sysroot)
                .withPathMappings(List.of(
                        new PathMapping("/elsewhere", root.toString()),
                        new PathMapping("/opt", root.resolve("empty").toString()),
                        new PathMapping("/opt/app", root.resolve("mapped").toString())));

        ResolvedFile asExecutable = new FileResolver(options, null).resolve(RECORDED, true, 0);
        assertThat(asExecutable.resolution()).isEqualTo(Resolution.EXECUTABLE_OPTION);
        assertThat(asExecutable.path()).contains(exe);

        // --exe is for the main executable only; the first mapping whose rewrite exists wins.
        ResolvedFile asLibrary = new FileResolver(options, null).resolve(RECORDED, false, 0);
        assertThat(asLibrary.resolution()).isEqualTo(Resolution.PATH_MAPPING);
        assertThat(asLibrary.path()).contains(mapped);

        Files.delete(mapped);
        ResolvedFile underRoot = new FileResolver(options, null).resolve(RECORDED, false, 0);
        assertThat(underRoot.resolution()).isEqualTo(Resolution.SYSROOT);
        assertThat(underRoot.path()).contains(underSysroot);
        assertThat(underRoot.fileBuildId()).contains(NativeTools.readelfBuildId(program));
        assertThat(underRoot.coreBuildId()).isEmpty();
        assertThat(underRoot.buildIdMismatch()).isFalse();
    }

    @Test
    void recordedPathItself() throws Exception {
        FileResolver resolver = new FileResolver(CoreOptions.defaults(), null);
        ResolvedFile libc = resolver.resolve(NativeTools.LIBC.toString(), false, 0);

        assertThat(libc.resolution()).isEqualTo(Resolution.AS_IS);
        assertThat(libc.path()).contains(NativeTools.LIBC);
        assertThat(libc.fileBuildId()).contains(NativeTools.readelfBuildId(NativeTools.LIBC));
        assertThat(resolver.resolve(NativeTools.LIBC.toString(), false, 0)).isSameAs(libc);
        assertThat(resolver.warnings()).isEmpty();
    }

    @Test
    void missingFileIsReportedWithWhatWasTried(@TempDir Path root) {
        FileResolver resolver = new FileResolver(CoreOptions.defaults().withSysroot(root), null);
        ResolvedFile missing = resolver.resolve("/no/such/lib.so", false, 0);

        assertThat(missing.isMissing()).isTrue();
        assertThat(missing.path()).isEmpty();
        assertThat(resolver.warnings())
                .singleElement()
                .asString()
                .contains("/no/such/lib.so")
                .contains("not found")
                .contains(root.resolve("no/such/lib.so").toString());
    }

    @Test
    void aFileThatIsNotElfIsUsedAsADataFileCheckedBySizeAndTime(@TempDir Path root) throws Exception {
        Path data = Files.writeString(root.resolve("LC_CTYPE"), "x".repeat(8192));
        Instant coreWritten = Instant.now().plusSeconds(60);
        FileResolver resolver = new FileResolver(CoreOptions.defaults(), null, Optional.of(coreWritten));
        ResolvedFile resolved = resolver.resolve(data.toString(), false, 0, 8192);
        assertThat(resolved.isMissing()).isFalse();
        assertThat(resolved.elf()).isFalse();
        assertThat(resolved.path()).contains(data);
        assertThat(resolver.warnings()).isEmpty();

        Path small = Files.writeString(root.resolve("gconv-modules.cache"), "short");
        FileResolver before = new FileResolver(CoreOptions.defaults(), null, Optional.of(Instant.EPOCH));
        ResolvedFile changed = before.resolve(small.toString(), false, 0, 4096);
        assertThat(changed.isMissing()).as("still used").isFalse();
        assertThat(before.warnings())
                .hasSize(2)
                .anyMatch(w -> w.contains("has 5 bytes but the process mapped it up to offset 4096"))
                .anyMatch(w -> w.contains("modified") && w.contains("after the core was written"));
    }

    @Test
    void aBrokenElfFileCountsAsMissing(@TempDir Path root) throws Exception {
        Path broken = Files.write(root.resolve("lib.so"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1});
        FileResolver resolver = new FileResolver(CoreOptions.defaults(), null);
        ResolvedFile resolved = resolver.resolve(broken.toString(), false, 0);
        assertThat(resolved.isMissing()).isTrue();
        assertThat(resolver.warnings()).singleElement().asString().contains(broken.toString());
    }

    @Test
    void directoriesAreNotCandidates(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("sysroot/opt/app/prog"));
        Path mapped = copy(program, root.resolve("real/prog"));
        CoreOptions options = CoreOptions.defaults()
                .withSysroot(root.resolve("sysroot"))
                .withPathMappings(List.of(
                        new PathMapping("/opt/app", root.resolve("nothing").toString())));
        // Neither the mapping (no file) nor the sysroot (a directory) gives a file: the path itself is tried last.
        assertThat(new FileResolver(options, null)
                        .resolve(mapped.toString(), false, 0)
                        .resolution())
                .isEqualTo(Resolution.AS_IS);
        assertThat(new FileResolver(options, null).resolve(RECORDED, false, 0).isMissing())
                .isTrue();
    }

    @Test
    void deletedFilesAreLookedForUnderTheirLiveName(@TempDir Path root) throws Exception {
        Path lib = copy(program, root.resolve("libx.so"));
        ResolvedFile resolved =
                new FileResolver(CoreOptions.defaults(), null).resolve(lib + FileResolver.DELETED_SUFFIX, false, 0);
        assertThat(resolved.resolution()).isEqualTo(Resolution.AS_IS);
        assertThat(resolved.path()).contains(lib);
        assertThat(resolved.recordedPath()).isEqualTo(lib + " (deleted)");
    }
}
