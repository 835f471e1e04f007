package io.coredumptools.elfcore.symbols;

import static io.coredumptools.elfcore.symbols.NativeTools.LIBC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.elfcore.symbols.NativeTools.ReadelfSymbol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The symbol tables as read here must be exactly what readelf shows for the same files. */
class SymbolTableReaderTest {
    private static final Set<String> KINDS_COMPARED = Set.of("FUNC", "IFUNC", "OBJECT", "TLS", "NOTYPE");

    @Test
    void libcDynsymMatchesReadelfIncludingVersions() throws Exception {
        try (ElfFile libc = ElfFile.open(LIBC)) {
            SectionHeader dynsym = libc.section(".dynsym").orElseThrow();
            Set<String> ours = describe(SymbolTableReader.read(libc, dynsym));
            Set<String> expected = describeReadelf(NativeTools.readelfSymbols(LIBC, "--dyn-syms"));

            assertThat(expected).hasSizeGreaterThan(2500);
            assertThat(ours).isEqualTo(expected);
            assertThat(ours)
                    .anyMatch(s -> s.startsWith("memcpy@@GLIBC_2.14 ") && s.contains(" IFUNC "))
                    .anyMatch(s -> s.startsWith("memcpy@GLIBC_2.2.5 ") && s.contains(" FUNC "))
                    .anyMatch(s -> s.startsWith("strlen@@GLIBC_2.2.5 ") && s.contains(" IFUNC "));
        }
    }

    @Test
    void libcDebugFileSymtabMatchesReadelf() throws Exception {
        Path debug = libcDebugFile();
        try (ElfFile file = ElfFile.open(debug)) {
            SectionHeader symtab = file.section(".symtab").orElseThrow();
            Set<String> ours = describe(SymbolTableReader.read(file, symtab));
            Set<String> expected = describeReadelf(NativeTools.readelfSymbols(debug, "--syms"));

            assertThat(expected).hasSizeGreaterThan(5000);
            assertThat(ours).isEqualTo(expected);
            assertThat(ours).anyMatch(s -> s.startsWith("__strlen_evex ") && s.endsWith(" LOCAL"));
        }
    }

    @Test
    void versionedNamesSplitAsTheLinkerWritesThem() {
        assertThat(VersionedName.parse("memcpy@@GLIBC_2.14"))
                .isEqualTo(new VersionedName("memcpy", "GLIBC_2.14", true));
        assertThat(VersionedName.parse("memcpy@GLIBC_2.2.5"))
                .isEqualTo(new VersionedName("memcpy", "GLIBC_2.2.5", false));
        assertThat(VersionedName.parse("memcpy")).isEqualTo(new VersionedName("memcpy", "", false));
        assertThat(VersionedName.parse("@odd")).isEqualTo(new VersionedName("@odd", "", false));
    }

    static Path libcDebugFile() {
        Path debug = Path.of(
                "/usr/lib/debug/.build-id",
                NativeTools.readelfBuildId(LIBC).substring(0, 2),
                NativeTools.readelfBuildId(LIBC).substring(2) + ".debug");
        assumeTrue(Files.isRegularFile(debug), "libc6-dbg is not installed: " + debug);
        return debug;
    }

    /** {@code name[@VER|@@VER] value size TYPE BIND} for the kinds compared. */
    private static Set<String> describe(List<ElfSymbol> symbols) {
        Set<String> result = new HashSet<>();
        for (ElfSymbol s : symbols) {
            if (s.absolute()) {
                continue; // readelf prints version-definition symbols (GLIBC_2.14, ABS) without their version
            }
            String name = s.name() + (s.version().isEmpty() ? "" : (s.hiddenVersion() ? "@" : "@@") + s.version());
            String type = switch (s.kind()) {
                case FUNCTION -> "FUNC";
                case IFUNC -> "IFUNC";
                case OBJECT -> "OBJECT";
                case TLS -> "TLS";
                case OTHER -> "NOTYPE";
            };
            String bind = switch (s.binding()) {
                case ElfSymbol.STB_LOCAL -> "LOCAL";
                case ElfSymbol.STB_GLOBAL -> "GLOBAL";
                case ElfSymbol.STB_WEAK -> "WEAK";
                default -> "UNIQUE";
            };
            result.add(name + " " + Long.toHexString(s.value()) + " " + s.size() + " " + type + " " + bind);
        }
        return result;
    }

    private static Set<String> describeReadelf(List<ReadelfSymbol> symbols) {
        Set<String> result = new HashSet<>();
        for (ReadelfSymbol s : symbols) {
            if (s.ndx().equals("UND") || s.ndx().equals("ABS") || !KINDS_COMPARED.contains(s.type())) {
                continue;
            }
            result.add(s.name() + " " + Long.toHexString(s.value()) + " " + s.size() + " " + s.type() + " " + s.bind());
        }
        return result;
    }
}
