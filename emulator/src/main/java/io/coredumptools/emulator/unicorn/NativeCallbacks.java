package io.coredumptools.emulator.unicorn;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/** The C callback signatures of unicorn.h and x86.h, as JNA callbacks. */
final class NativeCallbacks {
    private NativeCallbacks() {}

    /** {@code uc_cb_hookcode_t}. */
    interface Code extends Callback {
        void invoke(Pointer uc, long address, int size, Pointer userData);
    }

    /** {@code uc_cb_hookintr_t}. */
    interface Interrupt extends Callback {
        void invoke(Pointer uc, int interruptNumber, Pointer userData);
    }

    /** {@code uc_cb_insn_syscall_t}. */
    interface Syscall extends Callback {
        void invoke(Pointer uc, Pointer userData);
    }

    /** {@code uc_cb_hookmem_t}. */
    interface MemoryAccess extends Callback {
        void invoke(Pointer uc, int type, long address, int size, long value, Pointer userData);
    }

    /** {@code uc_cb_eventmem_t}; C bool is returned in the low byte of the int. */
    interface InvalidMemory extends Callback {
        boolean invoke(Pointer uc, int type, long address, int size, long value, Pointer userData);
    }
}
