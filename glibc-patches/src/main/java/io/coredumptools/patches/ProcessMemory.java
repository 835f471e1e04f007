package io.coredumptools.patches;

import java.util.Optional;

/**
 * The memory of the emulated process as its code sees it: the core's data plus the mapped files (code, read-only
 * data). Implemented by the emulator over its live memory image; {@link CoreImageMemory} is a read-only stand-in
 * over a core and its files, for decisions that run no code.
 *
 * <p>Writes made here are temporary scratch changes (glibc-patches restores every byte it writes before
 * {@link GlibcPatches#plan} returns). They must bypass page protections (the cpu_features block lives in ld.so's
 * RELRO, read-only at run time) and must be visible to the {@link CodeRunner} at its next call. Nothing written
 * here is a patch: patches are returned in the {@link PatchPlan}, and the emulator applies them.
 */
public interface ProcessMemory {
    /** The {@code length} bytes at {@code address}, or empty when any of them is not mapped in the process. */
    Optional<byte[]> read(long address, int length);

    /** Writes {@code bytes} at {@code address}, ignoring page protections. */
    void write(long address, byte[] bytes);

    /** The little-endian 64-bit value at {@code address}. */
    default Optional<Long> readLong(long address) {
        return read(address, 8).map(Bytes::getLong);
    }

    /** The little-endian 32-bit value at {@code address}. */
    default Optional<Integer> readInt(long address) {
        return read(address, 4).map(b -> Bytes.getInt(b, 0));
    }
}
