package io.coredumptools.emulator.run;

import io.coredumptools.emulator.unicorn.Unicorn;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops a run that exceeds its wall-time budget. Unicorn's own timeout starts and joins a thread on every
 * {@code uc_emu_start} (about 100 µs, more than a whole trivial call); this one thread lives as long as the
 * engine. Arming, disarming and the watcher's stop hold this object's lock, so a stop meant for one run can
 * never land in the next one.
 */
final class Watchdog implements AutoCloseable {
    /** How often the thread looks at the deadline: the precision of time budgets. */
    private static final long TICK_NANOS = 5_000_000L;

    private final Unicorn uc;
    private final Thread thread;
    /** When the armed run must stop (System.nanoTime); 0 when disarmed. Guarded by this. */
    private long deadline;

    private boolean expired;
    private volatile boolean closed;

    Watchdog(Unicorn uc) {
        this.uc = uc;
        this.thread = new Thread(this::watch, "corestub-call-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    /** Arms the watchdog for a run that may last {@code budgetNanos}. */
    synchronized void arm(long budgetNanos) {
        expired = false;
        deadline = System.nanoTime() + budgetNanos;
        if (deadline == 0) {
            deadline = 1;
        }
    }

    /** Disarms it; returns whether it stopped the run. */
    synchronized boolean disarm() {
        deadline = 0;
        return expired;
    }

    private void watch() {
        while (!closed) {
            LockSupport.parkNanos(TICK_NANOS);
            stopIfDue();
        }
    }

    private synchronized void stopIfDue() {
        if (deadline != 0 && System.nanoTime() - deadline >= 0) {
            deadline = 0;
            expired = true;
            try {
                uc.stop();
            } catch (RuntimeException e) {
                // The engine closed under us: nothing left to stop. Keep the thread alive regardless, or
                // every later budget would go unenforced.
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
