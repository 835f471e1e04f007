package io.coredumptools.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * BIGMEM is slow and writes gigabytes by default, so this runs only when a size is asked for, e.g.
 * {@code mvn -pl testkit test -Dtest=BigmemFixtureTest -Dbigmem.mib=64}.
 */
@EnabledIfSystemProperty(named = "bigmem.mib", matches = "\\d+")
class BigmemFixtureTest {

    @Test
    void coreHoldsAtLeastTheTouchedMemory() throws IOException {
        long mib = Long.parseLong(System.getProperty("bigmem.mib"));

        CoreFixture bigmem = Fixtures.get(Fixture.BIGMEM);

        assertThat(ElfFileType.isCore(bigmem.core())).isTrue();
        assertThat(Files.size(bigmem.core())).isGreaterThan(mib * 1024 * 1024);
    }
}
