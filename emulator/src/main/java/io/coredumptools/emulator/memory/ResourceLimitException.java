package io.coredumptools.emulator.memory;

/**
 * A request that would take one engine past one of its {@link MemoryLimits}: refused, with what the limit is,
 * how much is in use and what to do.
 */
public final class ResourceLimitException extends IllegalArgumentException {
    private final String limit;
    private final long allowed;
    private final long inUse;

    public ResourceLimitException(String limit, long allowed, long inUse, String request, String remedy) {
        super(request + ": the " + limit + " limit is " + allowed + " and " + inUse + " is in use; " + remedy);
        this.limit = limit;
        this.allowed = allowed;
        this.inUse = inUse;
    }

    /** Which limit, as {@link MemoryLimits} names it, e.g. "snapshot bytes". */
    public String limit() {
        return limit;
    }

    public long allowed() {
        return allowed;
    }

    public long inUse() {
        return inUse;
    }
}
