package io.coredumptools.emulator.unicorn;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * JNA direct mapping of the libunicorn.so.2 functions with fixed argument lists. Direct mapping
 * ({@link Native#register}) costs far less per call than interface mapping (about 3.8 µs per call,
 * NOTES.md), which matters for register and memory access done once per emulated call or more.
 * Variadic functions (uc_ctl, uc_hook_add) cannot be directly mapped: see {@link UnicornVarargs}.
 */
final class UnicornNative {
    /** Debian's libunicorn2 ships only the versioned name; the unversioned one needs the -dev package. */
    static final String LIBRARY_NAME = "libunicorn.so.2";

    static {
        Native.register(UnicornNative.class, NativeLibrary.getInstance(LIBRARY_NAME));
    }

    private UnicornNative() {}

    static native int uc_open(int arch, int mode, long[] engineOut);

    static native int uc_close(Pointer uc);

    static native Pointer uc_strerror(int code);

    static native int uc_version(Pointer major, Pointer minor);

    static native int uc_mem_map(Pointer uc, long address, long size, int perms);

    static native int uc_mem_map_ptr(Pointer uc, long address, long size, int perms, long hostPointer);

    static native int uc_mem_unmap(Pointer uc, long address, long size);

    static native int uc_mem_protect(Pointer uc, long address, long size, int perms);

    static native int uc_mem_read(Pointer uc, long address, byte[] bytes, long size);

    static native int uc_mem_write(Pointer uc, long address, byte[] bytes, long size);

    static native int uc_mem_regions(Pointer uc, long[] regionsOut, int[] countOut);

    static native int uc_free(Pointer memory);

    static native int uc_reg_read(Pointer uc, int regid, long[] value);

    static native int uc_reg_write(Pointer uc, int regid, long[] value);

    /** For registers wider than 64 bits (XMM: 16 bytes, ST: 10 bytes). */
    static native int uc_reg_read(Pointer uc, int regid, byte[] value);

    static native int uc_reg_write(Pointer uc, int regid, byte[] value);

    static native int uc_reg_read_batch(Pointer uc, Pointer regids, Pointer valuePointers, int count);

    static native int uc_reg_write_batch(Pointer uc, Pointer regids, Pointer valuePointers, int count);

    static native int uc_emu_start(Pointer uc, long begin, long until, long timeoutMicros, long count);

    static native int uc_emu_stop(Pointer uc);

    static native int uc_hook_del(Pointer uc, long hook);

    /**
     * {@code uc_hook_add} for a hook type that takes no variadic argument (all but UC_HOOK_INSN), directly
     * mapped: JNA then calls the callback directly too, with its primitive arguments unboxed, several times faster
     * than through interface mapping (measured for the translation guard, which is called on every code fetch of
     * a translation). Calling the variadic C function through a fixed prototype of integer and pointer arguments is
     * what the x86-64 calling convention allows.
     */
    static native int uc_hook_add(
            Pointer uc,
            long[] hookOut,
            int type,
            NativeCallbacks.InvalidMemory callback,
            Pointer userData,
            long begin,
            long end);

    static native int uc_context_alloc(Pointer uc, long[] contextOut);

    static native int uc_context_save(Pointer uc, Pointer context);

    static native int uc_context_restore(Pointer uc, Pointer context);

    static native int uc_context_free(Pointer context);
}
