package io.coredumptools.emulator.syscall;

import java.util.Optional;

/**
 * What the process-information system calls answer with: the crashed process's ids, the calling thread's id, and
 * the working directory where the core tells it.
 */
public record ProcessIdentity(int pid, int ppid, int tid, int uid, int gid, Optional<String> workingDirectory) {
    public ProcessIdentity(int pid, int ppid, int tid) {
        this(pid, ppid, tid, 0, 0, Optional.empty());
    }

    /** The same process, seen from thread {@code threadId}. */
    public ProcessIdentity onThread(int threadId) {
        return new ProcessIdentity(pid, ppid, threadId, uid, gid, workingDirectory);
    }
}
