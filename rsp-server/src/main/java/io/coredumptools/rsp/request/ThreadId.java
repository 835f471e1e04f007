package io.coredumptools.rsp.request;

import io.coredumptools.rsp.wire.Hex;

/**
 * A thread id as the RSP writes it: {@code pPID.TID} in multiprocess mode, else {@code TID}; {@code -1} means all,
 * {@code 0} any. Values are hex.
 */
public record ThreadId(long pid, long tid) {
    public static final long ALL = -1;
    public static final long ANY = 0;

    /** Parses {@code p1f.2a}, {@code p1f}, {@code p1f.-1}, {@code 2a}, {@code -1}, {@code 0}. */
    public static ThreadId parse(String s) {
        if (s.startsWith("p")) {
            int dot = s.indexOf('.');
            if (dot < 0) {
                return new ThreadId(Hex.parseLong(s.substring(1)), ALL);
            }
            return new ThreadId(Hex.parseLong(s.substring(1, dot)), Hex.parseLong(s.substring(dot + 1)));
        }
        return new ThreadId(ANY, Hex.parseLong(s));
    }

    public boolean isSpecific() {
        return tid != ALL && tid != ANY;
    }

    public static String format(long pid, long tid, boolean multiprocess) {
        return multiprocess ? "p" + Hex.number(pid) + "." + Hex.number(tid) : Hex.number(tid);
    }
}
