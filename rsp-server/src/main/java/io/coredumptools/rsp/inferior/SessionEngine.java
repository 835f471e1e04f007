package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.call.InstructionTrace;
import io.coredumptools.emulator.scope.RestoreMode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's {@link Emulator}, built by the first request that needs one: a resume, a memory write, an allocation,
 * a snapshot. Until then the session answers from the shared crash image ({@link LoadedCore#crashImage()}) and the
 * threads' states, so a debugger that attaches, reads and detaches never costs an engine (about 200 ms and the
 * engine's memory). The settings a client changes before that (restore mode, budget, trace, lock bypass) are kept
 * here and given to the engine when it is built. Called from the session's thread, except {@link #ifBuilt()}.
 */
final class SessionEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionEngine.class);

    private final LoadedCore core;
    private volatile Emulator emulator;
    private boolean closed;

    /** A debugger's connection starts in the call model's default mode. */
    private RestoreMode mode = RestoreMode.AUTO;

    private CallBudget budget;
    private int traceLimit;
    private Boolean lockBypass;

    SessionEngine(LoadedCore core) {
        this.core = core;
    }

    /** The engine, built now if the session has none yet. */
    Emulator get() {
        Emulator built = emulator;
        if (built != null) {
            return built;
        }
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        long started = System.nanoTime();
        built = core.newEmulator();
        try {
            built.scope().setMode(mode);
            if (budget != null) {
                built.setBudget(budget);
            }
            if (traceLimit > 0) {
                built.setTrace(traceLimit);
            }
            if (lockBypass != null) {
                built.setLockBypass(lockBypass);
            }
        } catch (RuntimeException e) {
            built.close();
            throw e;
        }
        emulator = built;
        log.debug("session engine built in {} ms", (System.nanoTime() - started) / 1_000_000);
        return built;
    }

    /** The engine if the session has built one. */
    Optional<Emulator> ifBuilt() {
        return Optional.ofNullable(emulator);
    }

    boolean built() {
        return emulator != null;
    }

    RestoreMode mode() {
        return ifBuilt().map(e -> e.scope().mode()).orElse(mode);
    }

    void setMode(RestoreMode newMode) {
        mode = newMode;
        ifBuilt().ifPresent(e -> e.scope().setMode(newMode));
    }

    void setBudget(CallBudget newBudget) {
        budget = newBudget;
        ifBuilt().ifPresent(e -> e.setBudget(newBudget));
    }

    void setTrace(int limit) {
        traceLimit = limit;
        ifBuilt().ifPresent(e -> e.setTrace(limit));
    }

    Optional<InstructionTrace> trace() {
        return ifBuilt().flatMap(Emulator::trace);
    }

    void setLockBypass(boolean on) {
        lockBypass = on;
        ifBuilt().ifPresent(e -> e.setLockBypass(on));
    }

    @Override
    public void close() {
        closed = true;
        Emulator built = emulator;
        emulator = null;
        if (built != null) {
            built.close();
        }
    }
}
