package io.coredumptools.rsp.target;

import io.coredumptools.emulator.call.InstructionTrace;
import io.coredumptools.emulator.scope.RestoreMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code monitor} commands act on: the session's own controls of its emulated process. The commands
 * themselves (their syntax, help and output) are a {@link MonitorCommands}, so that this library needs no
 * command-line parser.
 */
public interface MonitorTarget {
    /** The core: its file, pid, signal, threads (LWP and pc), the restore mode, budget and calls in progress. */
    String info();

    void saveSnapshot(String name);

    /** Memory back to a saved state; empty: the crash image. Fails with IllegalArgumentException on an unknown name. */
    void restoreSnapshot(Optional<String> name);

    List<String> snapshots();

    boolean deleteSnapshot(String name);

    RestoreMode restoreMode();

    void setRestoreMode(RestoreMode mode);

    /** How many calls continued the calls before them and how many started from the base, in words. */
    String callScopeCounts();

    /** The wall-time limit of one resume. */
    Duration budget();

    void setBudget(Duration budget);

    void setTracing(boolean on);

    /** The last recorded trace; empty while tracing is off. */
    Optional<InstructionTrace> trace();

    /** The load-time patches of glibc code, one per line. */
    String patches();

    void setLockBypass(boolean on);

    boolean allocationAllowed();

    void setAllocationAllowed(boolean allowed);
}
