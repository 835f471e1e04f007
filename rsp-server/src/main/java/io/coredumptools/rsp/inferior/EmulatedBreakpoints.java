package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.rsp.target.BreakpointsTarget;
import io.coredumptools.rsp.target.LimitReachedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Breakpoints and watchpoints as emulator hooks (nothing is written into the image), at most {@code limit}. */
final class EmulatedBreakpoints implements BreakpointsTarget {
    final Map<Long, Kind> breakpoints = new LinkedHashMap<>();
    final List<Watchpoint> watchpoints = new ArrayList<>();
    private final int limit;

    EmulatedBreakpoints(int limit) {
        this.limit = limit;
    }

    @Override
    public void insertBreakpoint(long address, Kind kind) {
        if (!breakpoints.containsKey(address)) {
            checkRoom();
        }
        breakpoints.put(address, kind);
    }

    @Override
    public void removeBreakpoint(long address) {
        breakpoints.remove(address);
    }

    @Override
    public void insertWatchpoint(long address, int length, Watchpoint.Kind kind) {
        checkRoom();
        watchpoints.add(new Watchpoint(address, length, kind));
    }

    @Override
    public void removeWatchpoint(long address, int length, Watchpoint.Kind kind) {
        watchpoints.remove(new Watchpoint(address, length, kind));
    }

    @Override
    public int limit() {
        return limit;
    }

    private void checkRoom() {
        if (breakpoints.size() + watchpoints.size() >= limit) {
            throw new LimitReachedException(
                    "too many breakpoints and watchpoints: a session may have " + limit + " (serve --max-breakpoints)");
        }
    }

    void clear() {
        breakpoints.clear();
        watchpoints.clear();
    }
}
