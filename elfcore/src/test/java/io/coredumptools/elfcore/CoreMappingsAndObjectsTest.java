package io.coredumptools.elfcore;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NT_FILE mappings against gdb's {@code info proc mappings} (which lists NT_FILE on a core; Debian 12's
 * readelf cannot decode 64-bit NT_FILE notes: "Cannot decode 64-bit note in 32-bit build"), the link_map
 * list against gdb's {@code info sharedlibrary}.
 */
class CoreMappingsAndObjectsTest {
    private static final Pattern GDB_MAPPING = Pattern.compile(
            "^\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+0x[0-9a-f]+\\s+0x([0-9a-f]+)\\s+(/.*)$", Pattern.MULTILINE);

    @ParameterizedTest
    @EnumSource(names = {"DEMO_PIE", "DEMO_NO_PIE", "DEMO_STATIC", "DEMO_GCORE"})
    void mappingsEqualTheNtFileListGdbReads(Fixture fixture) throws Exception {
        CoreFixture f = Fixtures.get(fixture);
        List<FileMapping> expected = new ArrayList<>();
        Matcher m = GDB_MAPPING.matcher(f.gdb("info proc mappings"));
        while (m.find()) {
            expected.add(new FileMapping(
                    Long.parseUnsignedLong(m.group(1), 16),
                    Long.parseUnsignedLong(m.group(2), 16),
                    Long.parseUnsignedLong(m.group(3), 16),
                    m.group(4).trim()));
        }
        assertThat(expected).isNotEmpty();
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            assertThat(core.fileMappings()).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"DEMO_PIE", "DEMO_NO_PIE", "DEMO_LAZY", "DEMO_GCORE"})
    void loadedObjectsEqualGdbsSharedLibraries(Fixture fixture) throws Exception {
        CoreFixture f = Fixtures.get(fixture);
        Map<String, Long> gdb = GdbOutput.sharedLibraries(f.gdb("info sharedlibrary"));
        assertThat(gdb).containsKeys("/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6");
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            assertThat(core.loadedObjectsProblem()).isEmpty();
            List<LoadedObject> objects = core.loadedObjects();
            assertThat(objects.get(0).name())
                    .as("the main program comes first, unnamed")
                    .isEmpty();
            List<String> libraries = objects.stream()
                    .map(LoadedObject::name)
                    .filter(n -> n.startsWith("/"))
                    .toList();
            assertThat(libraries).containsExactlyElementsOf(gdb.keySet());
            for (LoadedObject object : objects) {
                if (gdb.containsKey(object.name())) {
                    assertThat(object.loadBias() + textAddress(Path.of(object.name())))
                            .as("start of .text of %s", object.name())
                            .isEqualTo(gdb.get(object.name()));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"DEMO_STATIC"})
    void staticExecutableHasNoLoadedObjectsAndSaysWhy(Fixture fixture) throws Exception {
        try (CoreDump core = CoreDump.open(Fixtures.get(fixture).core(), CoreOptions.defaults())) {
            assertThat(core.loadedObjects()).isEmpty();
            assertThat(core.loadedObjectsProblem()).get().asString().contains("static executable");
            assertThat(core.threads()).hasSize(2);
        }
    }

    private static long textAddress(Path file) throws CoreFormatException {
        try (ElfFile elf = ElfFile.open(file)) {
            return elf.section(".text").orElseThrow().address();
        }
    }
}
