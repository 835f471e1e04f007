package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.rsp.target.StopEvent;
import java.util.Arrays;
import java.util.List;

/**
 * The per-thread state one session's target pieces share: each thread's registers and siginfo, the last stop,
 * and which thread the client set up for a call since. Starts (and {@link #reset() resets}) at the crash.
 */
final class ThreadStates {
    private final LoadedCore core;
    private final List<ThreadState> threads;
    final RegisterFile[] registers;
    final byte[][] siginfo;
    StopEvent lastStop;
    int lastStopThread;
    /** The thread whose registers the client wrote since the last stop (a call's set-up), or -1. */
    int setUpThread = -1;
    /** pc of the first resume inside an open lldb QSaveRegisterState bracket (the called function), or -1. */
    long callEntryPc = -1;

    ThreadStates(LoadedCore core) {
        this.core = core;
        this.threads = core.threads();
        this.registers = new RegisterFile[threads.size()];
        this.siginfo = new byte[threads.size()][];
        reset();
    }

    int count() {
        return threads.size();
    }

    long tid(int index) {
        return threads.get(index).tid();
    }

    void reset() {
        for (int i = 0; i < threads.size(); i++) {
            registers[i] = RegisterFile.of(threads.get(i));
            siginfo[i] = initialSiginfo(i);
        }
        lastStopThread = 0;
        setUpThread = -1;
        callEntryPc = -1;
        lastStop = new StopEvent(0, core.crashSignal(), StopEvent.Reason.SIGNAL, 0, new byte[0], "");
    }

    private byte[] initialSiginfo(int index) {
        if (index == 0) {
            if (core.core().signal().isPresent() && core.core().signal().get().raw().length >= Siginfo.SIZE) {
                return Arrays.copyOf(core.core().signal().get().raw(), Siginfo.SIZE);
            }
            return Siginfo.sentBy(core.crashSignal(), core.pid());
        }
        return Siginfo.sentBy(Signals.SIGSTOP, core.pid());
    }
}
