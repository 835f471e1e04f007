package io.coredumptools.patches;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binding lazy JUMP_SLOTs as ld.so would, from .dynsym and versions only; gdb and ld.so's own bindings check it. */
class LazySlotsTest {

    @Test
    void cbrtIsUnboundAndBindsWhereGdbSaysCbrtIs() {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_LAZY);
        try (CoreDump core = Cores.withoutDebugFiles(demo);
                CoreImageMemory memory = new CoreImageMemory(core)) {
            List<LazySlot> slots = LazySlots.scan(core, memory);
            LazySlot cbrt = slots.stream()
                    .filter(s -> s.module().equals("demo") && s.symbol().equals("cbrt@GLIBC_2.2.5"))
                    .findFirst()
                    .orElseThrow();
            String out = demo.gdb("p &cbrt", "x/ga 0x" + Long.toHexString(cbrt.slot()));
            assertThat(cbrt.bound()).isFalse();
            assertThat(cbrt.ifunc()).isFalse();
            assertThat(cbrt.definition()).contains("cbrt@@GLIBC_2.2.5 in libm.so.6");
            assertThat(cbrt.target()).contains(Cores.hexAfter(out, "$1 = "));
            assertThat(out).contains("<cbrt@got.plt>:");
            // Still the PLT stub in the core: the first call would enter ld.so's trampoline.
            assertThat(Cores.hexAfter(out, "<cbrt@got.plt>:"))
                    .isEqualTo(cbrt.value().orElseThrow());

            PatchPlan plan = GlibcPatches.plan(core, null, memory, PatchOptions.defaults());
            Patch bind = plan.patches(Patch.Kind.LAZY_BIND).stream()
                    .filter(p -> p.address() == cbrt.slot())
                    .findFirst()
                    .orElseThrow();
            assertThat(Bytes.getLong(bind.newBytes())).isEqualTo(Cores.hexAfter(out, "$1 = "));
            assertThat(Bytes.getLong(bind.oldBytes())).isEqualTo(cbrt.value().orElseThrow());
        }
    }

    /** Every slot ld.so has already bound is ground truth for the symbol resolution: the computed target must match. */
    @Test
    void boundSlotsHoldExactlyWhatTheResolutionComputes() {
        for (Fixture f : List.of(Fixture.DEMO_LAZY, Fixture.DEMO_PIE, Fixture.DEMO_NO_PIE)) {
            try (CoreDump core = Cores.withoutDebugFiles(Fixtures.get(f));
                    CoreImageMemory memory = new CoreImageMemory(core)) {
                List<LazySlot> bound = LazySlots.scan(core, memory).stream()
                        .filter(LazySlot::bound)
                        .filter(s -> !s.ifunc())
                        .toList();
                assertThat(bound).as(f.name()).hasSizeGreaterThan(5);
                for (LazySlot s : bound) {
                    assertThat(s.target()).as(f + " " + s).isEqualTo(s.value());
                }
                assertThat(LazySlots.scan(core, memory))
                        .as(f + ": every symbol has a definition")
                        .allSatisfy(
                                s -> assertThat(s.definition()).as(s.toString()).isPresent());
            }
        }
    }
}
