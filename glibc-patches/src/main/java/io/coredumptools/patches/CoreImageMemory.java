package io.coredumptools.patches;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.FileBytes;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.files.MappedRegion;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ProcessMemory} over a core alone, for decisions that run no code and for reports
 * ({@code corestub info --patches}): the core's data where it has it, else the bytes of the file the core
 * shows mapped there (code and read-only data, which kernel cores leave out). Writes go to an overlay in this
 * object, never to a file. Not thread-safe.
 */
public final class CoreImageMemory implements ProcessMemory, AutoCloseable {
    private static final long PAGE = 4096;

    private final CoreDump core;
    private final List<MappedRegion> regions;
    private final Map<Path, FileBytes> files = new HashMap<>();
    private final Map<Long, Byte> overlay = new HashMap<>();

    public CoreImageMemory(CoreDump core) {
        this.core = core;
        this.regions = core.mappedRegions();
    }

    @Override
    public Optional<byte[]> read(long address, int length) {
        if (length < 0) {
            return Optional.empty();
        }
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long cursor = address + done;
            int chunk = (int) Math.min(length - done, PAGE - (cursor & (PAGE - 1)));
            Optional<ByteBuffer> fromCore = core.memory().read(cursor, chunk);
            if (fromCore.isPresent()) {
                fromCore.get().get(out, done, chunk);
            } else if (!readFile(cursor, out, done, chunk)) {
                return Optional.empty();
            }
            done += chunk;
        }
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

    private boolean readFile(long address, byte[] out, int at, int length) {
        for (MappedRegion region : regions) {
            FileMapping m = region.mapping();
            if (!m.contains(address)
                    || Long.compareUnsigned(address + length - 1, m.end()) >= 0
                    || region.file().path().isEmpty()) {
                continue;
            }
            try {
                FileBytes file = files.get(region.file().path().get());
                if (file == null) {
                    file = FileBytes.open(region.file().path().get());
                    files.put(region.file().path().get(), file);
                }
                long offset = m.fileOffset() + (address - m.start());
                if (!file.contains(offset, length)) {
                    return false; // past the end of the file: SIGBUS in the process
                }
                file.read(offset, length, "mapped file").get(out, at, length);
                return true;
            } catch (CoreFormatException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void write(long address, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            overlay.put(address + i, bytes[i]);
        }
    }

    @Override
    public void close() {
        files.values().forEach(FileBytes::close);
        files.clear();
    }
}
