package io.coredumptools.elfcore.dwarf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.CoreFixtureExtension;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.FixtureOf;
import io.coredumptools.testkit.Fixtures;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated and garbled DWARF gives a {@link DwarfFormatException} (or the ELF layer's {@link
 * CoreFormatException}) naming the problem: never another exception, never a hang.
 */
@ExtendWith(CoreFixtureExtension.class)
class DamagedDwarfTest {
    /** Far beyond what one corrupted copy needs (milliseconds): only a hang exceeds it. */
    private static final Duration HANG = Duration.ofMinutes(5);

    private static final int ROUNDS = 150;

    @Test
    void aUnitLongerThanTheSectionIsReported(@FixtureOf(Fixture.SIGNATURES) CoreFixture fixture, @TempDir Path dir)
            throws Exception {
        Path copy = copy(fixture, dir);
        SectionHeader info = section(copy, ".debug_info");
        write(copy, info.offset(), new byte[] {(byte) 0xf0, (byte) 0xff, 0x00, 0x00});
        try (DebugInfo debugInfo = DebugInfo.open(copy)) {
            assertThatThrownBy(() -> debugInfo.function("f_point"))
                    .isInstanceOf(DwarfFormatException.class)
                    .hasMessageContaining(".debug_info at offset 0x0")
                    .hasMessageContaining("runs past the end of the section");
        }
    }

    @Test
    void aTruncatedDebugInfoIsReported(@FixtureOf(Fixture.SIGNATURES) CoreFixture fixture, @TempDir Path dir)
            throws Exception {
        Path copy = copy(fixture, dir);
        SectionHeader info = section(copy, ".debug_info");
        // sh_size is at offset 32 of the section's Elf64_Shdr: cut the section in the middle of its last unit.
        long shoff;
        int shentsize;
        try (ElfFile elf = ElfFile.open(copy)) {
            shoff = elf.header().sectionHeaderOffset();
            shentsize = elf.header().sectionHeaderSize();
        }
        write(copy, shoff + (long) info.index() * shentsize + 32, littleEndian(info.size() - 100));
        try (DebugInfo debugInfo = DebugInfo.open(copy)) {
            assertThatThrownBy(() -> debugInfo.function("f_point"))
                    .isInstanceOf(DwarfFormatException.class)
                    .hasMessageContaining(copy.toString())
                    .hasMessageContaining("runs past the end of the section")
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void aGarbledCompressedSectionIsReported(
            @FixtureOf(Fixture.SIGNATURES_COMPRESSED) CoreFixture fixture, @TempDir Path dir) throws Exception {
        Path copy = copy(fixture, dir);
        SectionHeader info = section(copy, ".debug_info");
        // After the 24-byte Elf64_Chdr, the zlib stream: break its header.
        write(copy, info.offset() + 24, new byte[] {0x12, 0x34, 0x56, 0x78});
        try (DebugInfo debugInfo = DebugInfo.open(copy)) {
            assertThatThrownBy(() -> debugInfo.function("f_point"))
                    .isInstanceOf(DwarfFormatException.class)
                    .hasMessageContaining("not valid zlib data");
        }
    }

    @Test
    void aCompressedSectionClaimingAnotherSizeIsReported(
            @FixtureOf(Fixture.SIGNATURES_COMPRESSED) CoreFixture fixture, @TempDir Path dir) throws Exception {
        Path copy = copy(fixture, dir);
        SectionHeader info = section(copy, ".debug_info");
        // ch_size, at offset 8 of the header: one byte more than the stream holds.
        long size;
        try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "r")) {
            file.seek(info.offset() + 8);
            size = Long.reverseBytes(file.readLong());
        }
        write(copy, info.offset() + 8, littleEndian(size + 1));
        try (DebugInfo debugInfo = DebugInfo.open(copy)) {
            assertThatThrownBy(() -> debugInfo.function("f_point"))
                    .isInstanceOf(DwarfFormatException.class)
                    .hasMessageContaining("inflates to only");
        }
        write(copy, info.offset() + 8, littleEndian(1L << 40));
        try (DebugInfo debugInfo = DebugInfo.open(copy)) {
            assertThatThrownBy(() -> debugInfo.function("f_point"))
                    .isInstanceOf(DwarfFormatException.class)
                    .hasMessageContaining("bytes uncompressed, more than its");
        }
    }

    /**
     * Random damage to the sections the reader uses, seeded so a failure repeats: every lookup either answers
     * or throws a CoreFormatException. Pointer targets, resolved lazily, are walked too; a problem there shows as
     * an UnsupportedType naming it.
     */
    @Test
    void randomDamageGivesOnlyTypedErrors(@FixtureOf(Fixture.SIGNATURES_DWARF4) CoreFixture dwarf4, @TempDir Path dir)
            throws Exception {
        CoreFixture dwarf5 = Fixtures.get(Fixture.SIGNATURES);
        List<String> names = functionNames(dwarf5);
        Random random = new Random(20261201);
        int typedErrors = 0;
        for (int round = 0; round < ROUNDS; round++) {
            CoreFixture fixture = round % 2 == 0 ? dwarf5 : dwarf4;
            Path copy = copy(fixture, dir);
            String sectionName = List.of(".debug_info", ".debug_info", ".debug_abbrev", ".debug_str")
                    .get(random.nextInt(4));
            SectionHeader section = section(copy, sectionName);
            int damage = 1 + random.nextInt(8);
            for (int i = 0; i < damage; i++) {
                long at = section.offset() + (long) (random.nextDouble() * section.size());
                byte[] bytes = new byte[1 + random.nextInt(4)];
                random.nextBytes(bytes);
                write(copy, at, bytes);
            }
            String what = "round " + round + " (" + damage + " changes in " + sectionName + ")";
            boolean typed = assertTimeoutPreemptively(HANG, () -> exerciseAll(copy, names), what);
            if (typed) {
                typedErrors++;
            }
        }
        // Most damage must be noticed: a reader that ignored everything would pass the loop above.
        assertThat(typedErrors).isGreaterThan(ROUNDS / 4);
    }

    /** Looks up everything; true when some lookup threw a CoreFormatException. */
    private static boolean exerciseAll(Path file, List<String> names) {
        boolean typedError = false;
        try (DebugInfo debugInfo = DebugInfo.open(file)) {
            for (String name : names) {
                try {
                    for (FunctionSignature f : debugInfo.functions(name)) {
                        walk(f.returnType(), new IdentityHashMap<>(), 0);
                        f.parameterTypes().forEach(t -> walk(t, new IdentityHashMap<>(), 0));
                        for (AddressRange range : f.ranges()) {
                            debugInfo.functionAt(range.start());
                        }
                    }
                } catch (CoreFormatException expected) {
                    assertThat(expected.getMessage()).contains(file.toString());
                    typedError = true;
                }
            }
            try {
                debugInfo.type("struct bits");
            } catch (CoreFormatException expected) {
                typedError = true;
            }
        } catch (CoreFormatException expected) {
            typedError = true;
        }
        return typedError;
    }

    private static void walk(CType type, Map<CType, Boolean> seen, int depth) {
        if (depth > 10 || seen.put(type, Boolean.TRUE) != null) {
            return;
        }
        if (type instanceof PointerType p) {
            walk(p.target(), seen, depth + 1);
        } else if (type instanceof StructType s) {
            s.members().forEach(m -> walk(m.type(), seen, depth + 1));
        } else if (type instanceof ArrayType a) {
            walk(a.element(), seen, depth + 1);
        } else if (type instanceof FunctionType f) {
            walk(f.returnType(), seen, depth + 1);
            f.parameterTypes().forEach(t -> walk(t, seen, depth + 1));
        }
        type.name();
        type.alignment();
    }

    /** The functions the fixture source defines (FIXTURE_FN ... name(). */
    private static List<String> functionNames(CoreFixture fixture) throws IOException {
        List<String> names = new ArrayList<>(List.of("main", "square", "unit2_twin_caller"));
        Matcher m = Pattern.compile("FIXTURE_FN [^(]*?(\\w+)\\(").matcher(Files.readString(fixture.source()));
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).hasSizeGreaterThan(25);
        return names;
    }

    private static Path copy(CoreFixture fixture, Path dir) throws IOException {
        Path copy = dir.resolve("damaged");
        Files.copy(fixture.program(), copy, StandardCopyOption.REPLACE_EXISTING);
        copy.toFile().setWritable(true);
        return copy;
    }

    private static SectionHeader section(Path file, String name) throws CoreFormatException {
        try (ElfFile elf = ElfFile.open(file)) {
            return elf.section(name).orElseThrow();
        }
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(offset);
            out.write(bytes);
        }
    }

    private static byte[] littleEndian(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }
}
