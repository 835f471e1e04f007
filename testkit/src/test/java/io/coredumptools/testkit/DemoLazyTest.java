package io.coredumptools.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CoreFixtureExtension.class)
class DemoLazyTest {

    @Test
    void isNotBoundNow(@FixtureOf(Fixture.DEMO_LAZY) CoreFixture lazy) {
        String dynamic = FixturesTest.readelf("-d", lazy.program());

        assertThat(dynamic).contains("(FLAGS_1)").doesNotContain("BIND_NOW");
        assertThat(dynamic.lines().filter(line -> line.contains("FLAGS"))).noneMatch(line -> line.contains("NOW"));
    }

    @Test
    void cbrtSlotIsStillUnresolvedInTheCore(@FixtureOf(Fixture.DEMO_LAZY) CoreFixture lazy) {
        // An unresolved GOT slot points back into the executable's own PLT, not into libm.
        String output = lazy.gdb("info symbol *(long *) &'cbrt@got.plt'");

        assertThat(output).contains("cbrt@plt");
    }
}
