package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.elfcore.symbols.DebugFileLocator;
import io.coredumptools.rsp.target.HostIoTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only files vFile serves: what the core resolves, each opened once (when the server loads the core, or when
 * its debug file is first located) and served from that descriptor, so that a file replaced after start-up
 * (say by a symlink to another file) is never what a client reads. A path the target asks for (as the process
 * saw it) maps to a file on this machine when it is the executable, a mapped file (NT_FILE), a loaded object's
 * name, or the separate debug file of one of those (by {@code .build-id/xx/rest.debug} or by its .gnu_debuglink
 * name), as elfcore's {@link DebugFileLocator} finds it. {@code /proc/PID/...} files are made from the core
 * ({@link ProcFiles}), whatever pid the client's setfs names. Anything else is not there.
 */
public final class HostFiles implements HostIoTarget, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostFiles.class);
    /** More files than this are not served (each stays open for the server's life). */
    static final int MAX_SERVED_FILES = 512;

    /** A host file opened once: its channel (positional reads are thread-safe) and attributes as opened. */
    static final class OpenedFile implements ServedFile {
        private final Path path;
        private final FileChannel channel;
        private final BasicFileAttributes attributes;

        OpenedFile(Path path, FileChannel channel, BasicFileAttributes attributes) {
            this.path = path;
            this.channel = channel;
            this.attributes = attributes;
        }

        Path path() {
            return path;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public byte[] read(long offset, int count) throws IOException {
            // A remote file's bytes are in its cache file only once fetched.
            io.coredumptools.elfcore.source.FileSources.ensure(path, offset, count);
            ByteBuffer buffer = ByteBuffer.allocate(count);
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, offset + buffer.position());
                if (n < 0) {
                    break;
                }
            }
            byte[] data = new byte[buffer.position()];
            buffer.flip().get(data);
            return data;
        }

        @Override
        public byte[] stat() throws IOException {
            return FileStat.of(attributes, size());
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only: nothing lost
            }
        }
    }

    /** A document made from the core ({@code /proc/PID/...}). */
    record Generated(byte[] bytes) implements ServedFile {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public byte[] read(long offset, int count) {
            int n = (int) Math.max(0, Math.min(count, bytes.length - offset));
            byte[] data = new byte[n];
            System.arraycopy(bytes, (int) Math.min(offset, bytes.length), data, 0, n);
            return data;
        }

        @Override
        public byte[] stat() {
            return FileStat.of(null, bytes.length);
        }
    }

    private final CoreDump core;
    private final ProcFiles proc;
    private final Map<String, OpenedFile> byTargetPath = new HashMap<>();
    private final Map<Path, OpenedFile> byHostPath = new HashMap<>();
    private Map<String, OpenedFile> debugByBuildId;
    private Map<String, OpenedFile> debugByName;

    HostFiles(CoreDump core, int pid) {
        this.core = core;
        this.proc = new ProcFiles(core, pid);
        for (MappedRegion region : core.mappedRegions()) {
            region.file().path().ifPresent(p -> serve(region.file().recordedPath(), p, false));
        }
        core.executable().ifPresent(exe -> exe.path().ifPresent(p -> serve(exe.recordedPath(), p, true)));
        for (LoadedObject object : core.loadedObjects()) {
            if (object.name().isEmpty() || byTargetPath.containsKey(object.name())) {
                continue;
            }
            hostFileOf(object).ifPresent(p -> serve(object.name(), p, false));
        }
    }

    private void serve(String targetPath, Path host, boolean replace) {
        if (!replace && byTargetPath.containsKey(targetPath)) {
            return;
        }
        opened(host).ifPresent(file -> byTargetPath.put(targetPath, file));
    }

    /** The host file opened once (the same descriptor for every target path naming it), if servable. */
    private Optional<OpenedFile> opened(Path host) {
        OpenedFile known = byHostPath.get(host);
        if (known != null) {
            return Optional.of(known);
        }
        if (byHostPath.size() >= MAX_SERVED_FILES) {
            log.warn("more than {} files to serve over vFile: {} is not served", MAX_SERVED_FILES, host);
            return Optional.empty();
        }
        Optional<Path> real = servablePath(host);
        if (real.isEmpty()) {
            return Optional.empty();
        }
        try {
            FileChannel channel = FileChannel.open(real.get(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes attributes =
                    Files.readAttributes(real.get(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            OpenedFile file = new OpenedFile(real.get(), channel, attributes);
            byHostPath.put(host, file);
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot open {} to serve it: {}", host, e.toString());
            return Optional.empty();
        }
    }

    /**
     * A core names its files itself, and a crafted one could name any host file: serve only regular ELF
     * files outside the kernel's pseudo file systems (the loopback port is open to every local user).
     */
    static boolean servable(Path file) {
        return servablePath(file).isPresent();
    }

    private static Optional<Path> servablePath(Path file) {
        try {
            Path real = file.toRealPath();
            if (real.startsWith("/proc")
                    || real.startsWith("/sys")
                    || real.startsWith("/dev")
                    || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            try (ElfFile elf = ElfFile.open(real)) {
                return Optional.of(real);
            }
        } catch (IOException | CoreFormatException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The file mapped at the object's load address from offset 0 (the link_map name may be a symlink's). */
    private Optional<Path> hostFileOf(LoadedObject object) {
        for (MappedRegion region : core.mappedRegions()) {
            FileMapping m = region.mapping();
            if (m.fileOffset() == 0
                    && m.start() == object.loadBias()
                    && region.file().path().isPresent()) {
                return region.file().path();
            }
        }
        return core.file(object.name()).flatMap(ResolvedFile::path);
    }

    /** What {@code targetPath} opens, if it is one of the core's files. */
    @Override
    public synchronized Optional<ServedFile> open(String targetPath) {
        if (targetPath.startsWith("/proc/")) {
            return proc.read(targetPath).map(Generated::new); // never a host /proc file
        }
        OpenedFile direct = byTargetPath.get(targetPath);
        if (direct != null) {
            return Optional.of(direct);
        }
        locateDebugFiles();
        int buildIdAt = targetPath.indexOf("/.build-id/");
        if (buildIdAt >= 0 && targetPath.endsWith(".debug")) {
            String rest =
                    targetPath.substring(buildIdAt + "/.build-id/".length(), targetPath.length() - ".debug".length());
            String buildId = rest.replace("/", "");
            OpenedFile debug = debugByBuildId.get(buildId);
            if (debug != null && rest.length() > 3 && rest.charAt(2) == '/') {
                return Optional.of(debug);
            }
            return Optional.empty();
        }
        int slash = targetPath.lastIndexOf('/');
        OpenedFile byName = debugByName.get(targetPath.substring(slash + 1));
        if (byName != null && (targetPath.contains("/.debug/") || targetPath.startsWith("/usr/lib/debug/"))) {
            return Optional.of(byName);
        }
        return Optional.empty();
    }

    /**
     * Makes the /proc documents gdb reads when it attaches ({@code /proc/PID/task/TID/maps} of the first thread, for
     * its memory regions), so that its first request finds them made: about 20 ms on a cold JVM (issue 13).
     */
    void prepareAttachDocuments(int pid, int firstThread) {
        proc.read("/proc/" + pid + "/task/" + firstThread + "/maps");
    }

    /** The target of a symbolic link the target asks about ({@code /proc/PID/exe}). */
    @Override
    public Optional<String> readlink(String targetPath) {
        return proc.readlink(targetPath);
    }

    private void locateDebugFiles() {
        if (debugByBuildId != null) {
            return;
        }
        debugByBuildId = new HashMap<>();
        debugByName = new HashMap<>();
        DebugFileLocator locator = DebugFileLocator.from(core.options());
        Set<Path> objects = new LinkedHashSet<>();
        byTargetPath.values().forEach(f -> objects.add(f.path()));
        for (Path object : objects) {
            try (ElfFile elf = ElfFile.open(object)) {
                List<String> problems = new ArrayList<>();
                Optional<Path> debug = locator.locate(elf, problems);
                if (debug.isEmpty()) {
                    continue;
                }
                Optional<OpenedFile> file = opened(debug.get());
                if (file.isEmpty()) {
                    continue;
                }
                elf.buildId().ifPresent(id -> debugByBuildId.put(id, file.get()));
                debugByName.put(debug.get().getFileName().toString(), file.get());
            } catch (CoreFormatException | RuntimeException e) {
                log.debug("no debug file for {}: {}", object, e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        byHostPath.values().forEach(OpenedFile::close);
        byHostPath.clear();
    }
}
