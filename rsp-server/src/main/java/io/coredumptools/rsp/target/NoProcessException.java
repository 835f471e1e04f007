package io.coredumptools.rsp.target;

/** A request needs a process, and the catalog session has none attached yet (gdb: attach first). */
public final class NoProcessException extends RuntimeException {
    public NoProcessException() {
        super("no process: attach to one of 'info os processes' first");
    }
}
