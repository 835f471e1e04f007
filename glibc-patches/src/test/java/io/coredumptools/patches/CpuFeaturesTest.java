package io.coredumptools.patches;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Finding glibc's struct cpu_features without debug files; gdb with libc6-dbg says where it really is. */
class CpuFeaturesTest {

    @Test
    void foundInsideRtldGlobalRoOfADynamicProgramWhereGdbPutsIt() {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        try (CoreDump core = Cores.withoutDebugFiles(demo);
                CoreImageMemory memory = new CoreImageMemory(core)) {
            List<String> notes = new ArrayList<>();
            CpuFeaturesBlock block =
                    CpuFeatures.locate(core, memory, notes).orElseThrow(() -> new AssertionError(notes));
            String out = demo.gdb(
                    "p &_rtld_global_ro",
                    "p &_rtld_global_ro._dl_x86_cpu_features",
                    "p (int)_rtld_global_ro._dl_x86_cpu_features.basic.kind",
                    "p (int)_rtld_global_ro._dl_x86_cpu_features.basic.max_cpuid",
                    "p (int)_rtld_global_ro._dl_x86_cpu_features.basic.family",
                    "p (int)_rtld_global_ro._dl_x86_cpu_features.basic.model",
                    "p (int)_rtld_global_ro._dl_x86_cpu_features.basic.stepping");
            long rtldGlobalRo = Cores.hexAfter(out, "$1 = ");
            assertThat(block.address()).isEqualTo(Cores.hexAfter(out, "$2 = "));
            assertThat(block.kind()).isEqualTo(Cores.valueOf(out, 3));
            assertThat(block.maxCpuid()).isEqualTo(Cores.valueOf(out, 4));
            assertThat(block.family()).isEqualTo(Cores.valueOf(out, 5));
            assertThat(block.model()).isEqualTo(Cores.valueOf(out, 6));
            assertThat(block.stepping()).isEqualTo(Cores.valueOf(out, 7));
            // The layout assumption "cpu_features at the start of _rtld_global_ro" does not hold for glibc 2.36:
            assertThat(block.address() - rtldGlobalRo).isEqualTo(0x70);
            assertThat(block.container()).isEqualTo("_rtld_global_ro+0x70 (ld-linux-x86-64.so.2)");
            assertThat(block.length()).isEqualTo(0x200);
            assertThat(block.address() + block.length()).isLessThanOrEqualTo(rtldGlobalRo + 896);
        }
    }

    @Test
    void foundInAStaticExecutable() {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_STATIC);
        try (CoreDump core = Cores.withoutDebugFiles(demo);
                CoreImageMemory memory = new CoreImageMemory(core)) {
            List<String> notes = new ArrayList<>();
            Optional<CpuFeaturesBlock> block = CpuFeatures.locate(core, memory, notes);
            String out = demo.gdb("p &_dl_x86_cpu_features");
            assertThat(block).isPresent();
            assertThat(block.get().address()).isEqualTo(Cores.hexAfter(out, "$1 = "));
            assertThat(block.get().kind()).isBetween(1, 4);
        }
    }

    @Test
    void validationRejectsWhatIsNotCpuFeatures() {
        byte[] real = new byte[40];
        put(real, 0, 2, 0x1c, 0x19, 0x11, 1, 0xa10f11, 0x20800, 0xfffa3203, 0x178bfbff);
        assertThat(CpuFeatures.looksLikeCpuFeatures(real, 0)).isTrue();
        assertThat(CpuFeatures.looksLikeCpuFeatures(new byte[40], 0))
                .as("zeros")
                .isFalse();
        byte[] wrongFamily = real.clone();
        put(wrongFamily, 8, 0x17);
        assertThat(CpuFeatures.looksLikeCpuFeatures(wrongFamily, 0)).isFalse();
        byte[] noSse2 = real.clone();
        put(noSse2, 32, 0x178bfbff & ~(1 << 26));
        assertThat(CpuFeatures.looksLikeCpuFeatures(noSse2, 0)).isFalse();
        byte[] badKind = real.clone();
        put(badKind, 0, 7);
        assertThat(CpuFeatures.looksLikeCpuFeatures(badKind, 0)).isFalse();
        byte[] intel = new byte[40];
        // Skylake: leaf 1 eax 0x50654 → family 6, model 0x55, stepping 4.
        put(intel, 0, 1, 0x16, 6, 0x55, 4, 0x50654, 0, 0, 0x178bfbff);
        assertThat(CpuFeatures.looksLikeCpuFeatures(intel, 0)).isTrue();
    }

    private static void put(byte[] b, int at, int... values) {
        for (int i = 0; i < values.length; i++) {
            Bytes.putInt(b, at + 4 * i, values[i]);
        }
    }
}
