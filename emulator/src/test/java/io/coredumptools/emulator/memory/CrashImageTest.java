package io.coredumptools.emulator.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.emulator.unicorn.UnicornException;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash image without an engine reads what a freshly loaded engine's image reads (before patches): the same
 * bytes in every mapped region, nothing where the engine has nothing (missing, not dumped, cut off, unmappable).
 */
class CrashImageTest {
    private static final int PAGE = 4096;

    @Test
    void aKernelCoreReadsAsAnEngineDoes() throws Exception {
        CoreFixture fixture = Fixtures.get(Fixture.DEMO_PIE);
        sameAsAnEngine(fixture, fixture.core());
    }

    @Test
    void aGcoreCoreReadsAsAnEngineDoes() throws Exception {
        CoreFixture fixture = Fixtures.get(Fixture.DEMO_GCORE);
        sameAsAnEngine(fixture, fixture.core());
    }

    @Test
    void aTruncatedCoreLacksWhatAnEngineLacks(@TempDir Path directory) throws Exception {
        CoreFixture fixture = Fixtures.get(Fixture.DEMO_PIE);
        long cut;
        try (DemoCore whole = DemoCore.open(fixture)) {
            // Cut inside the last writable segment with data: its tail and what follows are gone.
            LoadSegment last = whole.core.segments().stream()
                    .filter(s -> s.fileSize() >= 4 * PAGE && s.permissions().equals("rw-"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            cut = last.offset() + PAGE + 0x234;
        }
        Path core = DemoCore.truncatedCopy(fixture, directory, cut);
        int unbacked = sameAsAnEngine(fixture, core);
        assertThat(unbacked).as("ranges an engine cannot read").isPositive();
    }

    /** Compares every region's first and last pages (and a page either side); returns how many were unreadable. */
    private static int sameAsAnEngine(CoreFixture fixture, Path corePath) throws Exception {
        try (DemoCore engine = DemoCore.openWithMissing(fixture, corePath, path -> false);
                CrashImage view = CrashImage.of(engine.core, engine.mappedRegions)) {
            List<Long> probes = new ArrayList<>();
            for (ImageRegion r : engine.image.regions()) {
                if (r.partOfBase() && r.source() != RegionSource.ANONYMOUS) {
                    probes.add(r.start());
                    probes.add(r.end() - PAGE);
                    probes.add(r.start() - PAGE);
                    probes.add(r.end());
                }
            }
            for (UnbackedRange u : engine.image.unbackedRanges()) {
                probes.add(u.start());
                probes.add(u.end() - PAGE);
            }
            assertThat(probes).hasSizeGreaterThan(10);
            int unreadable = 0;
            for (long page : probes) {
                if (engine.image
                                .regionAt(page)
                                .filter(r -> r.source() == RegionSource.ANONYMOUS)
                                .isPresent()
                        || engine.image
                                .regionAt(page - 100)
                                .filter(r -> r.source() == RegionSource.ANONYMOUS)
                                .isPresent()) {
                    continue; // the test's own call stack, not the crash image
                }
                byte[] expected = engineRead(engine.image, page, PAGE);
                assertThat(view.read(page, PAGE)).as("page 0x%x", page).isEqualTo(expected);
                // The same into a direct buffer (as x replies are read), over bytes that are not zeros.
                ByteBuffer direct = ByteBuffer.allocateDirect(PAGE + 16);
                while (direct.hasRemaining()) {
                    direct.put((byte) 0x5a);
                }
                direct.position(16);
                int read = view.read(page, direct);
                assertThat(direct.position()).isEqualTo(16 + read);
                byte[] got = new byte[read];
                direct.get(16, got);
                assertThat(got).as("page 0x%x into a direct buffer", page).isEqualTo(expected);
                // A read that starts 100 bytes before the page: the readable prefix.
                byte[] before = engineRead(engine.image, page - 100, PAGE);
                assertThat(view.read(page - 100, PAGE)).as("0x%x - 100", page).isEqualTo(before);
                if (expected.length == 0) {
                    unreadable++;
                }
            }
            return unreadable;
        }
    }

    /** The readable prefix through the engine's image, as a debugger session reads it. */
    private static byte[] engineRead(MemoryImage image, long address, int length) {
        int good = 0;
        for (int step = length; step > 0 && good < length; ) {
            int n = Math.min(step, length - good);
            try {
                image.read(address + good, n);
                good += n;
            } catch (MemoryAccessException | UnicornException | IllegalArgumentException e) {
                step /= 2;
            }
        }
        return good == 0 ? new byte[0] : image.read(address, good);
    }
}
