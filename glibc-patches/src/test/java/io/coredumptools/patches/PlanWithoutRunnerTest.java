package io.coredumptools.patches;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.Hex;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What plan() decides when no code can run (as for {@code corestub info --patches} before the emulator starts). */
class PlanWithoutRunnerTest {

    @Test
    void lockEntriesAndLazyBindsAreDecidedAndDoNotOverlap() {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        try (CoreDump core = Cores.withoutDebugFiles(demo);
                CoreImageMemory memory = new CoreImageMemory(core)) {
            PatchPlan plan = GlibcPatches.plan(core, null, memory, PatchOptions.defaults());
            Patch spin = plan.patches(Patch.Kind.LOCK_ENTRY).stream()
                    .filter(p -> p.location().startsWith("pthread_spin_lock"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(plan.listing()));
            assertThat(Hex.of(spin.newBytes())).isEqualTo("c7070000000031c0c3");
            // The old bytes are libc's code at that address: "lock decl (%rdi)" (f0 ff 0f) first.
            assertThat(Hex.of(spin.oldBytes())).startsWith("f0ff0f");
            String gdb = demo.gdb("x/i 0x" + Long.toHexString(spin.address()));
            assertThat(gdb).contains("lock decl (%rdi)");
            assertThat(plan.patches(Patch.Kind.LOCK_ENTRY))
                    .extracting(Patch::location)
                    .anyMatch(l -> l.startsWith("pthread_rwlock_rdlock"))
                    .anyMatch(l -> l.startsWith("pthread_rwlock_unlock"));
            assertThat(plan.patches(Patch.Kind.LAZY_BIND)).isNotEmpty();
            List<Patch> sorted = plan.patches();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i).address())
                        .isGreaterThanOrEqualTo(
                                sorted.get(i - 1).address() + sorted.get(i - 1).length());
            }
            assertThat(plan.notes()).anyMatch(n -> n.contains("no code runner"));
            assertThat(plan.notes()).anyMatch(n -> n.contains("__x86_cacheinfo"));
            assertThat(plan.listing())
                    .contains("LOCK_ENTRY")
                    .contains("LAZY_BIND")
                    .contains("lock bypass on");
            // The vDSO's clock entries become system calls, named from the vDSO's own symbol table.
            assertThat(plan.patches(Patch.Kind.VDSO_SYSCALL))
                    .extracting(Patch::location)
                    .anyMatch(l -> l.startsWith("__vdso_clock_gettime"))
                    .anyMatch(l -> l.startsWith("__vdso_time"))
                    .anyMatch(l -> l.startsWith("__vdso_gettimeofday"));
            assertThat(plan.lockPolicy().bypass()).isTrue();
        }
    }

    @Test
    void optionsSwitchPatchesOff() {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_LAZY);
        try (CoreDump core = Cores.withoutDebugFiles(demo);
                CoreImageMemory memory = new CoreImageMemory(core)) {
            PatchPlan plan = GlibcPatches.plan(
                    core,
                    null,
                    memory,
                    PatchOptions.defaults()
                            .withLockBypass(false)
                            .withBindLazySlots(false)
                            .withVdsoSyscalls(false));
            assertThat(plan.patches()).isEmpty();
            assertThat(plan.lockPolicy().bypass()).isFalse();
            assertThat(plan.lazySlots()).isNotEmpty();
        }
    }

    @Test
    void staticExecutableHasNoLazySlotsAndItsIrelativesAreFound() {
        CoreFixture demo = Fixtures.get(Fixture.DEMO_STATIC);
        try (CoreDump core = Cores.withoutDebugFiles(demo);
                CoreImageMemory memory = new CoreImageMemory(core)) {
            PatchPlan plan = GlibcPatches.plan(core, null, memory, PatchOptions.defaults());
            assertThat(plan.lazySlots()).isEmpty();
            IfuncInventory inventory = IfuncInventory.scan(core, memory);
            long expected = Tools.relocations(demo.program()).stream()
                    .filter(r -> r.type().equals("R_X86_64_IRELATIVE"))
                    .count();
            assertThat(inventory.sites())
                    .hasSize((int) expected)
                    .allMatch(s -> s.kind() == IfuncSite.Kind.IRELATIVE && s.bound());
        }
    }
}
