package io.coredumptools.patches;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.symbols.ModuleImage;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IFUNC sites of DEMO_PIE found from .dynsym and relocations only (no debug files), checked against readelf and gdb. */
class IfuncInventoryTest {
    static CoreFixture demo;
    static CoreDump core;
    static CoreImageMemory memory;
    static IfuncInventory inventory;

    @BeforeAll
    static void scan() {
        demo = Fixtures.get(Fixture.DEMO_PIE);
        core = Cores.withoutDebugFiles(demo);
        memory = new CoreImageMemory(core);
        inventory = IfuncInventory.scan(core, memory);
    }

    @AfterAll
    static void close() {
        memory.close();
        core.close();
    }

    static ModuleImage module(String shortName) {
        return core.symbols().modules().stream()
                .filter(m -> m.recordedPath().endsWith("/" + shortName))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void irelativeRelocationsOfLibcAndLibmMatchReadelf() {
        for (String lib : List.of("libc.so.6", "libm.so.6")) {
            ModuleImage image = module(lib);
            Set<List<Long>> expected = Tools.relocations(image.file()).stream()
                    .filter(r -> r.type().equals("R_X86_64_IRELATIVE"))
                    .map(r -> List.of(image.loadBias() + r.offset(), image.loadBias() + r.addend()))
                    .collect(Collectors.toSet());
            Set<List<Long>> found = inventory.sites().stream()
                    .filter(s ->
                            s.kind() == IfuncSite.Kind.IRELATIVE && s.module().equals(lib))
                    .map(s -> List.of(s.slot(), s.resolver()))
                    .collect(Collectors.toSet());
            assertThat(expected).as(lib).hasSizeGreaterThan(10);
            assertThat(found).as(lib).isEqualTo(expected);
        }
    }

    @Test
    void irelativeSlotValuesAreWhatGdbReadsAndNameVariants() {
        List<IfuncSite> libc = inventory.sites().stream()
                .filter(s -> s.kind() == IfuncSite.Kind.IRELATIVE && s.module().equals("libc.so.6"))
                .toList();
        String[] commands =
                libc.stream().map(s -> "x/ga 0x" + Long.toHexString(s.slot())).toArray(String[]::new);
        String out = demo.gdb(commands);
        for (IfuncSite s : libc) {
            assertThat(s.bound()).isTrue();
            if (s.value().orElseThrow() == 0) {
                // glibc's __x86_cacheinfo: an IRELATIVE "resolver" run for its side effects, value 0.
                assertThat(out).contains("0x" + Long.toHexString(s.slot()) + " <__x86_cacheinfo_p>:\t0x0");
                continue;
            }
            String line = out.lines()
                    .filter(l -> l.startsWith("0x" + Long.toHexString(s.slot()) + " "))
                    .findFirst()
                    .orElseThrow(() ->
                            new AssertionError("no gdb line for slot " + Long.toHexString(s.slot()) + "\n" + out));
            // e.g. "0x7f…028 <*ABS*+0xb0a60@got.plt>:\t0x7f…c40 <__memchr_evex>": the value and a variant's name.
            assertThat(line).contains("0x" + Long.toHexString(s.value().orElseThrow()) + " <__");
        }
    }

    @Test
    void executableStrlenSlotIsAnIfuncJumpSlotBoundToTheChosenVariant() {
        ModuleImage exe = module("demo");
        long slot = exe.loadBias()
                + Tools.relocations(exe.file()).stream()
                        .filter(r -> r.symbol().startsWith("strlen@"))
                        .findFirst()
                        .orElseThrow()
                        .offset();
        IfuncSite site = inventory.sites().stream()
                .filter(s -> s.slot() == slot)
                .findFirst()
                .orElseThrow();
        assertThat(site.kind()).isEqualTo(IfuncSite.Kind.JUMP_SLOT);
        assertThat(site.symbol()).isEqualTo("strlen");
        assertThat(site.bound()).isTrue();
        assertThat(site.resolver()).isEqualTo(module("libc.so.6").loadBias() + dynsymValue("libc.so.6", "strlen"));
        String out =
                demo.gdb("p/x *(long*)0x" + Long.toHexString(slot), "info symbol *(long*)0x" + Long.toHexString(slot));
        assertThat(Cores.hexAfter(out, "$1 = ")).isEqualTo(site.value().orElseThrow());
        assertThat(out).containsPattern("__strlen_\\w+ in section .text of .*libc.so.6");
    }

    static long dynsymValue(String lib, String name) {
        for (String line : Tools.run(
                        "readelf", "--dyn-syms", "-W", module(lib).file().toString())
                .split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && (f[7].equals(name) || f[7].startsWith(name + "@@"))) {
                return Long.parseUnsignedLong(f[1], 16);
            }
        }
        throw new AssertionError(name + " not in " + lib);
    }

    @Test
    void everyIfuncSymbolOfLibcAndLibmIsAResolver() {
        for (String lib : List.of("libc.so.6", "libm.so.6")) {
            ModuleImage image = module(lib);
            Set<Long> expected = new HashSet<>();
            for (String line : Tools.run(
                            "readelf", "--dyn-syms", "-W", image.file().toString())
                    .split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 8 && f[3].equals("IFUNC") && !f[6].equals("UND")) {
                    expected.add(image.loadBias() + Long.parseUnsignedLong(f[1], 16));
                }
            }
            Set<Long> found = inventory.sites().stream()
                    .filter(s -> s.kind() == IfuncSite.Kind.DYNSYM && s.module().equals(lib))
                    .map(IfuncSite::resolver)
                    .collect(Collectors.toSet());
            assertThat(expected).as(lib).hasSizeGreaterThan(20);
            assertThat(found).as(lib).isEqualTo(expected);
            assertThat(inventory.resolvers()).containsAll(expected);
        }
        long strlen = module("libc.so.6").loadBias() + dynsymValue("libc.so.6", "strlen");
        assertThat(inventory.resolverName(strlen)).isEqualTo("strlen");
    }

    @Test
    void irelativeResolversWithoutANameAreNamedByOffset() {
        long libcBias = module("libc.so.6").loadBias();
        Tools.Reloc first = Tools.relocations(module("libc.so.6").file()).stream()
                .filter(r -> r.type().equals("R_X86_64_IRELATIVE"))
                .findFirst()
                .orElseThrow();
        String name = inventory.resolverName(libcBias + first.addend());
        assertThat(name)
                .satisfiesAnyOf(
                        n -> assertThat(n)
                                .isEqualTo("IRELATIVE resolver at libc.so.6+0x" + Long.toHexString(first.addend())),
                        n -> assertThat(n).doesNotStartWith("IRELATIVE").doesNotStartWith("resolver at"));
    }
}
