package io.coredumptools.emulator;

import java.time.Duration;

/**
 * How far a call may run before it is stopped as runaway.
 *
 * @param instructions at most this many instructions; 0 for no instruction limit (counting them makes
 *                     unicorn check every instruction, so the default relies on time alone)
 * @param time         at most this much wall time
 */
public record CallBudget(long instructions, Duration time) {
    /** Stops an endless loop within a second, as a user at a debugger prompt expects. */
    public static final CallBudget DEFAULT = new CallBudget(0, Duration.ofSeconds(1));

    public CallBudget {
        if (instructions < 0 || time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException(
                    "a budget needs instructions >= 0 and a positive time: " + instructions + ", " + time);
        }
    }
}
