package io.coredumptools.emulator.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Opening an image must not read the core: resident memory grows by the pages touched, not by the
 * core's size. Uses the largest ordinary fixture core; the 2 GiB BIGMEM benchmark is the lead's.
 */
class ResidentMemoryTest {

    static long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void openingACoreDoesNotReadIt() throws Exception {
        CoreFixture largest = Stream.of(Fixture.DEMO_PIE, Fixture.DEMO_STATIC, Fixture.DEMO_GCORE)
                .map(Fixtures::get)
                .max(Comparator.comparingLong(f -> f.core().toFile().length()))
                .orElseThrow();
        long coreSize = Files.size(largest.core());
        // Warm up classes and JNA so that the measurement sees the image only.
        DemoCore.open(largest).close();
        System.gc();
        long before = residentBytes();
        try (DemoCore demo = DemoCore.open(largest)) {
            long after = residentBytes();
            long imageBytes =
                    demo.image.regions().stream().mapToLong(ImageRegion::size).sum();
            assertThat(imageBytes).as("the whole core is mapped").isGreaterThanOrEqualTo(coreSize / 2);
            assertThat(after - before)
                    .as("resident growth after mapping %d MiB", imageBytes >> 20)
                    .isLessThan(Math.min(coreSize / 4, 4L << 20));
        }
    }
}
