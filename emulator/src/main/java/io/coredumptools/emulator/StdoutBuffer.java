package io.coredumptools.emulator;

import io.coredumptools.elfcore.symbols.Symbol;
import java.util.Optional;

/**
 * Where glibc's stdout buffer stands: stdout is usually a pipe or a file, so puts and printf fill the buffer
 * and write nothing until it fills. Comparing the write pointer before and after a call tells whether the
 * call printed anything that needs a flush to be seen, without paying for a flush after every call.
 */
final class StdoutBuffer {
    /** struct _IO_FILE on x86-64 glibc: _flags, then read ptr/end/base, then _IO_write_base, _IO_write_ptr. */
    private static final int WRITE_BASE_OFFSET = 0x20;

    private static final int WRITE_PTR_OFFSET = 0x28;
    /** More than any stdio buffer: a larger difference means the fields are not what they seem. */
    private static final long MAX_PENDING = 1 << 20;

    private final Emulator emulator;
    private final Optional<Long> stdoutVariable;

    StdoutBuffer(Emulator emulator) {
        this.emulator = emulator;
        this.stdoutVariable = emulator.symbols().lookup("stdout").map(Symbol::address);
    }

    /** Whether the program has a {@code stdout} variable to look at. */
    boolean knowsStdout() {
        return stdoutVariable.isPresent();
    }

    /**
     * The bytes written to stdout's buffer and not yet flushed, as {address, length}: in the crash image, what the
     * program printed before it crashed without a flush (stdout to a pipe or a file is fully buffered).
     */
    Optional<long[]> pendingBytes() {
        if (stdoutVariable.isEmpty()) {
            return Optional.empty();
        }
        try {
            long file = emulator.readLong(stdoutVariable.get());
            if (file == 0) {
                return Optional.empty();
            }
            long base = emulator.readLong(file + WRITE_BASE_OFFSET);
            long pointer = emulator.readLong(file + WRITE_PTR_OFFSET);
            long pending = pointer - base;
            return base != 0 && pending > 0 && pending <= MAX_PENDING
                    ? Optional.of(new long[] {base, pending})
                    : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** The write pointer of stdout's buffer, or 0 when it cannot be read (no glibc, stdout not set up). */
    long writePointer() {
        if (stdoutVariable.isEmpty()) {
            return 0;
        }
        try {
            long file = emulator.readLong(stdoutVariable.get());
            return file == 0 ? 0 : emulator.readLong(file + WRITE_PTR_OFFSET);
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }
}
