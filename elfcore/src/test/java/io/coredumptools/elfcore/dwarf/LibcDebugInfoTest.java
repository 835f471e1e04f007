package io.coredumptools.elfcore.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.elfcore.symbols.DebugFileLocator;
import io.coredumptools.elfcore.symbols.NativeTools;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.CoreFixtureExtension;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.FixtureOf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * glibc's functions from libc6-dbg's separate, compressed debug file (found by build-id), against gdb's
 * {@code whatis} on a core of a program that loaded that libc.
 */
@ExtendWith(CoreFixtureExtension.class)
class LibcDebugInfoTest {
    private static final Path SYSTEM_DEBUG_DIR = Path.of("/usr/lib/debug");
    /** Found by DW_AT_name: the name the C library declares them by. */
    private static final List<String> BY_NAME =
            List.of("strtod", "strtold", "qsort", "bsearch", "getenv", "abort", "div", "ldiv");
    /** Defined under other names (__printf, _IO_new_fopen, __sigaction): found by their ELF symbol's address. */
    private static final List<String> BY_SYMBOL = List.of(
            "printf", "fopen", "snprintf", "fprintf", "strtol", "fputs", "setvbuf", "sigaction", "nanosleep", "frexp");

    private static DebugInfo libc;
    private static final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void openLibc() throws Exception {
        DebugFileLocator locator = new DebugFileLocator(List.of(), SYSTEM_DEBUG_DIR);
        libc = DebugInfo.forObject(NativeTools.LIBC, locator, problems)
                .orElseThrow(() -> new AssertionError("libc's debug file is missing: scripts/setup.sh installs"
                        + " libc6-dbg (problems: " + problems + ")"));
    }

    @AfterAll
    static void close() {
        libc.close();
    }

    @Test
    void theDwarfComesFromTheCompressedDebugFile() throws Exception {
        assertThat(libc.file().toString()).startsWith(SYSTEM_DEBUG_DIR + "/.build-id/");
        try (ElfFile debug = ElfFile.open(libc.file())) {
            SectionHeader info = debug.section(".debug_info").orElseThrow();
            assertThat(info.flags() & 0x800).as("SHF_COMPRESSED").isNotZero();
        }
    }

    @Test
    void functionsFoundByNameAreWhatGdbSays(@FixtureOf(Fixture.DEMO_PIE) CoreFixture demo) throws Exception {
        List<String> expected = whatis(demo, BY_NAME);
        for (int i = 0; i < BY_NAME.size(); i++) {
            FunctionSignature f = libc.function(BY_NAME.get(i)).orElseThrow();
            assertThat(f.definition()).as(f.name()).isTrue();
            assertThat(f.typeName()).as(f.name()).isEqualTo(expected.get(i));
        }
    }

    @Test
    void functionsFoundByTheirSymbolAddressAreWhatGdbSays(@FixtureOf(Fixture.DEMO_PIE) CoreFixture demo)
            throws Exception {
        List<String> expected = whatis(demo, BY_SYMBOL);
        List<NativeTools.ReadelfSymbol> dynsym = NativeTools.readelfSymbols(NativeTools.LIBC, "--dyn-syms");
        for (int i = 0; i < BY_SYMBOL.size(); i++) {
            String name = BY_SYMBOL.get(i);
            long address = dynsym.stream()
                    .filter(s ->
                            s.name().equals(name + "@@GLIBC_2.2.5") && !s.ndx().equals("UND"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + " not in libc's .dynsym"))
                    .value();
            FunctionSignature f = libc.functionAt(address).orElseThrow(() -> new AssertionError(name));
            assertThat(f.entryAddress()).as(name).hasValue(address);
            assertThat(f.typeName()).as(name).isEqualTo(expected.get(i));
        }
    }

    @Test
    void printfIsVariadicAndStrtodReturnsADouble() throws Exception {
        FunctionSignature strtod = libc.function("strtod").orElseThrow();
        assertThat(strtod.returnType()).isEqualTo(new BaseType("double", BaseEncoding.FLOAT, 8));
        assertThat(strtod.parameters().stream().map(Parameter::name)).containsExactly("nptr", "endptr");
        FunctionSignature strtold = libc.function("strtold").orElseThrow();
        assertThat(((BaseType) strtold.returnType()).floatFormat()).isEqualTo(FloatFormat.X87_EXTENDED);
        assertThat(SysVCallLayout.of(strtold).returnValue().registers())
                .containsExactly(new RegisterPiece(SysVRegister.ST0, 0, 0, 10));
        FunctionSignature div = libc.function("div").orElseThrow();
        // div_t is two ints: returned in rax.
        assertThat(SysVCallLayout.of(div).returnValue().registers())
                .containsExactly(new RegisterPiece(SysVRegister.RAX, 0, 0, 8));
    }

    private static List<String> whatis(CoreFixture demo, List<String> names) {
        String output = demo.gdb(names.stream().map(n -> "whatis " + n).toArray(String[]::new));
        List<String> types = Arrays.stream(output.split("\n"))
                .filter(line -> line.startsWith("type = "))
                .map(line -> line.substring("type = ".length()))
                .toList();
        assertThat(types).as("gdb's answers to whatis " + names).hasSize(names.size());
        return types;
    }
}
