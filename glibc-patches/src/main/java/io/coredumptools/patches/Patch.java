package io.coredumptools.patches;

import io.coredumptools.elfcore.Hex;
import java.util.Arrays;

/**
 * One change to the process image, decided here and applied by the emulator at load: write {@link #newBytes} at
 * {@link #address} when the bytes there equal {@link #oldBytes} (skip it with a warning otherwise), as a
 * permanent part of the base image (kept across the restore after each call), then drop any translated code of
 * those bytes.
 *
 * @param kind     what the patch is
 * @param address  run-time address of the first byte
 * @param oldBytes the bytes expected there now
 * @param newBytes the bytes to write (same length as oldBytes)
 * @param location the address symbolized: {@code __strlen_evex (libc.so.6+0x167ac0)}, or a module offset
 * @param from     what was there: a target address with its name, or "lock entry"
 * @param to       what replaces it
 * @param reason   why, in a sentence
 */
public record Patch(
        Kind kind,
        long address,
        byte[] oldBytes,
        byte[] newBytes,
        String location,
        String from,
        String to,
        String reason) {

    public enum Kind {
        /** A jump at an IFUNC variant's entry to the baseline variant. */
        CODE_REDIRECT,
        /** A GOT slot or data word holding an IFUNC variant, rewritten to the baseline variant. */
        GOT_SLOT,
        /** A lazy JUMP_SLOT bound up front, as ld.so would bind it at the first call. */
        LAZY_BIND,
        /** A lock function's entry replaced so it cannot spin or block (lock bypass). */
        LOCK_ENTRY,
        /** A vDSO clock function turned into its system call (the core has no vvar page). */
        VDSO_SYSCALL
    }

    public Patch {
        if (oldBytes.length != newBytes.length) {
            throw new IllegalArgumentException(
                    "old and new bytes differ in length: " + oldBytes.length + " vs " + newBytes.length);
        }
        oldBytes = oldBytes.clone();
        newBytes = newBytes.clone();
    }

    @Override
    public byte[] oldBytes() {
        return oldBytes.clone();
    }

    @Override
    public byte[] newBytes() {
        return newBytes.clone();
    }

    public int length() {
        return newBytes.length;
    }

    /** One line for {@code corestub info --patches}. */
    public String describe() {
        return String.format("%-13s %s %s: %s -> %s (%s)", kind, Hex.address(address), location, from, to, reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Patch p
                && kind == p.kind
                && address == p.address
                && Arrays.equals(oldBytes, p.oldBytes)
                && Arrays.equals(newBytes, p.newBytes)
                && location.equals(p.location)
                && from.equals(p.from)
                && to.equals(p.to)
                && reason.equals(p.reason);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Arrays.hashCode(newBytes);
    }

    @Override
    public String toString() {
        return describe() + " [" + Hex.of(oldBytes) + " -> " + Hex.of(newBytes) + "]";
    }
}
