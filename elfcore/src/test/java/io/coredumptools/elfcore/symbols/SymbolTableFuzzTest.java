package io.coredumptools.elfcore.symbols;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.fuzz.HangGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The symbol reader over a real executable (the demo fixture, with .symtab, .dynsym and symbol versions) whose
 * section headers and symbol, string and version tables are corrupted where the fuzzer chooses: reading its
 * sections, build-id and symbols gives answers or {@link CoreFormatException}, nothing else, and never hangs.
 */
public class SymbolTableFuzzTest {
    private static final byte[] PRISTINE = read(Fixtures.get(Fixture.DEMO_PIE).program());
    /** Absolute offsets of the bytes worth corrupting: section header fields, then whole symbol-related sections. */
    private static final List<long[]> FIELDS = new ArrayList<>();

    private static final Path WORK = tempFile();
    private static final HangGuard GUARD = new HangGuard();

    static {
        ByteBuffer elf = ByteBuffer.wrap(PRISTINE).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = elf.getLong(40);
        int shnum = elf.getShort(60) & 0xffff;
        FIELDS.add(new long[] {40, 8});
        FIELDS.add(new long[] {58, 2});
        FIELDS.add(new long[] {60, 2});
        FIELDS.add(new long[] {62, 2});
        for (int i = 0; i < shnum; i++) {
            long at = shoff + 64L * i;
            int type = elf.getInt((int) at + 4);
            FIELDS.add(new long[] {at, 4}); // sh_name
            FIELDS.add(new long[] {at + 4, 4}); // sh_type
            FIELDS.add(new long[] {at + 24, 8}); // sh_offset
            FIELDS.add(new long[] {at + 32, 8}); // sh_size
            FIELDS.add(new long[] {at + 40, 4}); // sh_link
            FIELDS.add(new long[] {at + 44, 4}); // sh_info
            FIELDS.add(new long[] {at + 56, 8}); // sh_entsize
            if (type == SectionHeader.SHT_SYMTAB
                    || type == SectionHeader.SHT_DYNSYM
                    || type == SectionHeader.SHT_STRTAB
                    || type == SectionHeader.SHT_NOTE
                    || type == SectionHeader.SHT_GNU_VERSYM
                    || type == SectionHeader.SHT_GNU_VERDEF
                    || type == 0x6ffffffe) { // SHT_GNU_verneed
                long offset = elf.getLong((int) at + 24);
                long size = elf.getLong((int) at + 32);
                for (long k = 0; k + 8 <= size; k += 8) {
                    FIELDS.add(new long[] {offset + k, 8});
                }
            }
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("symbols-fuzz", ".elf");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void close() throws IOException {
        GUARD.close();
        Files.deleteIfExists(WORK);
    }

    @FuzzTest(maxDuration = "5s")
    void aCorruptExecutableGivesSymbolsOrTypedErrors(FuzzedDataProvider data) throws Exception {
        fuzzerTestOneInput(data);
    }

    /** The fuzz target, also the entry point of Jazzer's command line for the long runs (scripts/fuzz/jazzer-long). */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws Exception {
        byte[] bytes = PRISTINE.clone();
        ByteBuffer out = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder done = new StringBuilder();
        int count = data.consumeInt(1, 6);
        for (int i = 0; i < count; i++) {
            long[] field = FIELDS.get(data.consumeInt(0, FIELDS.size() - 1));
            long value = data.consumeBoolean() ? data.consumeLong() : data.consumeLong(-2, 0x1_0000);
            for (int b = 0; b < field[1]; b++) {
                out.put((int) field[0] + b, (byte) (value >>> (8 * b)));
            }
            done.append(Long.toHexString(field[0]))
                    .append('=')
                    .append(Long.toHexString(value))
                    .append(' ');
        }
        int length = data.consumeBoolean() ? bytes.length : data.consumeInt(0, bytes.length);
        Files.write(WORK, java.util.Arrays.copyOf(bytes, length));
        GUARD.run(done + "length " + length, () -> {
            try (ElfFile elf = ElfFile.open(WORK)) {
                elf.sections();
                elf.buildId();
                elf.section(".gnu_debuglink");
                SymbolTableReader.readAll(elf);
            } catch (CoreFormatException typed) {
                // The typed refusal of a damaged file.
            }
        });
    }
}
