package io.coredumptools.rsp.inferior;

/** When the crash image comes back. */
public enum RestoreMode {
    /** After each of gdb's inferior calls (the default). */
    PER_CALL,
    /** Never automatically: calls see each other's effects for the whole connection. */
    SESSION,
    /** Only on {@code monitor snapshot restore}. */
    MANUAL;

    public static RestoreMode parse(String text) {
        return switch (text) {
            case "per-call" -> PER_CALL;
            case "session" -> SESSION;
            case "manual" -> MANUAL;
            default -> throw new IllegalArgumentException("restore-mode is one of per-call, session, manual");
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
