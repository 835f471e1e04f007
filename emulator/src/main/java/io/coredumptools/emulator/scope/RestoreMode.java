package io.coredumptools.emulator.scope;

import java.util.Locale;

/** When a call starts from the base rather than from what the calls before it left (the {@link CallScope}'s policy). */
public enum RestoreMode {
    /**
     * The call model (the default): a call continues the calls before it when it starts inside another call or
     * one of its inputs points into memory they wrote or allocated; any other call starts from the base.
     */
    AUTO,
    /** Every call starts from the base. */
    PER_CALL,
    /** Calls see each other's effects for the whole connection (a failed call's state still goes). */
    SESSION,
    /** Only {@code monitor snapshot restore} goes back (a failed call's state still goes). */
    MANUAL;

    public static RestoreMode parse(String text) {
        for (RestoreMode mode : values()) {
            if (mode.label().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("restore-mode is one of " + labels());
    }

    /** "auto, per-call, session, manual". */
    public static String labels() {
        StringBuilder s = new StringBuilder();
        for (RestoreMode mode : values()) {
            s.append(s.length() == 0 ? "" : ", ").append(mode.label());
        }
        return s.toString();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
