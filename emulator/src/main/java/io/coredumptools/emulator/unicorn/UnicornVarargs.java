package io.coredumptools.emulator.unicorn;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Interface mapping for unicorn's variadic functions: JNA direct mapping cannot declare varargs, and
 * these are called rarely (hook setup, cache control), so the per-call cost does not matter.
 */
interface UnicornVarargs extends Library {
    UnicornVarargs INSTANCE = Native.load(UnicornNative.LIBRARY_NAME, UnicornVarargs.class);

    /** {@code uc_err uc_ctl(uc_engine *uc, uc_control_type control, ...)}. */
    int uc_ctl(Pointer uc, int control, Object... arguments);

    /**
     * {@code uc_err uc_hook_add(uc_engine *uc, uc_hook *hh, int type, void *callback, void *user_data,
     * uint64_t begin, uint64_t end, ...)}; the trailing argument is the instruction id for UC_HOOK_INSN.
     */
    int uc_hook_add(
            Pointer uc,
            long[] hookOut,
            int type,
            Callback callback,
            Pointer userData,
            long begin,
            long end,
            Object... extra);
}
