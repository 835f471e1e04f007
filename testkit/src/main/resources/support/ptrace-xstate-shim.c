/*
 * ptrace-xstate-shim.c - preloaded into gdb and gdbserver 13 when they debug a live process, so that
 * inferior calls work on CPUs with AMX (Intel Sapphire Rapids and later).
 *
 * Linux accepts PTRACE_SETREGSET NT_X86_XSTATE only with a buffer of exactly the kernel's whole user
 * XSAVE size (arch/x86/kernel/fpu/regset.c: "count != fpu_user_cfg.max_size" gives EFAULT). gdb 13
 * sizes its buffer from the XSAVE components it knows (x87 .. AVX-512, PKRU: 2696 bytes); with AMX the
 * kernel's size is about 11 KiB, so every register write outside the general registers fails ("Couldn't
 * write extended state status: Bad address") and every inferior call with it. gdb 14 sizes the buffer
 * from CPUID instead.
 *
 * Here a short write is widened: the whole state is read with a big buffer, gdb's bytes (which are a
 * prefix of the same standard-format layout) are laid over it, and the whole state is written back. On
 * CPUs where gdb's size is already the kernel's, the call passes through unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

typedef long (*ptrace_function)(enum __ptrace_request, pid_t, void *, void *);

long ptrace(enum __ptrace_request request, ...) {
    va_list arguments;
    va_start(arguments, request);
    pid_t pid = va_arg(arguments, pid_t);
    void *address = va_arg(arguments, void *);
    void *data = va_arg(arguments, void *);
    va_end(arguments);

    static ptrace_function real_ptrace;
    if (real_ptrace == NULL) {
        real_ptrace = (ptrace_function)dlsym(RTLD_NEXT, "ptrace");
    }
    if (request == PTRACE_SETREGSET && (long)address == NT_X86_XSTATE && data != NULL) {
        struct iovec *given = data;
        static char whole[1 << 16];
        struct iovec all = {whole, sizeof whole};
        if (real_ptrace(PTRACE_GETREGSET, pid, address, &all) == 0 && all.iov_len > given->iov_len) {
            memcpy(whole, given->iov_base, given->iov_len);
            return real_ptrace(PTRACE_SETREGSET, pid, address, &all);
        }
    }
    return real_ptrace(request, pid, address, data);
}
