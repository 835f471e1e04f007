package io.coredumptools.elfcore.dwarf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.symbols.DebugFileLocator;
import io.coredumptools.elfcore.symbols.NativeTools;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.CoreFixtureExtension;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.FixtureOf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The DWARF of a stripped program comes from its separate debug file, found as gdb finds it. */
@ExtendWith(CoreFixtureExtension.class)
class DebugFileTest {

    @Test
    void aStrippedProgramsDwarfIsReadFromItsDebugLink(
            @FixtureOf(Fixture.SIGNATURES) CoreFixture signatures, @TempDir Path dir) throws Exception {
        Path program = dir.resolve("signatures");
        Files.copy(signatures.program(), program);
        NativeTools.run(dir, "objcopy", "--only-keep-debug", "signatures", "signatures.debug");
        NativeTools.run(dir, "strip", "--strip-debug", "signatures");
        NativeTools.run(dir, "objcopy", "--add-gnu-debuglink=signatures.debug", "signatures");

        List<String> problems = new ArrayList<>();
        Optional<DebugInfo> found = DebugInfo.forObject(program, DebugFileLocator.none(), problems);
        assertThat(found).isPresent();
        try (DebugInfo stripped = found.get();
                DebugInfo original = DebugInfo.open(signatures.program())) {
            assertThat(stripped.file()).isEqualTo(dir.resolve("signatures.debug"));
            for (String name : List.of("f_integers", "f_pointers", "f_big", "unit2_scale", "twin")) {
                assertThat(stripped.functions(name)).as(name).isEqualTo(original.functions(name));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aProgramWithoutDwarfHasNone(@FixtureOf(Fixture.SIGNATURES) CoreFixture signatures, @TempDir Path dir)
            throws Exception {
        Path program = dir.resolve("signatures");
        Files.copy(signatures.program(), program);
        NativeTools.run(dir, "strip", "--strip-debug", "signatures");
        assertThat(DebugInfo.forObject(program, DebugFileLocator.none(), new ArrayList<>()))
                .isEmpty();
        assertThatThrownBy(() -> DebugInfo.open(program))
                .isInstanceOf(DwarfFormatException.class)
                .hasMessageContaining("has no DWARF");
    }
}
