package io.coredumptools.elfcore.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.symbols.NativeTools.ReadelfSymbol;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookup order, versions and laziness over programs and libraries compiled here. */
class ElfSymbolIndexProgramTest {
    private static final String VERSIONED_LIB = """
            __asm__(".symver foo_v1, foo@V1");
            __asm__(".symver foo_v2, foo@@V2");
            int foo_v1(void) { return 1; }
            int foo_v2(void) { return 2; }
            """;
    private static final String VERSIONED_MAP = "V1 { global: foo; local: *; };\nV2 { global: foo; } V1;\n";
    private static final String OLD_ONLY_LIB = """
            __asm__(".symver foo_v1, foo@V1");
            int foo_v1(void) { return 1; }
            """;
    private static final String OLD_ONLY_MAP = "V1 { global: foo; local: *; };\n";
    private static final String LIB_ONE = """
            int shared_name(void) { return 11; }
            static __attribute__((noinline)) int only_local(void) { return 5; }
            int use_local(void) { return only_local(); }
            """;
    private static final String LIB_TWO = """
            int shared_name(void) { return 22; }
            int only_local(void) { return 6; }
            """;

    private static final long PROGRAM_BIAS = 0x555555554000L;
    private static final long ONE_BIAS = 0x7f0000100000L;
    private static final long TWO_BIAS = 0x7f0000200000L;
    private static final long OLD_BIAS = 0x7f0000300000L;
    private static final long VERSIONED_BIAS = 0x7f0000400000L;

    @TempDir
    static Path dir;

    private static Path program;
    private static Path libOne;
    private static Path libTwo;
    private static Path libOld;
    private static Path libVersioned;

    @BeforeAll
    static void compile() throws Exception {
        program = TestPrograms.program(dir, "prog", TestPrograms.PROGRAM);
        libOne = TestPrograms.sharedLibrary(dir, "one", LIB_ONE, null);
        libTwo = TestPrograms.sharedLibrary(dir, "two", LIB_TWO, null);
        libOld = TestPrograms.sharedLibrary(dir, "old", OLD_ONLY_LIB, OLD_ONLY_MAP);
        libVersioned = TestPrograms.sharedLibrary(dir, "versioned", VERSIONED_LIB, VERSIONED_MAP);
    }

    private static ModuleImage image(Path file, long bias) throws Exception {
        return new ModuleImage(
                "/opt/app/" + file.getFileName(), file, bias, bias, bias + ElfSymbolIndexLibcTest.imageSize(file));
    }

    private static ElfSymbolIndex index(ModuleImage... modules) {
        return ElfSymbolIndex.build(List.of(modules), DebugFileLocator.none());
    }

    @Test
    void programSymbolsAreRelocatedByTheLoadBias() throws Exception {
        ElfSymbolIndex index = index(image(program, PROGRAM_BIAS));

        Symbol main = index.lookup("main").orElseThrow();
        assertThat(main.address()).isEqualTo(PROGRAM_BIAS + TestPrograms.nmValue(program, "main"));
        assertThat(main.kind()).isEqualTo(SymbolKind.FUNCTION);
        assertThat(main.module()).isEqualTo("/opt/app/prog");
        Symbol counter = index.lookup("global_counter").orElseThrow();
        assertThat(counter.kind()).isEqualTo(SymbolKind.OBJECT);
        assertThat(counter.address()).isEqualTo(PROGRAM_BIAS + TestPrograms.nmValue(program, "global_counter"));
        Symbol helper = index.lookup("local_helper").orElseThrow();
        assertThat(helper.global()).isFalse();
        assertThat(helper.address()).isEqualTo(PROGRAM_BIAS + TestPrograms.nmValue(program, "local_helper"));
        Symbol tls = index.lookup("tls_value").orElseThrow();
        assertThat(tls.kind()).isEqualTo(SymbolKind.TLS);
        assertThat(tls.address()).isEqualTo(TestPrograms.nmValue(program, "tls_value"));

        SymbolLocation inHelper = index.symbolize(helper.address() + 4).orElseThrow();
        assertThat(inHelper.toString())
                .isEqualTo("local_helper+0x4 (prog+0x" + Long.toHexString(helper.address() + 4 - PROGRAM_BIAS) + ")");
    }

    @Test
    void globalsWinInLoadOrderAndBeforeLocals() throws Exception {
        ModuleImage one = image(libOne, ONE_BIAS);
        ModuleImage two = image(libTwo, TWO_BIAS);

        assertThat(index(one, two).lookup("shared_name").orElseThrow().module()).isEqualTo("/opt/app/libone.so");
        assertThat(index(two, one).lookup("shared_name").orElseThrow().module()).isEqualTo("/opt/app/libtwo.so");
        // libone's only_local is static: libtwo's global definition comes first though libone loaded first.
        Symbol onlyLocal = index(one, two).lookup("only_local").orElseThrow();
        assertThat(onlyLocal.module()).isEqualTo("/opt/app/libtwo.so");
        assertThat(onlyLocal.global()).isTrue();
        // Without any global, the local one is found.
        Symbol local = index(one).lookup("only_local").orElseThrow();
        assertThat(local.global()).isFalse();
        assertThat(local.address()).isEqualTo(ONE_BIAS + TestPrograms.nmValue(libOne, "only_local"));
        assertThat(index(one, two).lookupAll("shared_name"))
                .extracting(Symbol::module)
                .containsExactly("/opt/app/libone.so", "/opt/app/libtwo.so");
    }

    @Test
    void unversionedLookupSkipsNonDefaultVersions() throws Exception {
        List<ReadelfSymbol> dyn = NativeTools.readelfSymbols(libVersioned, "--dyn-syms");
        long v1 = dyn.stream()
                .filter(s -> s.name().equals("foo@V1"))
                .findFirst()
                .orElseThrow()
                .value();
        long v2 = dyn.stream()
                .filter(s -> s.name().equals("foo@@V2"))
                .findFirst()
                .orElseThrow()
                .value();
        long oldV1 = NativeTools.readelfSymbols(libOld, "--dyn-syms").stream()
                .filter(s -> s.name().equals("foo@V1"))
                .findFirst()
                .orElseThrow()
                .value();
        ElfSymbolIndex index = index(image(libOld, OLD_BIAS), image(libVersioned, VERSIONED_BIAS));

        Symbol foo = index.lookup("foo").orElseThrow();
        assertThat(foo.module()).isEqualTo("/opt/app/libversioned.so");
        assertThat(foo.version()).isEqualTo("V2");
        assertThat(foo.address()).isEqualTo(VERSIONED_BIAS + v2);
        assertThat(index.lookup("foo@V1").orElseThrow().address()).isEqualTo(OLD_BIAS + oldV1);
        assertThat(index.lookup("foo@@V1")).isEmpty();
        assertThat(index.lookup("foo@@V2").orElseThrow().address()).isEqualTo(VERSIONED_BIAS + v2);
        // .symtab (foo@V1, foo@@V2 spelled in the name) and .dynsym entries merge into one per definition.
        assertThat(index.lookupAll("foo"))
                .extracting(Symbol::address)
                .containsExactlyInAnyOrder(OLD_BIAS + oldV1, VERSIONED_BIAS + v1, VERSIONED_BIAS + v2);
        // With only a non-default version anywhere, an unversioned lookup still finds it.
        assertThat(index(image(libOld, OLD_BIAS)).lookup("foo").orElseThrow().version())
                .isEqualTo("V1");
    }

    @Test
    void lookupsReadOnlyTheModulesTheyNeed() throws Exception {
        ModuleImage prog = image(program, PROGRAM_BIAS);
        ModuleImage one = image(libOne, ONE_BIAS);
        ModuleImage two = image(libTwo, TWO_BIAS);

        ElfSymbolIndex byName = index(prog, one, two);
        assertThat(byName.lookup("main")).isPresent();
        assertThat(byName.loadedModuleCount()).isEqualTo(1);
        assertThat(byName.lookup("use_local")).isPresent();
        assertThat(byName.loadedModuleCount()).isEqualTo(2);

        ElfSymbolIndex byAddress = index(prog, one, two);
        long shared = TWO_BIAS + TestPrograms.nmValue(libTwo, "shared_name");
        SymbolLocation location = byAddress.symbolize(shared + 1).orElseThrow();
        assertThat(location.symbol().name()).isEqualTo("shared_name");
        assertThat(location.module()).isEqualTo("libtwo.so");
        assertThat(byAddress.loadedModuleCount()).isEqualTo(1);
        assertThat(byAddress.modules()).containsExactly(prog, one, two);
    }

    @Test
    void anUnreadableModuleHasNoSymbolsAndAWarning() throws Exception {
        ModuleImage missing = new ModuleImage(
                "/opt/app/gone.so", dir.resolve("gone.so"), 0x7f0000900000L, 0x7f0000900000L, 0x7f0000a00000L);
        ElfSymbolIndex index = index(missing, image(libOne, ONE_BIAS));

        assertThat(index.lookup("shared_name").orElseThrow().module()).isEqualTo("/opt/app/libone.so");
        assertThat(index.warnings())
                .singleElement()
                .asString()
                .contains("/opt/app/gone.so")
                .contains("gone.so");
        assertThat(index.symbolize(0x7f0000900010L).orElseThrow().toString())
                .isEqualTo("0x7f0000900010 (gone.so+0x10)");
    }
}
