package io.coredumptools.rsp.target;

import java.util.Optional;

/** The read-only documents made from the core (qXfer objects), as bytes ready to serve. */
public interface DocumentsTarget {
    byte[] auxv();

    /** The executable's path as the process knew it. */
    Optional<String> executablePath();

    /** The svr4 library list: gdbserver's (with main-lm) for gdb, lldb-server's for lldb. */
    byte[] libraries(boolean lldb);

    /** lldb's library list after the first one of a connection was read whole. */
    default byte[] librariesForLldbAfterTheFirst() {
        return libraries(true);
    }

    byte[] memoryMap();
}
