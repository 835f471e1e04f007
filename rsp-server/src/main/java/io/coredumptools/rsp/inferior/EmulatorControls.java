package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.call.InstructionTrace;
import io.coredumptools.emulator.scope.RestoreMode;
import io.coredumptools.rsp.target.MonitorTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The session's emulator controls that {@code monitor} commands change: budget, trace, locks, snapshots. */
final class EmulatorControls implements MonitorTarget {
    static final int TRACE_LIMIT = 20_000;

    private final LoadedCore core;
    private final SessionEngine engine;
    private final ThreadStates states;
    private final ImageRestorer restorer;
    private CallBudget budget;
    private boolean allocationAllowed;

    EmulatorControls(
            LoadedCore core,
            SessionEngine engine,
            ThreadStates states,
            ImageRestorer restorer,
            CallBudget budget,
            boolean allocationAllowed) {
        this.core = core;
        this.engine = engine;
        this.states = states;
        this.restorer = restorer;
        this.budget = budget;
        this.allocationAllowed = allocationAllowed;
    }

    CallBudget callBudget() {
        return budget;
    }

    @Override
    public String info() {
        StringBuilder s = new StringBuilder();
        s.append("core: ").append(core.core().location()).append('\n');
        s.append(core.summary()).append('\n');
        if (!core.core().source().isComplete() || !core.core().remoteFiles().isEmpty()) {
            s.append("fetch: ").append(core.core().fetchFigures().summary()).append('\n');
        }
        for (int i = 0; i < states.count(); i++) {
            s.append(String.format("  thread %d: LWP %d, pc 0x%x%n", i + 1, states.tid(i), states.registers[i].rip));
        }
        s.append(engine.built() ? "engine: built\n" : "engine: none yet (reads come from the crash image)\n");
        s.append("restore-mode ")
                .append(restorer.mode().label())
                .append(" (calls: ")
                .append(callScopeCounts())
                .append("), budget ")
                .append(budget.time().toMillis())
                .append(" ms, calls in progress ")
                .append(restorer.callDepth())
                .append('\n');
        return s.toString();
    }

    @Override
    public void saveSnapshot(String name) {
        restorer.saveSnapshot(name);
    }

    @Override
    public void restoreSnapshot(Optional<String> name) {
        if (name.isPresent()) {
            restorer.restoreSnapshot(name.get());
        } else {
            restorer.restoreCrashImage();
        }
    }

    @Override
    public List<String> snapshots() {
        return restorer.snapshots();
    }

    @Override
    public boolean deleteSnapshot(String name) {
        return restorer.deleteSnapshot(name);
    }

    @Override
    public RestoreMode restoreMode() {
        return restorer.mode();
    }

    @Override
    public void setRestoreMode(RestoreMode mode) {
        restorer.setMode(mode);
    }

    @Override
    public String callScopeCounts() {
        return restorer.counts();
    }

    @Override
    public Duration budget() {
        return budget.time();
    }

    @Override
    public void setBudget(Duration time) {
        budget = new CallBudget(budget.instructions(), time);
        engine.setBudget(budget);
    }

    @Override
    public void setTracing(boolean on) {
        engine.setTrace(on ? TRACE_LIMIT : 0);
    }

    @Override
    public Optional<InstructionTrace> trace() {
        return engine.trace();
    }

    @Override
    public String patches() {
        return core.plan().listing();
    }

    @Override
    public void setLockBypass(boolean on) {
        engine.setLockBypass(on);
    }

    @Override
    public boolean allocationAllowed() {
        return allocationAllowed;
    }

    @Override
    public void setAllocationAllowed(boolean allowed) {
        allocationAllowed = allowed;
    }
}
