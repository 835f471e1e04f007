package io.coredumptools.elfcore;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.symbols.Symbol;
import io.coredumptools.elfcore.symbols.SymbolIndex;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Symbol addresses on real cores against gdb's {@code p &name} on the same core, with libc6-dbg's separate
 * debug files found and with the debug-file lookup pointed at an empty directory.
 *
 * <p>Where several objects define a name, gdb and the dynamic linker may disagree, and we follow the
 * dynamic linker (what a call runs): with debug info gdb prefers ld.so's private {@code strlen} (it has
 * DWARF), and without it gdb's {@code memcpy} is the old {@code memcpy@GLIBC_2.2.5}. Those cases are
 * checked against gdb too, by version or by asking gdb which symbol lies at our address.
 */
class CoreSymbolsTest {
    private static final String LIBC = "/lib/x86_64-linux-gnu/libc.so.6";
    private static final List<String> UNIQUE_NAMES = List.of(
            "next_id",
            "greet",
            "scale",
            "point_sum",
            "get_tls",
            "sum8",
            "spin_forever",
            "say_hi",
            "lock_and_get",
            "list_sum",
            "call_cbrt",
            "main",
            "counter",
            "gp",
            "list_head",
            "globals_marker",
            "malloc",
            "free",
            "abort",
            "puts",
            "printf",
            "cbrt");
    /** IFUNCs that ld.so also defines privately (gdb prefers those when they have debug info). */
    private static final List<String> LIBC_IFUNCS = List.of("strlen", "memset", "strchr", "memcmp", "strcmp");

    @TempDir
    Path emptyDebugDir;

    @ParameterizedTest
    @EnumSource(names = {"DEMO_PIE", "DEMO_NO_PIE"})
    void withoutDebugFilesDynamicSymbolsEqualGdbs(Fixture fixture) throws Exception {
        CoreFixture f = Fixtures.get(fixture);
        CoreOptions options = CoreOptions.defaults().withSystemDebugDir(null).withDebugDirs(List.of(emptyDebugDir));
        List<String> names = new ArrayList<>(UNIQUE_NAMES);
        names.addAll(LIBC_IFUNCS);
        names.add("memcpy");
        List<Long> gdb = gdbAddresses(f, emptyDebugDir, names);
        try (CoreDump core = CoreDump.open(f.core(), options)) {
            SymbolIndex symbols = core.symbols();
            for (int i = 0; i < names.size() - 1; i++) {
                assertThat(address(symbols, names.get(i)))
                        .as("&%s", names.get(i))
                        .isEqualTo(gdb.get(i));
            }
            for (String ifunc : LIBC_IFUNCS) {
                assertThat(symbols.lookup(ifunc).orElseThrow().isIfunc())
                        .as("%s is an IFUNC", ifunc)
                        .isTrue();
            }
            // gdb's plain memcpy is the compatibility version; the dynamic linker binds the default one.
            assertThat(address(symbols, "memcpy@GLIBC_2.2.5")).isEqualTo(gdb.get(names.size() - 1));
            Symbol memcpy = symbols.lookup("memcpy").orElseThrow();
            assertThat(memcpy.version()).isEqualTo("GLIBC_2.14");
            assertThat(memcpy.isIfunc()).isTrue();
            assertThat(symbols.lookup("__strlen_sse2"))
                    .as("a name only the debug file has")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"DEMO_PIE", "DEMO_NO_PIE"})
    void withDebugFilesSymbolsEqualGdbs(Fixture fixture) throws Exception {
        assertThat(Path.of("/usr/lib/debug/.build-id"))
                .as("libc6-dbg is installed")
                .isDirectory();
        CoreFixture f = Fixtures.get(fixture);
        List<String> names = new ArrayList<>(UNIQUE_NAMES);
        names.addAll(List.of(
                "__strlen_sse2",
                "__strlen_evex",
                "__memcpy_sse2_unaligned",
                "'memcpy@@GLIBC_2.14'",
                "'memcpy@GLIBC_2.2.5'"));
        List<Long> gdb = gdbAddresses(f, Path.of("/usr/lib/debug"), names);
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            SymbolIndex symbols = core.symbols();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i).replace("'", "");
                assertThat(address(symbols, name)).as("&%s", name).isEqualTo(gdb.get(i));
            }
            List<String> infoSymbol = new ArrayList<>();
            for (String ifunc : LIBC_IFUNCS) {
                infoSymbol.add("info symbol " + Hex.address(address(symbols, ifunc)));
            }
            String gdbSays = Gdb.withPreCommands("set debug-file-directory /usr/lib/debug")
                    .onCore(f.program(), f.core(), infoSymbol.toArray(String[]::new));
            for (String ifunc : LIBC_IFUNCS) {
                assertThat(gdbSays).contains(ifunc + " in section .text of " + LIBC);
            }
        }
    }

    private static long address(SymbolIndex symbols, String name) {
        return symbols.lookup(name).map(Symbol::address).orElseThrow(() -> new AssertionError("no symbol " + name));
    }

    private static List<Long> gdbAddresses(CoreFixture f, Path debugDir, List<String> names) throws Exception {
        assertThat(Files.isDirectory(debugDir)).isTrue();
        String[] commands = names.stream().map(n -> "p &" + n).toArray(String[]::new);
        String output =
                Gdb.withPreCommands("set debug-file-directory " + debugDir).onCore(f.program(), f.core(), commands);
        List<String> values = GdbOutput.values(output);
        assertThat(values).as("gdb printed every address:\n%s", output).hasSameSizeAs(names);
        return values.stream().map(GdbOutput::address).toList();
    }
}
