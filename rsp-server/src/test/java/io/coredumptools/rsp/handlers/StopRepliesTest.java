package io.coredumptools.rsp.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.target.MonitorCommands;
import io.coredumptools.rsp.target.StopEvent;
import io.coredumptools.rsp.target.Target;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** issue 9: stop replies carry gdb's signal numbers for gdb and Linux's for lldb (as lldb-server sends them). */
class StopRepliesTest {
    private static LoadedCore core;
    private static EmulatedTarget target;

    /** The handlers' view of a connection, over a real target, without a socket. */
    private static final class Connection implements RspSession {
        final SessionState state = new SessionState();

        @Override
        public SessionState state() {
            return state;
        }

        @Override
        public Target target() {
            return target;
        }

        @Override
        public Optional<Target> existingTarget() {
            return Optional.of(target);
        }

        @Override
        public Set<Feature> features() {
            return EmulatedTarget.FEATURES;
        }

        @Override
        public void console(byte[] text) {}

        @Override
        public MonitorCommands monitorCommands() {
            return MonitorCommands.NONE;
        }

        @Override
        public void disableAcks() {}

        @Override
        public void closeAfterReply() {}
    }

    @BeforeAll
    static void open() throws Exception {
        core = LoadedCore.open(Fixtures.get(Fixture.DEMO_PIE).core(), EmulatorOptions.defaults());
        target = new EmulatedTarget(core, new CallBudget(0, Duration.ofSeconds(5)), true, 10);
    }

    @AfterAll
    static void close() {
        target.close();
        core.close();
    }

    private static String reply(int linuxSignal, boolean lldb) {
        Connection c = new Connection();
        if (lldb) {
            c.state.setLldb();
        }
        StopEvent stop = new StopEvent(0, linuxSignal, StopEvent.Reason.SIGNAL, 0, new byte[0], "");
        return ((Reply.Text) StopReplies.of(stop, c)).text();
    }

    @Test
    void gdbGetsItsOwnNumbering() {
        assertThat(reply(Signals.SIGBUS, false)).startsWith("T0a"); // GDB_SIGNAL_BUS 10 (SIGEMT would be 7)
        assertThat(reply(Signals.SIGSYS, false)).startsWith("T0c"); // GDB_SIGNAL_SYS 12 (not SIGUSR2)
        assertThat(reply(Signals.SIGSTOP, false)).startsWith("T11"); // GDB_SIGNAL_STOP 17 (SIGCONT would be 19)
        assertThat(reply(Signals.SIGUSR1, false)).startsWith("T1e"); // GDB_SIGNAL_USR1 30
        assertThat(reply(Signals.SIGSEGV, false)).startsWith("T0b");
        assertThat(reply(Signals.SIGABRT, false)).startsWith("T06");
    }

    @Test
    void lldbGetsLinuxNumbers() {
        assertThat(reply(Signals.SIGBUS, true)).startsWith("T07");
        assertThat(reply(Signals.SIGSYS, true)).startsWith("T1f");
        assertThat(reply(Signals.SIGSTOP, true)).startsWith("T13");
    }

    @Test
    void signalListsAreReadInTheClientsNumbering() {
        Connection gdb = new Connection();
        Dispatcher d = new Dispatcher();
        BaseHandlers.register(d);
        d.dispatch(
                new io.coredumptools.rsp.request.Request.SignalList(false, java.util.List.of(0x0a, 0x1e, 0x0c)), gdb);
        assertThat(gdb.state.passSignals()).containsExactlyInAnyOrder(Signals.SIGBUS, Signals.SIGUSR1, Signals.SIGSYS);
        Connection lldb = new Connection();
        lldb.state.setLldb();
        d.dispatch(new io.coredumptools.rsp.request.Request.SignalList(true, java.util.List.of(0x0a)), lldb);
        assertThat(lldb.state.programSignals()).containsExactly(Signals.SIGUSR1);
    }
}
