package io.coredumptools.rsp.handlers;

import io.coredumptools.elfcore.abi.Errno;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.Close;
import io.coredumptools.rsp.request.Request.Fstat;
import io.coredumptools.rsp.request.Request.Open;
import io.coredumptools.rsp.request.Request.Pread;
import io.coredumptools.rsp.request.Request.Pwrite;
import io.coredumptools.rsp.request.Request.Readlink;
import io.coredumptools.rsp.request.Request.SetFs;
import io.coredumptools.rsp.request.Request.Unlink;
import io.coredumptools.rsp.target.HostIoTarget;
import io.coredumptools.rsp.target.HostIoTarget.ServedFile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * vFile host I/O, read-only, over the target's files only: setfs, open, pread, fstat, close, readlink. Any other
 * path is ENOENT, any write EACCES. Descriptors are the session's; the files behind them are opened once by the
 * target.
 */
final class HostIoHandlers {
    private static final int O_ACCMODE = 3;
    private static final int EMFILE = 24;

    private HostIoHandlers() {}

    static void register(Dispatcher d) {
        d.on(SetFs.class, (r, s) -> Reply.text("F0"));
        d.on(Open.class, HostIoHandlers::open);
        d.on(Pread.class, HostIoHandlers::pread);
        d.on(Pwrite.class, (r, s) -> fail(Errno.EACCES));
        d.on(Close.class, (r, s) -> s.state().openFiles.remove(r.fd()) == null ? fail(Errno.EBADF) : Reply.text("F0"));
        d.on(Fstat.class, (r, s) -> {
            ServedFile file = s.state().openFiles.get(r.fd());
            if (file == null) {
                return fail(Errno.EBADF);
            }
            byte[] stat = file.stat();
            return new Reply.Binary("F" + Integer.toHexString(stat.length) + ";", stat);
        });
        d.on(Readlink.class, HostIoHandlers::readlink);
        d.on(Unlink.class, (r, s) -> fail(Errno.EACCES));
    }

    static Reply fail(int errno) {
        return Reply.text("F-1," + Integer.toHexString(errno));
    }

    private static HostIoTarget files(RspSession session) {
        return session.target().hostIo().orElseThrow();
    }

    private static Reply open(Open request, RspSession session) {
        if ((request.flags() & O_ACCMODE) != 0 || (request.flags() & ~O_ACCMODE) != 0) {
            return fail(Errno.EACCES); // read-only: no write access, no O_CREAT/O_TRUNC/O_APPEND
        }
        Optional<ServedFile> file = files(session).open(request.path());
        if (file.isEmpty()) {
            return fail(Errno.ENOENT);
        }
        Map<Integer, ServedFile> open = session.state().openFiles;
        if (open.size() >= SessionState.MAX_OPEN_FILES) {
            return fail(EMFILE);
        }
        int fd = 3;
        while (open.containsKey(fd)) {
            fd++;
        }
        open.put(fd, file.get());
        return Reply.text("F" + Integer.toHexString(fd));
    }

    private static Reply pread(Pread request, RspSession session) throws java.io.IOException {
        ServedFile file = session.state().openFiles.get(request.fd());
        if (file == null) {
            return fail(Errno.EBADF);
        }
        if (request.offset() < 0) {
            return fail(Errno.EINVAL);
        }
        byte[] data = file.read(request.offset(), Math.min(request.count(), MemoryHandlers.MAX_READ));
        return new Reply.Binary("F" + Integer.toHexString(data.length) + ";", data);
    }

    private static Reply readlink(Readlink request, RspSession session) {
        Optional<String> target = files(session).readlink(request.path());
        if (target.isEmpty()) {
            return fail(files(session).open(request.path()).isPresent() ? Errno.EINVAL : Errno.ENOENT);
        }
        byte[] data = target.get().getBytes(StandardCharsets.UTF_8);
        return new Reply.Binary("F" + Integer.toHexString(data.length) + ";", data);
    }
}
