package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.emulator.memory.MemoryLimits;
import io.coredumptools.emulator.memory.ResourceLimitException;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The primitives the call model builds on: base writes that survive restores, what changed since the last
 * restore, and the per-engine limits.
 */
class BaseAndChangesTest {
    private static Emulator open(MemoryLimits limits) throws Exception {
        return Emulator.open(
                Fixtures.get(Fixture.DEMO_PIE).core(),
                EmulatorOptions.defaults().withBudget(TestEmulators.GENEROUS).withLimits(limits));
    }

    private static long counter(Emulator emu) {
        return emu.symbols().lookup("counter").orElseThrow().address();
    }

    @Test
    void aBaseWriteSurvivesRestoresAnOrdinaryWriteDoesNot() throws Exception {
        try (Emulator emu = open(MemoryLimits.defaults())) {
            emu.writeBase(counter(emu), LittleEndian.ofInt(100));
            assertThat(emu.call("next_id").asInt()).isEqualTo(101);
            assertThat(emu.call("next_id").asInt())
                    .as("each call starts from the base")
                    .isEqualTo(101);
            emu.restoreCrashImage();
            assertThat(LittleEndian.i32(emu.read(counter(emu), 4), 0)).isEqualTo(100);
            emu.write(counter(emu), LittleEndian.ofInt(7));
            assertThat(emu.call("next_id").asInt())
                    .as("the ordinary write was undone")
                    .isEqualTo(101);
        }
    }

    @Test
    void aBaseWriteToReadOnlyMemorySurvivesAnOrdinaryWriteOnTheSamePage() throws Exception {
        try (Emulator emu = open(MemoryLimits.defaults())) {
            long text = emu.resolveFunction("next_id");
            byte[] original = emu.read(text + 64, 8);
            emu.writeBase(text + 64, new byte[] {1, 2, 3, 4});
            emu.write(text + 68, new byte[] {9, 9, 9, 9});
            emu.restoreCrashImage();
            byte[] after = emu.read(text + 64, 8);
            assertThat(after).startsWith(1, 2, 3, 4);
            assertThat(java.util.Arrays.copyOfRange(after, 4, 8))
                    .containsExactly(java.util.Arrays.copyOfRange(original, 4, 8));
        }
    }

    @Test
    void theBaseWriteLimitIsEnforcedWithAClearError() throws Exception {
        try (Emulator emu = open(new MemoryLimits(8L << 30, 1L << 30, 4096, 64, 1L << 30))) {
            long heap =
                    emu.readLong(emu.symbols().lookup("list_head").orElseThrow().address());
            long page = heap & ~0xfffL;
            emu.writeBase(page + 16, new byte[] {1});
            emu.writeBase(page + 32, new byte[] {2}); // the same page: no more held
            assertThatThrownBy(() -> emu.writeBase(page + 8192, new byte[] {3}))
                    .isInstanceOfSatisfying(ResourceLimitException.class, e -> {
                        assertThat(e.limit()).isEqualTo("base write bytes");
                        assertThat(e.getMessage()).contains("4096").contains("restore");
                    });
        }
    }

    @Test
    void writtenSinceRestoreSeesCallsAndApiWritesButNotBaseWrites() throws Exception {
        try (Emulator emu = open(MemoryLimits.defaults())) {
            long c = counter(emu);
            long list =
                    emu.readLong(emu.symbols().lookup("list_head").orElseThrow().address());
            assertThat(emu.writtenSinceRestore(c)).isFalse();
            emu.writeBase(c, LittleEndian.ofInt(100));
            assertThat(emu.writtenSinceRestore(c))
                    .as("a base write is not a change")
                    .isFalse();
            emu.call("next_id");
            assertThat(emu.writtenSinceRestore(c)).as("the call wrote counter").isTrue();
            assertThat(emu.writtenSinceRestore(list))
                    .as("nothing wrote the list")
                    .isFalse();
            emu.restoreCrashImage();
            assertThat(emu.writtenSinceRestore(c)).isFalse();
            emu.write(list, new byte[] {1});
            assertThat(emu.writtenSinceRestore(list)).isTrue();
            assertThat(emu.writtenSinceRestore(0x10)).as("unmapped").isFalse();
        }
    }

    @Test
    void createdSinceRestoreTellsTheCallsMemoryFromTheCores() throws Exception {
        try (Emulator emu = open(MemoryLimits.defaults())) {
            long heapBlock =
                    emu.readLong(emu.symbols().lookup("gp").orElseThrow().address());
            long block = emu.call("malloc", Argument.of(1 << 20)).rax();
            assertThat(emu.createdSinceRestore(block)).isTrue();
            assertThat(emu.createdSinceRestore(heapBlock)).isFalse();
            assertThat(emu.createdBytes()).isGreaterThanOrEqualTo(1 << 20);
            emu.restoreCrashImage();
            assertThat(emu.createdSinceRestore(block)).isFalse();
            assertThat(emu.createdBytes()).isZero();
        }
    }

    @Test
    void callsCannotMapMoreThanTheirLimitAndGetNullFromMalloc() throws Exception {
        try (Emulator emu = open(new MemoryLimits(16L << 20, 1L << 30, 64L << 20, 64, 1L << 30))) {
            assertThat(emu.call("malloc", Argument.of(8L << 20)).rax()).isNotZero();
            assertThat(emu.call("malloc", Argument.of(32L << 20)).rax())
                    .as("past the 16 MiB limit")
                    .isZero();
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
        }
    }

    @Test
    void snapshotsAreLimitedInNumberAndBytes() throws Exception {
        try (Emulator emu = open(new MemoryLimits(8L << 30, 1L << 30, 64L << 20, 2, 64L << 10))) {
            emu.setKeepState(true);
            emu.call("next_id");
            emu.saveSnapshot("a");
            emu.saveSnapshot("b");
            emu.saveSnapshot("a"); // replacing one is fine
            assertThatThrownBy(() -> emu.saveSnapshot("c"))
                    .isInstanceOfSatisfying(
                            ResourceLimitException.class,
                            e -> assertThat(e.limit()).isEqualTo("snapshots"));
            emu.deleteSnapshot("b");
            long block = emu.call("malloc", Argument.of(1 << 20)).rax();
            emu.call("memset", Argument.of(block), Argument.of(1), Argument.of(1 << 20));
            assertThatThrownBy(() -> emu.saveSnapshot("big"))
                    .isInstanceOfSatisfying(
                            ResourceLimitException.class,
                            e -> assertThat(e.limit()).isEqualTo("snapshot bytes"));
            assertThat(emu.snapshots()).containsExactly("a");
        }
    }

    @Test
    void debuggerAllocationsAreLimited() throws Exception {
        try (Emulator emu = open(new MemoryLimits(8L << 30, 1L << 20, 64L << 20, 64, 1L << 30))) {
            long a = emu.allocate(512 << 10, 3);
            assertThatThrownBy(() -> emu.allocate(1 << 20, 3))
                    .isInstanceOfSatisfying(
                            ResourceLimitException.class,
                            e -> assertThat(e.limit()).isEqualTo("debugger allocation bytes"));
            assertThat(emu.deallocate(a)).isTrue();
            assertThat(emu.allocate(1 << 20, 3)).isNotZero();
        }
    }

    @Test
    @Timeout(30)
    void writesAtTheTopOfTheAddressSpaceFailQuickly() throws Exception {
        try (Emulator emu = open(MemoryLimits.defaults())) {
            assertThatThrownBy(() -> emu.write(0xffff_ffff_ffff_f000L, new byte[1]))
                    .isInstanceOf(MemoryAccessException.class);
            assertThatThrownBy(() -> emu.write(0xffff_ffff_ffff_efffL, new byte[2]))
                    .isInstanceOf(MemoryAccessException.class);
            assertThatThrownBy(() -> emu.read(0xffff_ffff_ffff_fff0L, 16)).isInstanceOf(MemoryAccessException.class);
            emu.restoreCrashImage();
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
        }
    }
}
