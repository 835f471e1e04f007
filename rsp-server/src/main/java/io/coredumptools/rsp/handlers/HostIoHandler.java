package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.Hex;
import io.coredumptools.rsp.inferior.HostFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * vFile host I/O, read-only, over the core's own files only (HostFiles): setfs, open, pread, fstat, close,
 * readlink. Any other path is ENOENT, any write EACCES. fstat answers the protocol's big-endian struct stat.
 */
public final class HostIoHandler implements PacketHandler {
    static final int ENOENT = 2;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int EIO = 5;
    private static final int MAX_OPEN = 64;
    private static final int O_ACCMODE = 3;

    /** Open files of one session. */
    private static final class OpenFile {
        final FileChannel channel;
        final byte[] generated;
        final BasicFileAttributes attributes;

        OpenFile(FileChannel channel, byte[] generated, BasicFileAttributes attributes) {
            this.channel = channel;
            this.generated = generated;
            this.attributes = attributes;
        }

        long size() throws IOException {
            return channel != null ? channel.size() : generated.length;
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only: nothing lost
                }
            }
        }
    }

    private final Map<RspSession, Map<Integer, OpenFile>> files = new java.util.WeakHashMap<>();

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("vFile:setfs:", (p, s) -> Reply.text("F0"));
        routes.prefix("vFile:open:", this::open);
        routes.prefix("vFile:pread:", this::pread);
        routes.prefix("vFile:pwrite:", (p, s) -> fail(EACCES));
        routes.prefix("vFile:close:", this::close);
        routes.prefix("vFile:fstat:", this::fstat);
        routes.prefix("vFile:readlink:", this::readlink);
        routes.prefix("vFile:unlink:", (p, s) -> fail(EACCES));
    }

    static Reply fail(int errno) {
        return Reply.text("F-1," + Integer.toHexString(errno));
    }

    private synchronized Map<Integer, OpenFile> table(RspSession session) {
        return files.computeIfAbsent(session, k -> new HashMap<>());
    }

    /** Closes what a session left open. */
    public synchronized void closeAll(RspSession session) {
        Map<Integer, OpenFile> open = files.remove(session);
        if (open != null) {
            open.values().forEach(OpenFile::close);
        }
    }

    private Reply open(String packet, RspSession session) {
        String[] parts = packet.substring("vFile:open:".length()).split(",");
        String path = new String(Hex.decode(parts[0]), StandardCharsets.UTF_8);
        int flags = parts.length > 1 ? Hex.parseInt(parts[1]) : 0;
        if ((flags & O_ACCMODE) != 0 || (flags & ~O_ACCMODE) != 0) {
            return fail(EACCES); // read-only: no write access, no O_CREAT/O_TRUNC/O_APPEND
        }
        Optional<HostFiles.Source> source = session.target().core().hostFiles().open(path);
        if (source.isEmpty()) {
            return fail(ENOENT);
        }
        Map<Integer, OpenFile> table = table(session);
        if (table.size() >= MAX_OPEN) {
            return fail(24); // EMFILE
        }
        OpenFile file;
        if (source.get() instanceof HostFiles.Generated generated) {
            file = new OpenFile(null, generated.bytes(), null);
        } else {
            HostFiles.HostFile host = (HostFiles.HostFile) source.get();
            try {
                if (!Files.isRegularFile(host.path())) {
                    return fail(ENOENT);
                }
                BasicFileAttributes attributes = Files.readAttributes(host.path(), BasicFileAttributes.class);
                file = new OpenFile(FileChannel.open(host.path(), StandardOpenOption.READ), null, attributes);
            } catch (IOException e) {
                return fail(EACCES);
            }
        }
        int fd = 3;
        while (table.containsKey(fd)) {
            fd++;
        }
        table.put(fd, file);
        return Reply.text("F" + Integer.toHexString(fd));
    }

    private Reply pread(String packet, RspSession session) throws IOException {
        String[] parts = packet.substring("vFile:pread:".length()).split(",");
        OpenFile file = table(session).get(Hex.parseInt(parts[0]));
        if (file == null) {
            return fail(EBADF);
        }
        int count = Math.min(Hex.parseInt(parts[1]), MemoryHandler.MAX_READ);
        long offset = Hex.parseLong(parts[2]);
        if (offset < 0) {
            return fail(EINVAL);
        }
        byte[] data;
        if (file.generated != null) {
            int n = (int) Math.max(0, Math.min(count, file.generated.length - offset));
            data = new byte[n];
            System.arraycopy(file.generated, (int) Math.min(offset, file.generated.length), data, 0, n);
        } else {
            ByteBuffer buffer = ByteBuffer.allocate(count);
            while (buffer.hasRemaining()) {
                int n = file.channel.read(buffer, offset + buffer.position());
                if (n < 0) {
                    break;
                }
            }
            data = new byte[buffer.position()];
            buffer.flip().get(data);
        }
        byte[] head = ("F" + Integer.toHexString(data.length) + ";").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + data.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        return Reply.bytes(out);
    }

    private Reply close(String packet, RspSession session) {
        OpenFile file = table(session).remove(Hex.parseInt(packet.substring("vFile:close:".length())));
        if (file == null) {
            return fail(EBADF);
        }
        file.close();
        return Reply.text("F0");
    }

    private Reply fstat(String packet, RspSession session) throws IOException {
        OpenFile file = table(session).get(Hex.parseInt(packet.substring("vFile:fstat:".length())));
        if (file == null) {
            return fail(EBADF);
        }
        byte[] stat = stat(file);
        byte[] head = ("F" + Integer.toHexString(stat.length) + ";").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + stat.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(stat, 0, out, head.length, stat.length);
        return Reply.bytes(out);
    }

    /**
     * The RSP's {@code struct stat}: big-endian, 64 bytes: st_dev, st_ino, st_mode, st_nlink, st_uid, st_gid,
     * st_rdev (4 bytes each), st_size, st_blksize, st_blocks (8 bytes each), st_atime, st_mtime, st_ctime (4 each).
     */
    static byte[] stat(OpenFile file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64); // big-endian by default
        long size = file.size();
        int mode = 0100444; // regular file, read-only
        long inode = 0;
        int mtime = (int) (System.currentTimeMillis() / 1000);
        int atime = mtime;
        int ctime = mtime;
        if (file.attributes != null) {
            mtime = (int) (file.attributes.lastModifiedTime().toMillis() / 1000);
            atime = (int) (file.attributes.lastAccessTime().toMillis() / 1000);
            ctime = (int) (file.attributes.creationTime().toMillis() / 1000);
            if (file.attributes instanceof PosixFileAttributes posix) {
                int perms = 0;
                for (var p : posix.permissions()) {
                    perms |= switch (p) {
                        case OWNER_READ -> 0400;
                        case OWNER_WRITE -> 0200;
                        case OWNER_EXECUTE -> 0100;
                        case GROUP_READ -> 040;
                        case GROUP_WRITE -> 020;
                        case GROUP_EXECUTE -> 010;
                        case OTHERS_READ -> 04;
                        case OTHERS_WRITE -> 02;
                        case OTHERS_EXECUTE -> 01;
                    };
                }
                mode = 0100000 | perms;
            }
            Object key = file.attributes.fileKey();
            if (key != null) {
                String k = key.toString();
                int at = k.indexOf("ino=");
                if (at >= 0) {
                    String digits = k.substring(at + 4).replaceAll("[^0-9].*$", "");
                    if (!digits.isEmpty()) {
                        inode = Long.parseLong(digits);
                    }
                }
            }
        }
        b.putInt(0); // st_dev
        b.putInt((int) inode);
        b.putInt(mode);
        b.putInt(1); // st_nlink
        b.putInt(0); // st_uid
        b.putInt(0); // st_gid
        b.putInt(0); // st_rdev
        b.putLong(size);
        b.putLong(4096);
        b.putLong((size + 511) / 512);
        b.putInt(atime);
        b.putInt(mtime);
        b.putInt(ctime);
        return b.array();
    }

    private Reply readlink(String packet, RspSession session) {
        String path = new String(Hex.decode(packet.substring("vFile:readlink:".length())), StandardCharsets.UTF_8);
        Optional<String> target = session.target().core().hostFiles().readlink(path);
        if (target.isEmpty()) {
            return fail(session.target().core().hostFiles().open(path).isPresent() ? EINVAL : ENOENT);
        }
        byte[] data = target.get().getBytes(StandardCharsets.UTF_8);
        byte[] head = ("F" + Integer.toHexString(data.length) + ";").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + data.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        return Reply.bytes(out);
    }
}
