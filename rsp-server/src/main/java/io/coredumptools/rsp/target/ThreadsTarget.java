package io.coredumptools.rsp.target;

/** The process's threads, by index (0: the thread that crashed) and by kernel thread id. */
public interface ThreadsTarget {
    int pid();

    int count();

    long tid(int index);

    /** The index of a thread id, or -1 when the process has no such thread. */
    default int indexOf(long tid) {
        for (int i = 0; i < count(); i++) {
            if (tid(i) == tid) {
                return i;
            }
        }
        return -1;
    }

    /** The process's name (the thread names lldb shows). */
    String processName();
}
