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
    private static final int WRITE_PTR_OFFSET = 0x28;

    private final Emulator emulator;
    private final Optional<Long> stdoutVariable;

    StdoutBuffer(Emulator emulator) {
        this.emulator = emulator;
        this.stdoutVariable = emulator.symbols().lookup("stdout").map(Symbol::address);
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
