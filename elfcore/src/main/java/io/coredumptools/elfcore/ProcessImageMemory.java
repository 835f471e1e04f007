package io.coredumptools.elfcore;

import io.coredumptools.elfcore.files.MappedRegion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The crashed process's memory as far as the core and its files tell it, without running anything: the core's
 * data where it has it, else the bytes of the file the core shows mapped there (NT_FILE, resolved on this
 * machine). What the structural readers need (program headers, the dynamic section, link_map) lives in pages a
 * core may leave out: gcore leaves out every unmodified file-backed mapping, ELF headers included. Files are
 * opened read-only, on first use. Safe for concurrent use.
 */
public final class ProcessImageMemory implements CoreMemory, AutoCloseable {
    private static final long PAGE = 4096;

    private final CoreMemory core;
    private final List<MappedRegion> regions;
    private final Map<Path, FileBytes> files = new HashMap<>();

    public ProcessImageMemory(CoreMemory core, List<MappedRegion> regions) {
        this.core = core;
        this.regions = List.copyOf(regions);
    }

    @Override
    public Optional<ByteBuffer> read(long address, int length) {
        if (length < 0) {
            return Optional.empty();
        }
        Optional<ByteBuffer> whole = core.read(address, length);
        if (whole.isPresent()) {
            return whole;
        }
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long cursor = address + done;
            int chunk = (int) Math.min(length - done, PAGE - (cursor & (PAGE - 1)));
            Optional<ByteBuffer> fromCore = core.read(cursor, chunk);
            if (fromCore.isPresent()) {
                fromCore.get().get(out, done, chunk);
            } else if (!readFile(cursor, out, done, chunk)) {
                return Optional.empty();
            }
            done += chunk;
        }
        return Optional.of(ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN));
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
                FileBytes file = file(region.file().path().get());
                long offset = m.fileOffset() + (address - m.start());
                if (!file.contains(offset, length)) {
                    return false; // past the end of the file: the process would get SIGBUS there
                }
                file.read(offset, length, "mapped file").get(out, at, length);
                return true;
            } catch (CoreFormatException e) {
                return false;
            }
        }
        return false;
    }

    private synchronized FileBytes file(Path path) throws CoreFormatException {
        FileBytes file = files.get(path);
        if (file == null) {
            file = FileBytes.open(path);
            files.put(path, file);
        }
        return file;
    }

    @Override
    public synchronized void close() {
        files.values().forEach(FileBytes::close);
        files.clear();
    }
}
