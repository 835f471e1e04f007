package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.emulator.memory.ImageRegion;
import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.emulator.memory.RegionLifetime;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.testkit.Fixture;
import org.junit.jupiter.api.Test;

/** Memory a debugger keeps for itself (lldb's {@code _M}, or the mmap it had the process make): survives restores. */
class DebuggerMemoryTest {
    private static final byte[] CODE = {(byte) 0xb8, 0x2a, 0, 0, 0, (byte) 0xc3}; // mov eax, 42; ret

    @Test
    void allocationsSurviveRestoresAndSnapshotRestores() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            long rx = emu.allocate(0x1000, MemoryProtection.READ | MemoryProtection.EXEC);
            long rw = emu.allocate(100, MemoryProtection.READ | MemoryProtection.WRITE);
            assertThat(rw).isNotEqualTo(rx);
            for (long a : new long[] {rx, rw}) {
                assertThat(emu.core().segments())
                        .noneMatch(
                                s -> Long.compareUnsigned(a, s.vaddr()) >= 0 && Long.compareUnsigned(a, s.end()) < 0);
            }
            ImageRegion region = emu.regions().stream()
                    .filter(r -> r.start() == rx)
                    .findFirst()
                    .orElseThrow();
            assertThat(region.basePerms()).isEqualTo(MemoryProtection.READ | MemoryProtection.EXEC);
            assertThat(region.lifetime()).isEqualTo(RegionLifetime.PERSISTENT);
            emu.write(rx, CODE);
            emu.saveSnapshot("s");
            emu.restoreCrashImage();
            assertThat(emu.read(rx, CODE.length)).isEqualTo(CODE);
            emu.restoreSnapshot("s");
            assertThat(emu.call(rx).asInt()).isEqualTo(42); // executable, and calls keep it too
            assertThat(emu.read(rx, CODE.length)).isEqualTo(CODE);

            assertThat(emu.deallocate(rx + 1)).isFalse();
            assertThat(emu.deallocate(rx)).isTrue();
            assertThatThrownBy(() -> emu.read(rx, 1)).isInstanceOf(MemoryAccessException.class);
            assertThat(emu.deallocate(rx)).isFalse();
        }
    }

    @Test
    void anMmapTheDebuggerKeepsSurvivesRestoresOthersDoNot() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            emu.setKeepState(true);
            long kept = mmap(emu);
            long dropped = mmap(emu);
            emu.write(kept, CODE);
            assertThat(emu.keepMapping(kept)).isTrue();
            assertThat(emu.keepMapping(kept)).isFalse();
            assertThat(emu.keepMapping(kept + 8)).isFalse();
            emu.restoreCrashImage();
            assertThat(emu.read(kept, CODE.length)).isEqualTo(CODE);
            assertThatThrownBy(() -> emu.read(dropped, 1)).isInstanceOf(MemoryAccessException.class);
            // munmap from a later call leaves it alone: it is no longer the calls' memory
            emu.call("munmap", Argument.of(kept), Argument.of(0x1000));
            assertThat(emu.read(kept, CODE.length)).isEqualTo(CODE);
            assertThat(emu.deallocate(kept)).isTrue();
        }
    }

    @Test
    void deallocateLeavesScratchMemoryAlone() throws Exception {
        try (Emulator emu = TestEmulators.open(Fixture.DEMO_PIE)) {
            long address;
            try (ScratchMemory scratch = emu.reserve(16)) {
                address = scratch.address();
                long name = scratch.writeCString("scratch");
                assertThat(name).isEqualTo(scratch.address());
                assertThat(emu.deallocate(scratch.address())).isFalse();
                assertThat(emu.read(scratch.address(), 8))
                        .isEqualTo("scratch\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(emu.regions()).anyMatch(r -> r.start() == scratch.address());
                emu.restoreCrashImage();
                assertThat(emu.read(scratch.address(), 8))
                        .isEqualTo("scratch\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            assertThatThrownBy(() -> emu.read(address, 1)).isInstanceOf(MemoryAccessException.class);
            assertThat(emu.deallocate(address)).isFalse();
        }
    }

    private static long mmap(Emulator emu) throws CallFailedException {
        long address = emu.call(
                        "mmap",
                        Argument.of(0L),
                        Argument.of(0x1000L),
                        Argument.of(7L),
                        Argument.of(0x22L),
                        Argument.of(-1L),
                        Argument.of(0L))
                .rax();
        assertThat(address).isPositive();
        return address;
    }
}
