/**
 * Decides what is patched in a core's image so glibc and the program run in the Unicorn 2.0.1 emulator; the
 * emulator applies it. Depends on elfcore only; knows nothing of Unicorn.
 *
 * <h2>Entry point</h2>
 * {@link io.coredumptools.patches.GlibcPatches#plan GlibcPatches.plan(core, runner, memory, options)} returns a
 * {@link io.coredumptools.patches.PatchPlan}: the patches, the per-IFUNC report, the lazy slots, the cpu_features
 * block used, the {@link io.coredumptools.patches.LockPolicy} and notes on what was skipped.
 * {@link io.coredumptools.patches.PatchPlan#listing()} is the text of {@code corestub info --patches}.
 *
 * <h2>What the emulator implements and does</h2>
 * <ol>
 *   <li>{@link io.coredumptools.patches.ProcessMemory} over its live image (reads of code and data; writes that
 *       ignore page protections and reach the next code run).</li>
 *   <li>{@link io.coredumptools.patches.CodeRunner}: run a function to its return on a scratch stack with the
 *       crashing thread's fs_base, returning rax, failing (not hanging) on invalid instructions, faults or an
 *       instruction limit.</li>
 *   <li>Order at load: map the image; capture its memory state; {@code plan(...)}; restore the state; apply each
 *       {@link io.coredumptools.patches.Patch} to the base image when the bytes at its address equal
 *       {@code oldBytes} (else skip with a warning); flush translated code of patched pages.</li>
 *   <li>Its futex emulation consults {@link io.coredumptools.patches.PatchPlan#lockPolicy()} for a wait that can
 *       never be woken, and does what the {@link io.coredumptools.patches.LockPolicy.FutexDecision} says.</li>
 * </ol>
 * Without a runner ({@code runner == null}) the plan has no IFUNC redirects and leaves IFUNC lazy slots unbound,
 * with notes: usable for reports.
 */
package io.coredumptools.patches;
