package io.coredumptools.rsp.server;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;

/**
 * Gives each new connection the event loop that has the fewest connections: with as many loops as connections
 * allowed, every connection has a loop of its own, so that the work one connection's packets do on its loop
 * (reading memory, restoring, allocating) never delays another's replies, without a thread hand-off per packet.
 */
final class ConnectionLoops implements EventExecutorChooserFactory {
    private EventExecutor[] loops = new EventExecutor[0];
    private int[] connections = new int[0];

    @Override
    public synchronized EventExecutorChooser newChooser(EventExecutor[] executors) {
        loops = executors.clone();
        connections = new int[executors.length];
        return this::next;
    }

    private synchronized EventExecutor next() {
        int best = 0;
        for (int i = 1; i < loops.length; i++) {
            if (connections[i] < connections[best]) {
                best = i;
            }
        }
        connections[best]++;
        return loops[best];
    }

    /** A connection of {@code loop} has ended. */
    synchronized void release(EventExecutor loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == loop && connections[i] > 0) {
                connections[i]--;
                return;
            }
        }
    }
}
