package io.coredumptools.rsp.inferior;

import java.nio.ByteBuffer;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * The RSP's {@code struct stat} for vFile:fstat: big-endian, 64 bytes: st_dev, st_ino, st_mode, st_nlink, st_uid,
 * st_gid, st_rdev (4 bytes each), st_size, st_blksize, st_blocks (8 bytes each), st_atime, st_mtime, st_ctime
 * (4 each).
 */
final class FileStat {
    private FileStat() {}

    /** {@code attributes} null: a generated, read-only document. */
    static byte[] of(BasicFileAttributes attributes, long size) {
        ByteBuffer b = ByteBuffer.allocate(64); // big-endian by default
        int mode = 0100444; // regular file, read-only
        long inode = 0;
        int mtime = (int) (System.currentTimeMillis() / 1000);
        int atime = mtime;
        int ctime = mtime;
        if (attributes != null) {
            mtime = (int) (attributes.lastModifiedTime().toMillis() / 1000);
            atime = (int) (attributes.lastAccessTime().toMillis() / 1000);
            ctime = (int) (attributes.creationTime().toMillis() / 1000);
            if (attributes instanceof PosixFileAttributes posix) {
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
            Object key = attributes.fileKey();
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
}
