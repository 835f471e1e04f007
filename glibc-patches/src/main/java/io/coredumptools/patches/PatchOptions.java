package io.coredumptools.patches;

/**
 * What to patch.
 *
 * @param ifuncBaseline redirect IFUNC variants the CPU chose (AVX2, EVEX, ...) to the baseline variants
 * @param bindLazySlots bind every lazy JUMP_SLOT up front, so ld.so's xsavec trampoline never runs
 * @param lockBypass    a call that needs a lock another (stopped) thread holds takes it anyway: futex waits steal
 *                      the lock word, spinlock and rwlock entries are patched; off: such a call stops with a report
 * @param vdsoSyscalls  turn the vDSO's clock functions into system calls (the core has no vvar page to read)
 */
public record PatchOptions(boolean ifuncBaseline, boolean bindLazySlots, boolean lockBypass, boolean vdsoSyscalls) {
    public static PatchOptions defaults() {
        return new PatchOptions(true, true, true, true);
    }

    public PatchOptions withLockBypass(boolean on) {
        return new PatchOptions(ifuncBaseline, bindLazySlots, on, vdsoSyscalls);
    }

    public PatchOptions withIfuncBaseline(boolean on) {
        return new PatchOptions(on, bindLazySlots, lockBypass, vdsoSyscalls);
    }

    public PatchOptions withBindLazySlots(boolean on) {
        return new PatchOptions(ifuncBaseline, on, lockBypass, vdsoSyscalls);
    }

    public PatchOptions withVdsoSyscalls(boolean on) {
        return new PatchOptions(ifuncBaseline, bindLazySlots, lockBypass, on);
    }
}
