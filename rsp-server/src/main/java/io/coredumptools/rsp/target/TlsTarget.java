package io.coredumptools.rsp.target;

/** Where thread-local variables live (qGetTLSAddr). */
public interface TlsTarget {
    /**
     * The address of the byte at {@code offset} in the TLS block of the module whose link_map is at
     * {@code linkMap} (0: a static executable's), for the thread at {@code thread} (an index).
     *
     * @throws Unavailable when it cannot be known; never a guess
     */
    long address(int thread, long offset, long linkMap) throws Unavailable;

    /** No address: {@link #code} is the E number of the reply, the message says why (for the log). */
    final class Unavailable extends Exception {
        private final int code;

        public Unavailable(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
