package io.coredumptools.emulator.nativeio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** The few libc calls we need, JNA direct-mapped; pointers are passed as {@code long}. */
final class LibC {
    static final int PROT_NONE = 0;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    /** No swap reservation: a 2 GiB image must not be charged against overcommit limits up front. */
    static final int MAP_NORESERVE = 0x4000;

    static final long MAP_FAILED = -1L;
    static final int MADV_DONTNEED = 4;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {}

    static native long mmap(long address, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(long address, long length) throws LastErrorException;

    static native int madvise(long address, long length, int advice) throws LastErrorException;

    static native int mprotect(long address, long length, int prot) throws LastErrorException;

    /** open(2) without O_CREAT, so the variadic mode argument is not passed. */
    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native String strerror(int errno);
}
