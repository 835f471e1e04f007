package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.abi.SiginfoCodes;
import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.emulator.EmulationFault;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.FaultKind;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.emulator.debug.Watchpoint;
import io.coredumptools.rsp.target.BreakpointsTarget;
import io.coredumptools.rsp.target.ExecutionTarget;
import io.coredumptools.rsp.target.StopEvent;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes in the emulator. Only one thread runs on a resume (a core's threads cannot run together): the one the
 * client set up. Signals the client asks to deliver are dropped: a core cannot die. Each stop becomes a
 * {@link StopEvent} with the thread's siginfo set as a live thread would have it.
 */
final class EmulatedExecution implements ExecutionTarget {
    private static final Logger log = LoggerFactory.getLogger(EmulatedExecution.class);

    private final SessionEngine engine;
    private final ThreadStates states;
    private final EmulatedBreakpoints breakpoints;
    private final ImageRestorer restorer;
    private final EmulatorControls controls;
    private final Runnable onKill;
    private volatile boolean running;
    private volatile boolean interruptPending;

    EmulatedExecution(
            SessionEngine engine,
            ThreadStates states,
            EmulatedBreakpoints breakpoints,
            ImageRestorer restorer,
            EmulatorControls controls,
            Runnable onKill) {
        this.engine = engine;
        this.onKill = onKill;
        this.states = states;
        this.breakpoints = breakpoints;
        this.restorer = restorer;
        this.controls = controls;
    }

    @Override
    public int threadToRun(int stepThread, int namedContinueThread, int hcThread) {
        if (stepThread >= 0) {
            return stepThread;
        }
        if (states.setUpThread >= 0) {
            return states.setUpThread;
        }
        if (namedContinueThread >= 0) {
            return namedContinueThread;
        }
        if (hcThread >= 0) {
            return hcThread;
        }
        return states.lastStopThread;
    }

    @Override
    public StopEvent resume(int thread, boolean step) {
        Emulator emulator = engine.get();
        restorer.beforeResume(thread, states.registers[thread]);
        if (restorer.inLldbCall() && states.callEntryPc == -1) {
            states.callEntryPc = states.registers[thread].rip;
        }
        emulator.selectThread(thread);
        Stop stop;
        running = true;
        try {
            long pc = states.registers[thread].rip;
            if (interruptPending) {
                stop = null;
            } else if (!step && breakpoints.breakpoints.containsKey(pc)) {
                // An inserted breakpoint at pc traps at once, as an int3 there would (gdb calling a function
                // with a breakpoint on its first instruction); debuggers step over their own breakpoints.
                stop = new Stop(Stop.Kind.BREAKPOINT, Stop.SIGTRAP, pc, -1, Optional.empty(), new byte[0]);
            } else {
                stop = emulator.resume(
                        states.registers[thread],
                        new ResumeRequest(
                                step,
                                Set.copyOf(breakpoints.breakpoints.keySet()),
                                breakpoints.watchpoints,
                                controls.callBudget()));
            }
        } finally {
            running = false;
            interruptPending = false;
        }
        StopEvent event;
        if (stop == null) {
            states.siginfo[thread] = Siginfo.of(Signals.SIGINT, SiginfoCodes.SI_KERNEL, 0);
            event = new StopEvent(thread, Signals.SIGINT, StopEvent.Reason.SIGNAL, 0, new byte[0], "");
        } else {
            event = toEvent(thread, stop);
        }
        restorer.afterResume(states.registers[thread], failure(stop));
        states.lastStopThread = thread;
        states.setUpThread = -1;
        states.lastStop = event;
        return event;
    }

    private StopEvent toEvent(int thread, Stop stop) {
        byte[] output = stop.output();
        switch (stop.kind()) {
            case BREAKPOINT -> {
                states.siginfo[thread] = Siginfo.trap(SiginfoCodes.SI_KERNEL, stop.pc());
                StopEvent.Reason reason = breakpoints.breakpoints.get(stop.pc()) == BreakpointsTarget.Kind.HARDWARE
                        ? StopEvent.Reason.HWBREAK
                        : StopEvent.Reason.SWBREAK;
                return new StopEvent(thread, Signals.SIGTRAP, reason, 0, output, "");
            }
            case STEP -> {
                states.siginfo[thread] = Siginfo.trap(SiginfoCodes.TRAP_TRACE, stop.pc());
                return new StopEvent(thread, Signals.SIGTRAP, StopEvent.Reason.SIGNAL, 0, output, "");
            }
            case WATCHPOINT -> {
                states.siginfo[thread] = Siginfo.trap(SiginfoCodes.TRAP_HWBKPT, stop.dataAddress());
                StopEvent.Reason reason = StopEvent.Reason.WATCH;
                for (Watchpoint w : breakpoints.watchpoints) {
                    if (w.covers(stop.dataAddress(), 1)) {
                        reason = switch (w.kind()) {
                            case WRITE -> StopEvent.Reason.WATCH;
                            case READ -> StopEvent.Reason.RWATCH;
                            case ACCESS -> StopEvent.Reason.AWATCH;
                        };
                        break;
                    }
                }
                return new StopEvent(thread, Signals.SIGTRAP, reason, stop.dataAddress(), output, "");
            }
            default -> {
                EmulationFault fault = stop.fault().orElse(null);
                if (fault == null) {
                    states.siginfo[thread] = Siginfo.of(stop.signal(), SiginfoCodes.SI_KERNEL, stop.pc());
                    return new StopEvent(thread, stop.signal(), StopEvent.Reason.SIGNAL, 0, output, "");
                }
                states.siginfo[thread] = Siginfo.ofFault(fault);
                boolean callReturned =
                        (fault.kind() == FaultKind.PROTECTED_FETCH || fault.kind() == FaultKind.UNMAPPED_FETCH)
                                && breakpoints.breakpoints.containsKey(stop.pc());
                if (callReturned) {
                    output = concat(output, flushStdio(thread));
                }
                return new StopEvent(thread, fault.signal(), StopEvent.Reason.SIGNAL, 0, output, message(fault));
            }
        }
    }

    /**
     * How the resume failed, if a call was running: a signal or fault other than the one that ends a call (the fetch
     * from the dummy return address, which gdb sees as its breakpoint), or an interrupt.
     */
    private Optional<String> failure(Stop stop) {
        if (stop == null) {
            return Optional.of("interrupted");
        }
        if (stop.kind() != Stop.Kind.SIGNAL) {
            return Optional.empty();
        }
        EmulationFault fault = stop.fault().orElse(null);
        if (fault == null) {
            return Optional.of(Signals.name(stop.signal()));
        }
        boolean callReturned = (fault.kind() == FaultKind.PROTECTED_FETCH || fault.kind() == FaultKind.UNMAPPED_FETCH)
                && breakpoints.breakpoints.containsKey(stop.pc());
        return callReturned ? Optional.empty() : Optional.of(fault.headline());
    }

    /** What the console should say besides the signal, for stops the debugger cannot explain by itself. */
    private static String message(EmulationFault fault) {
        return switch (fault.kind()) {
            case UNSUPPORTED_SYSCALL, LOCK_WAIT, BUDGET_EXHAUSTED, INVALID_INSTRUCTION, SIGNAL_RAISED ->
                "corestub: " + fault.headline() + (fault.detail().isEmpty() ? "" : "\ncorestub: " + fault.detail());
            default -> "";
        };
    }

    /** stdio buffers (stdout to a file or pipe is fully buffered): flushed when a call returns, as output. */
    private byte[] flushStdio(int thread) {
        Emulator emulator = engine.get();
        if (!emulator.options().flushStdio()) {
            return new byte[0];
        }
        try {
            emulator.selectThread(thread);
            // Housekeeping: not traced as the user's call, and without what the program buffered before it crashed.
            return emulator.flushStdioIfBuffered();
        } catch (RuntimeException e) {
            log.debug("fflush(NULL) after a call failed: {}", e.getMessage());
            return new byte[0];
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length == 0) {
            return a;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Override
    public StopEvent lastStop() {
        return states.lastStop;
    }

    @Override
    public void interrupt() {
        interruptPending = true;
        if (running) {
            engine.ifBuilt().ifPresent(Emulator::interrupt);
        }
    }

    @Override
    public void clearInterrupt() {
        interruptPending = false;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public void kill() {
        restorer.reset();
        breakpoints.clear();
        states.reset();
        onKill.run();
    }
}
