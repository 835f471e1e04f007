package io.coredumptools.emulator.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.UnicornException;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryImageTest {
    private DemoCore demo;

    @BeforeEach
    void load() throws Exception {
        demo = DemoCore.open(Fixtures.get(Fixture.DEMO_PIE));
    }

    @AfterEach
    void close() {
        demo.close();
    }

    private static boolean isLibc(String path) {
        return Path.of(path).getFileName().toString().startsWith("libc.so");
    }

    private MappedRegion libcText() {
        return demo.mappingsOf(MemoryImageTest::isLibc).stream()
                .filter(r -> demo.image
                        .regionAt(r.mapping().start())
                        .map(i -> MemoryProtection.isExecutable(i.basePerms()))
                        .orElse(false))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void readsTheCoresDataThroughUnicorn() {
        int compared = 0;
        for (LoadSegment segment : demo.core.segments()) {
            if (segment.presentBytes() < 64
                    || demo.image.regionAt(segment.vaddr()).isEmpty()) {
                continue;
            }
            for (long address : new long[] {
                segment.vaddr(),
                segment.vaddr() + segment.presentBytes() - 64,
                segment.vaddr() + (segment.presentBytes() / 2 & -8)
            }) {
                ByteBuffer expected = demo.core.memory().read(address, 64).orElseThrow();
                byte[] bytes = new byte[64];
                expected.get(bytes);
                assertThat(demo.image.read(address, 64))
                        .as("bytes at 0x%x", address)
                        .containsExactly(bytes);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(20);
    }

    @Test
    void libcTextInTheImageEqualsTheLibraryFile() {
        // This kernel dumps text too; TruncatedCoreTest covers text served from the file itself.
        MappedRegion text = libcText();
        Path libc = text.file().path().orElseThrow();
        for (long address : new long[] {
            text.mapping().start(),
            text.mapping().start() + 0x1234,
            text.mapping().end() - 32
        }) {
            long offset =
                    text.mapping().fileOffset() + (address - text.mapping().start());
            assertThat(demo.image.read(address, 32))
                    .as("libc text at 0x%x", address)
                    .containsExactly(DemoCore.fileBytes(libc, offset, 32));
        }
    }

    @Test
    void runsAFunctionOfTheCrashedProgram() throws Exception {
        long sum8 = demo.symbol("sum8");
        // The last two arguments go on the stack; leave them zero. 1 + 2*2 + 3*3 + 4*4 + 5*5 + 6*6 = 91
        assertThat(demo.call(sum8, 1, 2, 3, 4, 5, 6)).isEqualTo(91);
    }

    @Test
    void restoringTheBaseRevertsEmulatedWritesToData() throws Exception {
        long nextId = demo.symbol("next_id");
        // main called next_id once before crashing: counter is 42 in the core.
        assertThat(demo.call(nextId)).isEqualTo(43);
        assertThat(demo.call(nextId)).isEqualTo(44);
        demo.image.restoreBase();
        // Unicorn's TLB keeps the host address, which madvise leaves in place: the emulated load sees the revert.
        assertThat(demo.call(nextId)).isEqualTo(43);
    }

    @Test
    void restoringTheBaseRevertsApiWritesToDataHeapAndText() throws Exception {
        long marker = demo.symbol("globals_marker");
        long listHead = DemoCore.readLong(demo.image.read(demo.symbol("list_head"), 8));
        long textAddress = libcText().mapping().start() + 0x2000;
        byte[] markerBefore = demo.image.read(marker, 8);
        byte[] heapBefore = demo.image.read(listHead, 16);
        byte[] textBefore = demo.image.read(textAddress, 4);
        assertThat(DemoCore.readLong(markerBefore)).isEqualTo(0x1122334455667788L);

        demo.image.write(marker, DemoCore.littleEndian(-1));
        demo.image.write(listHead, new byte[16]);
        demo.image.write(textAddress, new byte[] {(byte) 0xcc, (byte) 0xcc, (byte) 0xcc, (byte) 0xcc});
        assertThat(demo.image.read(textAddress, 4)).containsExactly(0xcc, 0xcc, 0xcc, 0xcc);
        demo.image.restoreBase();

        assertThat(demo.image.read(marker, 8)).containsExactly(markerBefore);
        assertThat(demo.image.read(listHead, 16)).containsExactly(heapBefore);
        assertThat(demo.image.read(textAddress, 4)).containsExactly(textBefore);
    }

    @Test
    void restoringTheBaseDropsTranslationsOfModifiedCode() throws Exception {
        long sum8 = demo.symbol("sum8");
        assertThat(demo.call(sum8, 1, 0, 0, 0, 0, 0)).isEqualTo(1);
        // mov eax, 42 ; ret
        demo.image.write(sum8, new byte[] {(byte) 0xb8, 42, 0, 0, 0, (byte) 0xc3});
        assertThat(demo.call(sum8, 1, 0, 0, 0, 0, 0)).isEqualTo(42);
        demo.image.restoreBase();
        // Without dropping the translation block, unicorn would still run "mov eax, 42".
        assertThat(demo.call(sum8, 1, 0, 0, 0, 0, 0)).isEqualTo(1);
    }

    @Test
    void basePatchesSurviveRestores() throws Exception {
        long sum8 = demo.symbol("sum8");
        demo.image.writeBase(sum8, new byte[] {(byte) 0xb8, 7, 0, 0, 0, (byte) 0xc3});
        assertThat(demo.call(sum8)).isEqualTo(7);
        demo.image.write(sum8 + 1, new byte[] {9});
        assertThat(demo.call(sum8)).isEqualTo(9);
        demo.image.restoreBase();
        assertThat(demo.call(sum8)).isEqualTo(7);
        demo.image.restoreBase();
        assertThat(demo.call(sum8)).isEqualTo(7);
    }

    @Test
    void anonymousRegionsCreatedAfterTheBaseAreGoneAfterRestore() {
        long scratch = demo.image.allocateAnonymous(3 * PageSize.BYTES, MemoryProtection.READ | MemoryProtection.WRITE);
        demo.image.write(scratch + 8, new byte[] {5});
        assertThat(demo.image.read(scratch, 16)[8]).isEqualTo((byte) 5);
        assertThat(demo.image.regionAt(scratch)).isPresent();
        demo.image.restoreBase();
        assertThat(demo.image.regionAt(scratch)).isEmpty();
        assertThat(demo.unicorn.regions()).noneMatch(r -> r.begin() == scratch);
        assertThatThrownBy(() -> demo.image.read(scratch, 8))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("0x" + Long.toHexString(scratch) + " was not mapped");
        // The same range can be used again, and reads zeros.
        demo.image.mapAnonymous(scratch, PageSize.BYTES, MemoryProtection.READ | MemoryProtection.WRITE);
        assertThat(demo.image.read(scratch, 16)).containsOnly(0);
    }

    @Test
    void anonymousRegionsMustNotOverlapTheCore() {
        long start = demo.core.segments().get(0).vaddr();
        assertThatThrownBy(() -> demo.image.mapAnonymous(start, PageSize.BYTES, MemoryProtection.READ))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlaps");
    }

    @Test
    void protectionChangesAreUndoneByRestores() {
        MappedRegion text = libcText();
        long page = text.mapping().start();
        demo.image.protect(page, PageSize.BYTES, MemoryProtection.READ);
        assertThat(demo.unicorn.regions()).anyMatch(r -> r.begin() == page && r.perms() == MemoryProtection.READ);
        demo.image.restoreBase();
        assertThat(demo.unicorn.regions())
                .anyMatch(r -> r.begin() <= page
                        && page < r.end()
                        && r.perms() == (MemoryProtection.READ | MemoryProtection.EXEC));
    }

    @Test
    void namedSnapshotsRestoreMemoryRegionsAndRegisters() throws Exception {
        long nextId = demo.symbol("next_id");
        try (Snapshots snapshots = new Snapshots(demo.image)) {
            snapshots.markBase();
            assertThat(demo.call(nextId)).isEqualTo(43);
            long scratch = demo.image.allocateAnonymous(PageSize.BYTES, MemoryProtection.READ | MemoryProtection.WRITE);
            demo.image.write(scratch, new byte[] {1, 2, 3});
            long textAddress = libcText().mapping().start() + 0x3000;
            byte[] text = demo.image.read(textAddress, 1);
            demo.image.write(textAddress, new byte[] {(byte) 0xcc});
            Snapshot saved = snapshots.save("after-one-call");
            assertThat(saved.memory().changedPages()).containsKeys(scratch, PageSize.alignDown(textAddress));

            assertThat(demo.call(nextId)).isEqualTo(44);
            demo.image.write(scratch, new byte[] {9, 9, 9});
            snapshots.restore("after-one-call");
            assertThat(demo.call(nextId)).isEqualTo(44);
            snapshots.restore("after-one-call");
            assertThat(demo.image.read(scratch, 3)).containsExactly(1, 2, 3);
            assertThat(demo.image.read(textAddress, 1)).containsExactly(0xcc);

            snapshots.restoreBase();
            assertThat(demo.image.regionAt(scratch)).isEmpty();
            assertThat(demo.image.read(textAddress, 1)).containsExactly(text);
            assertThat(demo.call(nextId)).isEqualTo(43);

            assertThat(snapshots.list()).containsExactly("after-one-call");
            assertThat(snapshots.delete("after-one-call")).isTrue();
            assertThat(snapshots.list()).isEmpty();
        }
    }

    @Test
    void snapshotsRestoreRegisters() {
        try (Snapshots snapshots = new Snapshots(demo.image)) {
            demo.unicorn.writeRegister(io.coredumptools.emulator.unicorn.X86Register.RBX, 1);
            snapshots.markBase();
            demo.unicorn.writeRegister(io.coredumptools.emulator.unicorn.X86Register.RBX, 2);
            snapshots.save("two");
            demo.unicorn.writeRegister(io.coredumptools.emulator.unicorn.X86Register.RBX, 3);
            snapshots.restore("two");
            assertThat(demo.unicorn.readRegister(io.coredumptools.emulator.unicorn.X86Register.RBX))
                    .isEqualTo(2);
            snapshots.restoreBase();
            assertThat(demo.unicorn.readRegister(io.coredumptools.emulator.unicorn.X86Register.RBX))
                    .isEqualTo(1);
        }
    }

    @Test
    void describesWhereAddressesComeFrom() throws Exception {
        long marker = demo.symbol("globals_marker");
        assertThat(demo.image.describe(marker)).contains("is mapped").contains("core");
        assertThat(demo.image.describe(libcText().mapping().start())).contains("is mapped");
        assertThat(demo.image.describe(0x1000)).isEqualTo("0x1000 was not mapped in the process");
    }

    @Test
    void unicornErrorsInReadsAreExplained() {
        assertThatThrownBy(() -> demo.image.read(0x1000, 8))
                .isInstanceOf(MemoryAccessException.class)
                .hasCauseInstanceOf(UnicornException.class);
    }

    @Test
    void everyRegionIsPageAligned() {
        List<ImageRegion> regions = demo.image.regions();
        assertThat(regions).isNotEmpty().allMatch(r -> PageSize.isAligned(r.start()) && PageSize.isAligned(r.end()));
    }
}
