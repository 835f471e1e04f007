package io.coredumptools.emulator.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** gdb's gcore stores segment data at offsets that are not page-aligned: the image maps them skewed. */
class GcoreTest {

    @Test
    void servesUnalignedSegmentsAndRevertsThem() throws Exception {
        try (DemoCore demo = DemoCore.open(Fixtures.get(Fixture.DEMO_GCORE))) {
            assertThat(demo.core.segments()).anyMatch(s -> s.fileSize() > 0 && !PageSize.isAligned(s.offset()));
            for (LoadSegment segment : demo.core.segments()) {
                if (segment.presentBytes() >= 64
                        && demo.image.regionAt(segment.vaddr()).isPresent()) {
                    long address = segment.vaddr() + segment.presentBytes() - 64;
                    byte[] expected = new byte[64];
                    ByteBuffer bytes = demo.core.memory().read(address, 64).orElseThrow();
                    bytes.get(expected);
                    assertThat(demo.image.read(address, 64)).as("0x%x", address).containsExactly(expected);
                }
            }
            long nextId = demo.symbol("next_id");
            assertThat(demo.call(nextId)).isEqualTo(43);
            assertThat(demo.call(nextId)).isEqualTo(44);
            MemoryState state = demo.image.capture();
            assertThat(state.changedPages()).containsKey(PageSize.alignDown(demo.symbol("counter")));
            demo.image.restoreBase();
            assertThat(demo.call(nextId)).isEqualTo(43);
            demo.image.restore(state);
            assertThat(demo.call(nextId)).isEqualTo(45);
        }
    }
}
