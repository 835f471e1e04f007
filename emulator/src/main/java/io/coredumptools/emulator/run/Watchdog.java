package io.coredumptools.emulator.run;

import io.coredumptools.emulator.unicorn.Unicorn;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops a run that exceeds its wall-time budget. Unicorn's own timeout starts and joins a thread on every
 * {@code uc_emu_start} (about 100 µs, more than a whole trivial call); this one thread lives as long as the
 * engine. Arming, disarming and the watcher's stop hold this object's lock, so a stop meant for one run can
 * never land in the next one.
 *
 * <p>The thread sleeps until the armed deadline, or at most {@link #LOOK_NANOS}: it used to tick every 5 ms (200
 * wake-ups a second for every engine, idle or not, about 3% of the server's CPU in a loop of gdb calls). Arming
 * wakes it only for a deadline sooner than it would look anyway (a budget under {@link #LOOK_NANOS}), so a run
 * with the usual budget costs the thread nothing.
 */
final class Watchdog implements AutoCloseable {
    /** The longest the thread sleeps without looking at the deadline. */
    private static final long LOOK_NANOS = 50_000_000L;

    private final Unicorn uc;
    private final Thread thread;
    /** When the armed run must stop (System.nanoTime); 0 when disarmed. Guarded by this. */
    private long deadline;
    /** When the thread looks next (System.nanoTime). Guarded by this. */
    private long lookAt;

    private boolean expired;
    private volatile boolean closed;

    Watchdog(Unicorn uc) {
        this.uc = uc;
        this.lookAt = System.nanoTime();
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
        if (deadline - lookAt < 0) {
            LockSupport.unpark(thread);
        }
    }

    /** Disarms it; returns whether it stopped the run. */
    synchronized boolean disarm() {
        deadline = 0;
        return expired;
    }

    private void watch() {
        while (!closed) {
            long sleep = stopIfDueAndPlanNextLook();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            }
        }
    }

    /** Stops the armed run if it is due; returns how long to sleep until the next look. */
    private synchronized long stopIfDueAndPlanNextLook() {
        long now = System.nanoTime();
        if (deadline != 0 && now - deadline >= 0) {
            deadline = 0;
            expired = true;
            try {
                uc.stop();
            } catch (RuntimeException e) {
                // The engine closed under us: nothing left to stop. Keep the thread alive regardless, or
                // every later budget would go unenforced.
            }
        }
        long next = now + LOOK_NANOS;
        if (deadline != 0 && deadline - next < 0) {
            next = deadline;
        }
        lookAt = next;
        return next - now;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
