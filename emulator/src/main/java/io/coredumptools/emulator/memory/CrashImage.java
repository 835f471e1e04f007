package io.coredumptools.emulator.memory;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.FileBytes;
import io.coredumptools.elfcore.UnusableCoreException;
import io.coredumptools.elfcore.files.MappedRegion;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash image read-only, without an engine: the bytes an engine's {@link MemoryImage} starts with (before the
 * load-time patches), from the same plan ({@link ImagePlanner}), read with positional reads of the core and the
 * mapped files. A debugger that only reads (registers, a backtrace, variables) needs nothing else, so one of these is
 * shared by every session of a core and an engine is built only when something must run or change.
 *
 * <p>Where the plan maps nothing (a missing file, memory the kernel did not dump, a truncated core's cut-off bytes)
 * nothing is readable, as in an engine. A remote file's bytes are fetched on first read ({@link FileBytes} ensures
 * them); bytes that cannot be fetched are not readable either, never zeros. Files are opened read-only when the image
 * is made and read from those descriptors. Safe for concurrent use.
 */
public final class CrashImage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CrashImage.class);
    private static final long PAGE = 4096;
    private static final byte[] ZEROS = new byte[(int) PAGE];
    /** How many unreadable remote pages are each reported once (beyond this, at debug level). */
    private static final int MAX_REPORTED_FAILURES = 1024;

    /** [start, end) of guest memory from {@code file} at {@code fileOffset}, or zero pages when file is null. */
    private record Part(long start, long end, FileBytes file, long fileOffset) {
        boolean contains(long address) {
            return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
        }
    }

    private final TreeMap<Long, Part> parts = new TreeMap<>(Long::compareUnsigned);
    private final Map<Path, FileBytes> files = new HashMap<>();
    /** Pages whose remote bytes could not be fetched, reported once each (as an engine reports a block). */
    private final Set<Long> reportedFailures = ConcurrentHashMap.newKeySet();

    private CrashImage() {}

    /** The crash image of {@code core}, with the files {@link CoreDump#mappedRegions()} resolved. */
    public static CrashImage of(CoreDump core) {
        return of(core, core.mappedRegions());
    }

    /**
     * As {@link #of(CoreDump)}, with the file-backed regions given explicitly.
     *
     * @throws UnusableCoreException when a planned file cannot be opened (an engine could not map it either)
     */
    public static CrashImage of(CoreDump core, List<MappedRegion> mappedRegions) {
        ImagePlan plan = MemoryImage.plan(core, mappedRegions);
        CrashImage image = new CrashImage();
        try {
            for (PlannedRegion planned : plan.mapped()) {
                FileBytes file = planned.file() == null ? null : image.open(core, planned.file());
                image.parts.put(planned.start(), new Part(planned.start(), planned.end(), file, planned.fileOffset()));
            }
        } catch (RuntimeException e) {
            image.close();
            throw e;
        }
        return image;
    }

    private FileBytes open(CoreDump core, Path file) {
        FileBytes bytes = files.get(file);
        if (bytes == null) {
            try {
                bytes = FileBytes.open(file);
            } catch (CoreFormatException e) {
                throw new UnusableCoreException(
                        new CoreFormatException(core.path(), "its memory cannot be read: " + e.getMessage(), e));
            }
            files.put(file, bytes);
        }
        return bytes;
    }

    /** Whether every byte of [address, address+length) is planned (fetching a remote one may still fail). */
    public boolean isMapped(long address, long length) {
        long end = address + length;
        if (length <= 0 || Long.compareUnsigned(end, address) < 0 && end != 0) {
            return false;
        }
        long cursor = address;
        while (end == 0 || Long.compareUnsigned(cursor, end) < 0) {
            Part part = partAt(cursor);
            if (part == null) {
                return false;
            }
            cursor = part.end();
            if (cursor == 0) {
                return true;
            }
        }
        return true;
    }

    /**
     * The readable prefix of the {@code length} bytes at {@code address}: all of them, fewer where the image ends or
     * a remote file's bytes cannot be fetched, none when the first is not readable.
     */
    public byte[] read(long address, int length) {
        byte[] out = new byte[Math.max(0, length)];
        int done = read(address, ByteBuffer.wrap(out));
        return done == out.length ? out : java.util.Arrays.copyOf(out, done);
    }

    /**
     * As {@link #read(long, int)} for {@code into.remaining()} bytes, into {@code into} from its position (advanced by
     * as many): returns how many were read. A direct buffer is read into by the file reads themselves, with no copy.
     */
    public int read(long address, ByteBuffer into) {
        int length = into.remaining();
        int done = 0;
        while (done < length) {
            long cursor = address + done;
            if (done > 0 && cursor == 0) {
                break; // the top of the address space
            }
            Part part = partAt(cursor);
            if (part == null) {
                break;
            }
            long inPart = part.end() == 0 ? Long.MAX_VALUE : part.end() - cursor;
            int n = (int) Math.min(length - done, inPart);
            int got = readPart(part, cursor, into, n);
            done += got;
            if (got < n) {
                break;
            }
        }
        return done;
    }

    /**
     * Reads n bytes of {@code part} at {@code address} into {@code into} (advancing it); fewer (by pages) when a fetch
     * fails.
     */
    private int readPart(Part part, long address, ByteBuffer into, int n) {
        int at = into.position();
        if (part.file() == null) {
            zeros(into, at, n); // zero pages
            into.position(at + n);
            return n;
        }
        long offset = part.fileOffset() + (address - part.start());
        try {
            readFilePart(part.file(), offset, into, at, n, "memory at 0x" + Long.toHexString(address));
            into.position(at + n);
            return n;
        } catch (CoreFormatException e) {
            // A remote block that cannot be fetched: what precedes it, page by page.
            int good = 0;
            while (good < n) {
                int chunk = (int) Math.min(n - good, PAGE - ((address + good) & (PAGE - 1)));
                try {
                    readFilePart(part.file(), offset + good, into, at + good, chunk, "memory");
                } catch (CoreFormatException again) {
                    reportFailure(address + good, again);
                    break;
                }
                good += chunk;
            }
            into.position(at + good);
            return good;
        }
    }

    /** n bytes of {@code file} at {@code offset} into {@code into} at {@code at}; what lies past the file's end reads
     * as zeros, as the last page of an mmap of it does. */
    private static void readFilePart(FileBytes file, long offset, ByteBuffer into, int at, int n, String what)
            throws CoreFormatException {
        int got = file.readAvailable(offset, into.slice(at, n), what);
        zeros(into, at + got, n - got);
    }

    private static void zeros(ByteBuffer into, int at, int n) {
        for (int done = 0; done < n; done += ZEROS.length) {
            into.put(at + done, ZEROS, 0, Math.min(ZEROS.length, n - done));
        }
    }

    private void reportFailure(long address, CoreFormatException e) {
        long page = address & -PAGE;
        if (reportedFailures.size() < MAX_REPORTED_FAILURES && reportedFailures.add(page)) {
            log.warn("memory at 0x{} cannot be fetched: {}", Long.toHexString(page), e.getMessage());
        } else {
            log.debug("memory at 0x{} cannot be fetched: {}", Long.toHexString(page), e.getMessage());
        }
    }

    private Part partAt(long address) {
        Map.Entry<Long, Part> entry = parts.floorEntry(address);
        return entry != null && entry.getValue().contains(address) ? entry.getValue() : null;
    }

    @Override
    public void close() {
        files.values().forEach(FileBytes::close);
        files.clear();
    }
}
