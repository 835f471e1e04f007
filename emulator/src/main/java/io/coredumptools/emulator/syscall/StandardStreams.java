package io.coredumptools.emulator.syscall;

import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.abi.Errno;
import io.coredumptools.elfcore.abi.Terminals;
import io.coredumptools.emulator.memory.MemoryImage;
import java.io.ByteArrayOutputStream;

/**
 * File descriptors 0, 1 and 2 as a call sees them: a terminal. Output to 1 and 2 is collected for the caller
 * (the debugger's console); fstat says "character device" and TCGETS answers, so glibc's stdio treats them as a
 * terminal (line-buffered stdout, unbuffered stderr) whatever they were in the crashed process, and a call's
 * printf reaches the console without waiting for a flush.
 *
 * <p><b>Only a call's own output.</b> Text the program had buffered in stdout when it crashed is still in the
 * base image; when a call flushes stdout, glibc writes that text first. Those bytes are dropped: the first writes
 * to fd 1 from stdout's buffer after a restore skip the pending bytes the crash image holds.
 */
final class StandardStreams {
    /** sizeof(struct stat) on x86-64. */
    private static final int STAT_SIZE = 144;
    /** sizeof(struct termios) as the kernel copies it for TCGETS (c_line and 19 control characters). */
    private static final int TERMIOS_SIZE = 36;

    private final MemoryImage image;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** Where the crash image's pending stdout bytes start, and how many; 0 when none. */
    private long pendingAddress;

    private long pendingLength;
    /** Pending bytes still to be dropped since the last restore. */
    private long toDrop;

    private long dropFrom;

    StandardStreams(MemoryImage image) {
        this.image = image;
    }

    static boolean isStandard(long fd) {
        return fd >= 0 && fd <= 2;
    }

    /** The crash image has {@code length} bytes pending in stdout's buffer at {@code address}. */
    void setPendingStdout(long address, long length) {
        this.pendingAddress = address;
        this.pendingLength = Math.max(0, length);
        onRestore();
    }

    void onRestore() {
        toDrop = pendingLength;
        dropFrom = pendingAddress;
    }

    byte[] takeOutput() {
        byte[] bytes = output.toByteArray();
        output.reset();
        return bytes;
    }

    /** write(2) to fd 1 or 2. */
    long write(long fd, long buffer, long length) {
        if (length < 0 || length > Integer.MAX_VALUE) {
            return -Errno.EINVAL;
        }
        byte[] bytes = image.read(buffer, (int) length);
        output.writeBytes(withoutPendingBytes(fd, buffer, bytes));
        return length;
    }

    /** writev(2) to fd 1 or 2. */
    long writev(long fd, long iov, long count) {
        if (count < 0 || count > 1024) {
            return -Errno.EINVAL;
        }
        byte[] vectors = image.read(iov, (int) (16 * count));
        long total = 0;
        for (int i = 0; i < count; i++) {
            long base = LittleEndian.i64(vectors, 16 * i);
            long length = LittleEndian.i64(vectors, 16 * i + 8);
            if (length < 0 || length > Integer.MAX_VALUE) {
                return -Errno.EINVAL;
            }
            byte[] bytes = image.read(base, (int) length);
            output.writeBytes(withoutPendingBytes(fd, base, bytes));
            total += length;
        }
        return total;
    }

    private byte[] withoutPendingBytes(long fd, long buffer, byte[] bytes) {
        if (fd != 1 || toDrop == 0 || buffer != dropFrom) {
            return bytes;
        }
        int dropped = (int) Math.min(toDrop, bytes.length);
        toDrop -= dropped;
        dropFrom += dropped;
        byte[] rest = new byte[bytes.length - dropped];
        System.arraycopy(bytes, dropped, rest, 0, rest.length);
        return rest;
    }

    /** fstat(2) or newfstatat(fd, "", buf, AT_EMPTY_PATH) of fd 0, 1 or 2: a terminal, /dev/pts/0. */
    long fstat(long fd, long statBuffer, int uid) {
        byte[] stat = new byte[STAT_SIZE];
        LittleEndian.put64(stat, 0, 0x19); // st_dev: devpts
        LittleEndian.put64(stat, 8, 3); // st_ino
        LittleEndian.put64(stat, 16, 1); // st_nlink
        LittleEndian.put32(stat, 24, Terminals.S_IFCHR | 0620); // st_mode: crw--w----
        LittleEndian.put32(stat, 28, uid); // st_uid
        LittleEndian.put32(stat, 32, 5); // st_gid: tty
        LittleEndian.put64(stat, 40, (long) Terminals.PTS_MAJOR << 8); // st_rdev: 136:0
        LittleEndian.put64(stat, 56, 1024); // st_blksize
        image.write(statBuffer, stat);
        return 0;
    }

    /** ioctl(fd, TCGETS, termios) of fd 0, 1 or 2: a terminal in its usual cooked mode. */
    long tcgets(long termiosBuffer) {
        byte[] termios = new byte[TERMIOS_SIZE];
        LittleEndian.put32(termios, 0, 0x0500); // c_iflag: ICRNL | IXON
        LittleEndian.put32(termios, 4, 0x0005); // c_oflag: OPOST | ONLCR
        LittleEndian.put32(termios, 8, 0x00bf); // c_cflag: B38400 | CS8 | CREAD
        LittleEndian.put32(termios, 12, 0x8a3b); // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
        byte[] cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0};
        System.arraycopy(cc, 0, termios, 17, cc.length); // after c_line
        image.write(termiosBuffer, termios);
        return 0;
    }
}
