package io.coredumptools.patches;

import io.coredumptools.elfcore.CoreDump;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ProcessMemory} over a core alone, for decisions that run no code and for reports
 * ({@code corestub info --patches}): the core's data where it has it, else the bytes of the file the core
 * shows mapped there (code and read-only data, which kernel cores leave out). Writes go to an overlay in this
 * object, never to a file. Not thread-safe.
 */
public final class CoreImageMemory implements ProcessMemory, AutoCloseable {
    private final CoreDump core;
    private final Map<Long, Byte> overlay = new HashMap<>();

    public CoreImageMemory(CoreDump core) {
        this.core = core;
    }

    @Override
    public Optional<byte[]> read(long address, int length) {
        if (length < 0) {
            return Optional.empty();
        }
        Optional<ByteBuffer> bytes = core.processMemory().read(address, length);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        byte[] out = new byte[length];
        bytes.get().get(out);
        if (!overlay.isEmpty()) {
            for (int i = 0; i < length; i++) {
                Byte b = overlay.get(address + i);
                if (b != null) {
                    out[i] = b;
                }
            }
        }
        return Optional.of(out);
    }

    @Override
    public void write(long address, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            overlay.put(address + i, bytes[i]);
        }
    }

    @Override
    public void close() {
        overlay.clear();
    }
}
