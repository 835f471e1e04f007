package io.coredumptools.elfcore.symbols;

import static io.coredumptools.elfcore.symbols.NativeTools.LIBC;
import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.ProgramHeader;
import io.coredumptools.elfcore.symbols.NativeTools.ReadelfSymbol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The index over the system's stripped libc, with and without libc6-dbg, checked against readelf. */
class ElfSymbolIndexLibcTest {
    private static final long BIAS = 0x7f1234500000L;
    private static final String RECORDED = "/usr/lib/x86_64-linux-gnu/libc.so.6";

    private static List<ReadelfSymbol> dynsym;
    private static List<ReadelfSymbol> debugSymtab;
    private static ModuleImage libc;

    @BeforeAll
    static void readGroundTruth() throws Exception {
        dynsym = NativeTools.readelfSymbols(LIBC, "--dyn-syms");
        libc = new ModuleImage(RECORDED, LIBC, BIAS, BIAS, BIAS + imageSize(LIBC));
    }

    static long imageSize(Path file) throws Exception {
        try (ElfFile elf = ElfFile.open(file)) {
            return elf.programHeaders().stream()
                    .filter(p -> p.type() == ProgramHeader.PT_LOAD)
                    .mapToLong(ProgramHeader::end)
                    .max()
                    .orElseThrow();
        }
    }

    private static ReadelfSymbol readelf(List<ReadelfSymbol> table, String name) {
        return table.stream()
                .filter(s -> s.name().equals(name) && !s.ndx().equals("UND"))
                .findFirst()
                .orElseThrow();
    }

    private static List<ReadelfSymbol> debugSymtab() {
        if (debugSymtab == null) {
            debugSymtab = NativeTools.readelfSymbols(SymbolTableReaderTest.libcDebugFile(), "--syms");
        }
        return debugSymtab;
    }

    private static ElfSymbolIndex withSystemDebug() {
        return ElfSymbolIndex.build(List.of(libc), DebugFileLocator.from(CoreOptions.defaults()));
    }

    private static ElfSymbolIndex withoutDebug() {
        return ElfSymbolIndex.build(
                List.of(libc), DebugFileLocator.from(CoreOptions.defaults().withSystemDebugDir(null)));
    }

    @Test
    void unversionedMemcpyIsTheDefaultVersion() {
        ReadelfSymbol expected = readelf(dynsym, "memcpy@@GLIBC_2.14");
        for (ElfSymbolIndex index : List.of(withSystemDebug(), withoutDebug())) {
            Symbol memcpy = index.lookup("memcpy").orElseThrow();
            assertThat(memcpy.version()).isEqualTo("GLIBC_2.14");
            assertThat(memcpy.address()).isEqualTo(BIAS + expected.value());
            assertThat(memcpy.kind()).isEqualTo(SymbolKind.IFUNC);
            assertThat(memcpy.global()).isTrue();
            assertThat(memcpy.module()).isEqualTo(RECORDED);
        }
    }

    @Test
    void explicitVersionsSelectTheirDefinition() {
        long old = readelf(dynsym, "memcpy@GLIBC_2.2.5").value();
        long current = readelf(dynsym, "memcpy@@GLIBC_2.14").value();
        assertThat(old).isNotEqualTo(current);
        ElfSymbolIndex index = withSystemDebug();

        assertThat(index.lookup("memcpy@GLIBC_2.2.5").orElseThrow().address()).isEqualTo(BIAS + old);
        assertThat(index.lookup("memcpy@GLIBC_2.2.5").orElseThrow().kind()).isEqualTo(SymbolKind.FUNCTION);
        assertThat(index.lookup("memcpy@@GLIBC_2.14").orElseThrow().address()).isEqualTo(BIAS + current);
        assertThat(index.lookup("memcpy@GLIBC_2.14").orElseThrow().address()).isEqualTo(BIAS + current);
        // GLIBC_2.2.5 is not memcpy's default version.
        assertThat(index.lookup("memcpy@@GLIBC_2.2.5")).isEmpty();
        assertThat(index.lookup("memcpy@GLIBC_9.9")).isEmpty();
        assertThat(index.lookupAll("memcpy"))
                .extracting(Symbol::address)
                .containsExactlyInAnyOrder(BIAS + old, BIAS + current);
    }

    @Test
    void strlenIsAnIfunc() {
        Symbol strlen = withoutDebug().lookup("strlen").orElseThrow();
        assertThat(strlen.isIfunc()).isTrue();
        assertThat(strlen.address())
                .isEqualTo(BIAS + readelf(dynsym, "strlen@@GLIBC_2.2.5").value());
    }

    @Test
    void debugFileNamesResolveOnlyWithTheSystemDebugDirectory() {
        ReadelfSymbol sse2 = readelf(debugSymtab(), "__strlen_sse2");
        ReadelfSymbol evex = readelf(debugSymtab(), "__strlen_evex");
        ElfSymbolIndex index = withSystemDebug();

        Symbol found = index.lookup("__strlen_sse2").orElseThrow();
        assertThat(found.address()).isEqualTo(BIAS + sse2.value());
        assertThat(found.size()).isEqualTo(sse2.size());
        assertThat(found.global()).isFalse();
        assertThat(index.lookup("__strlen_evex").orElseThrow().address()).isEqualTo(BIAS + evex.value());
        assertThat(index.debugFile(libc)).contains(SymbolTableReaderTest.libcDebugFile());
        assertThat(index.warnings()).isEmpty();

        ElfSymbolIndex stripped = withoutDebug();
        assertThat(stripped.lookup("__strlen_sse2")).isEmpty();
        assertThat(stripped.lookup("__strlen_evex")).isEmpty();
        assertThat(stripped.lookup("strlen")).isPresent();
        assertThat(stripped.debugFile(libc)).isEmpty();
    }

    @Test
    void mergedSymbolsHaveNoDuplicates() {
        ElfSymbolIndex index = withSystemDebug();
        // .dynsym has strlen@@GLIBC_2.2.5; the debug .symtab has plain "strlen" at the same address.
        assertThat(index.lookupAll("strlen")).hasSize(1);
        assertThat(index.lookupAll("strlen").get(0).version()).isEqualTo("GLIBC_2.2.5");
        // The debug .symtab has a local unversioned "memcpy" alias of memcpy@@GLIBC_2.14.
        assertThat(index.lookupAll("memcpy")).hasSize(2);
    }

    @Test
    void tlsSymbolsKeepTheirOffsetInTheTlsBlock() {
        ReadelfSymbol errno = readelf(debugSymtab(), "errno");
        Symbol found = withSystemDebug().lookup("errno").orElseThrow();
        assertThat(found.kind()).isEqualTo(SymbolKind.TLS);
        assertThat(found.address()).isEqualTo(errno.value());
    }

    @Test
    void symbolizeNamesTheCoveringFunction() {
        ReadelfSymbol sse2 = readelf(debugSymtab(), "__strlen_sse2");
        long address = BIAS + sse2.value() + 5;

        SymbolLocation location = withSystemDebug().symbolize(address).orElseThrow();
        assertThat(location.symbol().name()).isEqualTo("__strlen_sse2");
        assertThat(location.offset()).isEqualTo(5);
        assertThat(location.module()).isEqualTo("libc.so.6");
        assertThat(location.moduleOffset()).isEqualTo(sse2.value() + 5);
        assertThat(location.toString())
                .isEqualTo("__strlen_sse2+0x5 (libc.so.6+0x" + Long.toHexString(sse2.value() + 5) + ")");

        // Exactly at a function's start: no offset; the default-versioned global wins among aliases.
        long memcpy = BIAS + readelf(dynsym, "memcpy@@GLIBC_2.14").value();
        SymbolLocation atStart = withSystemDebug().symbolize(memcpy).orElseThrow();
        assertThat(atStart.symbol().name()).isEqualTo("memcpy");
        assertThat(atStart.symbol().version()).isEqualTo("GLIBC_2.14");
        assertThat(atStart.offset()).isZero();
    }

    @Test
    void symbolizeWithoutDebugFileUsesDynsym() {
        ReadelfSymbol old = readelf(dynsym, "memcpy@GLIBC_2.2.5");
        SymbolLocation location =
                withoutDebug().symbolize(BIAS + old.value() + old.size() - 1).orElseThrow();
        assertThat(location.symbol().name()).isEqualTo("memcpy");
        assertThat(location.symbol().version()).isEqualTo("GLIBC_2.2.5");
        assertThat(location.offset()).isEqualTo(old.size() - 1);
    }

    @Test
    void addressesOutsideEveryModuleAreNotSymbolized() {
        ElfSymbolIndex index = withoutDebug();
        assertThat(index.symbolize(BIAS - 1)).isEmpty();
        assertThat(index.symbolize(libc.end())).isEmpty();
        assertThat(index.loadedModuleCount()).isZero();
        // Below the first function but inside the module (the ELF header): module only.
        SymbolLocation header = index.symbolize(BIAS + 0x10).orElseThrow();
        assertThat(header.symbol()).isNull();
        assertThat(header.toString()).isEqualTo("0x" + Long.toHexString(BIAS + 0x10) + " (libc.so.6+0x10)");
    }

    @Test
    void concurrentFirstLookupsAgree() throws Exception {
        ElfSymbolIndex index = withSystemDebug();
        long sse2 = BIAS + readelf(debugSymtab(), "__strlen_sse2").value();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<Symbol>>> lookups = new ArrayList<>();
            List<Future<Optional<SymbolLocation>>> locations = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                lookups.add(pool.submit(() -> index.lookup("__strlen_evex")));
                locations.add(pool.submit(() -> index.symbolize(sse2 + 1)));
            }
            Symbol first = lookups.get(0).get().orElseThrow();
            for (Future<Optional<Symbol>> f : lookups) {
                assertThat(f.get()).contains(first);
            }
            for (Future<Optional<SymbolLocation>> f : locations) {
                assertThat(f.get().orElseThrow().symbol().name()).isEqualTo("__strlen_sse2");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
