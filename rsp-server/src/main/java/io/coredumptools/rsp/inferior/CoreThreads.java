package io.coredumptools.rsp.inferior;

import io.coredumptools.rsp.target.ThreadsTarget;

/** The core's threads (NT_PRSTATUS order: the crashing thread first). */
final class CoreThreads implements ThreadsTarget {
    private final LoadedCore core;
    private final ThreadStates states;

    CoreThreads(LoadedCore core, ThreadStates states) {
        this.core = core;
        this.states = states;
    }

    @Override
    public int pid() {
        return core.pid();
    }

    @Override
    public int count() {
        return states.count();
    }

    @Override
    public long tid(int index) {
        return states.tid(index);
    }

    @Override
    public String processName() {
        return core.processName();
    }
}
