package io.coredumptools.elfcore;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.coredumptools.testkit.fuzz.HangGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The link_map reader over process memory the fuzzer writes (two segments of a core's PT_LOAD data, read from a
 * file as for a real core) and an auxiliary vector it chooses (AT_PHDR, AT_PHNUM anywhere, the top of the
 * address space included): it returns the list or the reason there is none, never throws, never allocates
 * beyond the memory it reads, and stops on loops.
 */
public class LinkMapFuzzTest {
    private static final long[] BASES = {0x40_0000L, 0x5555_5555_4000L, 0x7fff_ffff_e000L, 0xffff_ffff_ffff_e000L};
    private static final Path MEMORY = tempFile();
    private static final HangGuard GUARD = new HangGuard();

    private static Path tempFile() {
        try {
            return Files.createTempFile("link-map-fuzz", ".mem");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void close() throws IOException {
        GUARD.close();
        Files.deleteIfExists(MEMORY);
    }

    @FuzzTest(maxDuration = "5s")
    void anyMemoryGivesAListOrAReason(FuzzedDataProvider data) throws Exception {
        fuzzerTestOneInput(data);
    }

    /** The fuzz target, also the entry point of Jazzer's command line for the long runs (scripts/fuzz/jazzer-long). */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws Exception {
        long base = data.pickValue(BASES);
        int pages = data.consumeInt(1, 2);
        long second = data.pickValue(BASES);
        List<AuxvEntry> auxv = new ArrayList<>();
        long phdrOffset = data.consumeLong(-64, 0x2000);
        auxv.add(new AuxvEntry(AuxvEntry.AT_PHDR, data.consumeBoolean() ? base + phdrOffset : data.consumeLong()));
        long phnum = data.consumeBoolean() ? data.consumeLong(0, 64) : data.consumeLong();
        auxv.add(new AuxvEntry(AuxvEntry.AT_PHNUM, phnum));
        byte[] bytes = data.consumeRemainingAsBytes();
        Files.write(MEMORY, bytes);
        long first = Math.min(bytes.length, pages * 4096L);
        List<LoadSegment> segments = new ArrayList<>();
        segments.add(new LoadSegment(base, pages * 4096L, 0, first, first, "rw-"));
        if (second != base && bytes.length > first) {
            long rest = Math.min(bytes.length - first, 4096);
            segments.add(new LoadSegment(second, 4096, first, rest, rest, "rw-"));
        }
        GUARD.run("auxv " + auxv + " base " + Long.toHexString(base), () -> {
            try (FileBytes file = FileBytes.open(MEMORY)) {
                LinkMapReader.Result result = LinkMapReader.read(new SegmentMemory(file, segments), auxv);
                // Each entry is a distinct address with 32 bytes of the core's memory behind it.
                assertThat(result.objects()).hasSizeLessThanOrEqualTo(bytes.length);
            }
        });
    }
}
