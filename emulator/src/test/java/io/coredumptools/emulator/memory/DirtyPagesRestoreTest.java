package io.coredumptools.emulator.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.nativeio.PageSize;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.emulator.unicorn.X86Register;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/** A capture finds every page dirtied by emulated stores, from 1 to 50,000, and a restore reverts them all (costs: the JMH harness). */
class DirtyPagesRestoreTest {
    private static final long REGION_SIZE = 256L << 20;

    @Test
    void measuresRestoreAndCaptureCost() throws Exception {
        try (DemoCore demo = DemoCore.open(Fixtures.get(Fixture.DEMO_PIE))) {
            long region = demo.image.findFreeRange(REGION_SIZE);
            demo.image.mapBaseAnonymous(region, REGION_SIZE, MemoryProtection.READ | MemoryProtection.WRITE);
            // loop: mov [rdi], rdi ; add rdi, 4096 ; dec rcx ; jnz loop
            byte[] code = {
                0x48,
                (byte) 0x89,
                0x3f,
                0x48,
                (byte) 0x81,
                (byte) 0xc7,
                0x00,
                0x10,
                0x00,
                0x00,
                0x48,
                (byte) 0xff,
                (byte) 0xc9,
                0x75,
                (byte) 0xf1
            };
            long codeAddress = demo.image.findFreeRange(PageSize.BYTES);
            demo.image.mapBaseAnonymous(codeAddress, PageSize.BYTES, MemoryProtection.READ | MemoryProtection.EXEC);
            demo.image.writeBase(codeAddress, code);
            for (int round = 0; round < 2; round++) {
                for (int pages : new int[] {1, 100, 10_000, 50_000}) {
                    demo.unicorn.writeRegister(X86Register.RDI, region);
                    demo.unicorn.writeRegister(X86Register.RCX, pages);
                    demo.unicorn.start(codeAddress, codeAddress + code.length, 0, 0);
                    MemoryState state = demo.image.capture();
                    assertThat(state.changedPages()).hasSizeGreaterThanOrEqualTo(pages);
                    demo.image.restoreBase();
                    assertThat(demo.image.read(region + (long) (pages - 1) * PageSize.BYTES, 8))
                            .containsOnly(0);
                }
            }
        }
    }
}
