package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.target.BreakpointsTarget;
import io.coredumptools.rsp.target.DocumentsTarget;
import io.coredumptools.rsp.target.ExecutionTarget;
import io.coredumptools.rsp.target.HostIoTarget;
import io.coredumptools.rsp.target.LldbTarget;
import io.coredumptools.rsp.target.MemoryTarget;
import io.coredumptools.rsp.target.MonitorTarget;
import io.coredumptools.rsp.target.RegistersTarget;
import io.coredumptools.rsp.target.SiginfoTarget;
import io.coredumptools.rsp.target.Target;
import io.coredumptools.rsp.target.TargetFactory;
import io.coredumptools.rsp.target.ThreadsTarget;
import io.coredumptools.rsp.target.TlsTarget;
import io.coredumptools.rsp.target.WarningsTarget;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One connection's view of the core as a stopped process, behind one small class per protocol feature, sharing the
 * threads' state ({@link ThreadStates}), the one {@link ImageRestorer} and the session's engine. Reads (registers,
 * memory, threads, documents, files, siginfo) are answered from the shared crash image until a request needs
 * emulation (a resume, a write, an allocation, a snapshot); that request builds the session's own
 * {@link io.coredumptools.emulator.Emulator} ({@link SessionEngine}), which answers from then on. Not thread-safe:
 * the session calls it from one thread at a time, except {@link ExecutionTarget#interrupt()}.
 */
public final class EmulatedTarget implements Target {
    /** What every EmulatedTarget offers: all features (Features.of agrees, see EmulatedTargetTest). */
    public static final Set<Feature> FEATURES =
            Set.copyOf(EnumSet.complementOf(EnumSet.of(Feature.UNKNOWN, Feature.EXTENDED)));

    private final SessionEngine engine;
    private final CoreThreads threads;
    private final EmulatedRegisters registers;
    private final EmulatedMemory memory;
    private final EmulatedExecution execution;
    private final EmulatedBreakpoints breakpoints;
    private final ThreadSiginfo siginfo;
    private final CoreDocuments documents;
    private final HostFiles hostFiles;
    private final EmulatedTls tls;
    private final CoreWarnings warnings;
    private final LldbSupport lldb;
    private final EmulatorControls controls;
    private final ImageRestorer restorer;

    /**
     * @param allocationAllowed whether lldb's {@code _M}/{@code _m} are answered (monitor allocate changes it)
     * @param breakpointLimit   how many breakpoints and watchpoints the session may have together
     */
    public EmulatedTarget(LoadedCore core, CallBudget budget, boolean allocationAllowed, int breakpointLimit) {
        this.engine = new SessionEngine(core);
        ThreadStates states = new ThreadStates(core);
        this.restorer = new ImageRestorer(engine);
        this.threads = new CoreThreads(core, states);
        this.registers = new EmulatedRegisters(states, restorer);
        this.memory = new EmulatedMemory(engine, core.crashImage(), core::patchedLocations, restorer);
        this.breakpoints = new EmulatedBreakpoints(breakpointLimit);
        this.siginfo = new ThreadSiginfo(states, restorer);
        this.controls = new EmulatorControls(core, engine, states, restorer, budget, allocationAllowed);
        this.lldb = new LldbSupport(core, engine, states, restorer, controls, memory);
        this.execution =
                new EmulatedExecution(engine, states, breakpoints, restorer, controls, lldb::forgetSavedStates);
        this.documents = new CoreDocuments(core);
        this.hostFiles = core.hostFiles();
        this.tls = new EmulatedTls(core, memory, states);
        this.warnings = new CoreWarnings(core.core());
    }

    /** Makes one target per connection over the loaded core. */
    public static TargetFactory factory(
            LoadedCore core, CallBudget budget, boolean allocationAllowed, int breakpointLimit) {
        return lazyFactory(() -> core, budget, allocationAllowed, breakpointLimit);
    }

    /**
     * {@link #factory} over a core that may still be loading: {@code core} is asked at each connection (the server
     * can start while the core is parsed).
     */
    public static TargetFactory lazyFactory(
            java.util.function.Supplier<LoadedCore> core,
            CallBudget budget,
            boolean allocationAllowed,
            int breakpointLimit) {
        return new TargetFactory() {
            @Override
            public Target create() {
                return new EmulatedTarget(core.get(), budget, allocationAllowed, breakpointLimit);
            }

            @Override
            public Set<Feature> features() {
                return FEATURES;
            }
        };
    }

    @Override
    public ThreadsTarget threads() {
        return threads;
    }

    @Override
    public RegistersTarget registers() {
        return registers;
    }

    @Override
    public MemoryTarget memory() {
        return memory;
    }

    @Override
    public ExecutionTarget execution() {
        return execution;
    }

    @Override
    public Optional<BreakpointsTarget> breakpoints() {
        return Optional.of(breakpoints);
    }

    @Override
    public Optional<SiginfoTarget> siginfo() {
        return Optional.of(siginfo);
    }

    @Override
    public Optional<DocumentsTarget> documents() {
        return Optional.of(documents);
    }

    @Override
    public Optional<WarningsTarget> warnings() {
        return Optional.of(warnings);
    }

    @Override
    public Optional<TlsTarget> tls() {
        return Optional.of(tls);
    }

    @Override
    public Optional<HostIoTarget> hostIo() {
        return Optional.of(hostFiles);
    }

    @Override
    public Optional<LldbTarget> lldb() {
        return Optional.of(lldb);
    }

    @Override
    public Optional<MonitorTarget> monitor() {
        return Optional.of(controls);
    }

    /** The one object that decides and performs restores of the crash image (the call model builds on it). */
    public ImageRestorer restorer() {
        return restorer;
    }

    /** Whether this session has built its engine (it has not while it only read). */
    public boolean engineBuilt() {
        return engine.built();
    }

    /** The session's engine, if built: what it holds, patches included (for this package's tests). */
    java.util.Optional<io.coredumptools.emulator.Emulator> builtEngine() {
        return engine.ifBuilt();
    }

    @Override
    public void close() {
        engine.close();
    }
}
