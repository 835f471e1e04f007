package io.coredumptools.patches;

/**
 * Runs code of the crashed process, implemented by the emulator. glibc-patches asks it to run IFUNC resolvers
 * (functions of no argument that return a code address).
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>{@code call} runs {@code functionAddress} with the System V x86-64 convention (integer arguments in
 *       rdi, rsi, rdx, rcx, r8, r9), on a scratch stack (16-byte aligned before the call, with a return address
 *       the emulator recognises), with the crashing thread's {@code fs_base} (resolvers may read the TLS block
 *       and the stack protector canary through fs), and returns rax when the function returns.</li>
 *   <li>It sees the memory as {@link ProcessMemory} shows it at the time of the call, including temporary
 *       writes made through that interface (the cpu_features block zeroed around a baseline run).</li>
 *   <li>Registers and memory the code changes need not be preserved for glibc-patches, but the code-translation
 *       cache must be consistent with memory (resolvers do not write code).</li>
 *   <li>It fails with {@link CodeRunException} instead of hanging: an instruction the emulator cannot run
 *       (e.g. {@code xgetbv}), an unmapped access, a syscall it does not emulate, or an instruction limit
 *       (resolvers run a few hundred instructions; 1,000,000 is a generous limit).</li>
 * </ul>
 */
public interface CodeRunner {
    /** Calls the function at {@code functionAddress} with up to six integer arguments and returns rax. */
    long call(long functionAddress, long... args) throws CodeRunException;
}
