package io.coredumptools.rsp.handlers;

import io.coredumptools.elfcore.abi.SiginfoCodes;
import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.rsp.inferior.RegisterSet;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.target.StopEvent;
import io.coredumptools.rsp.target.Target;
import io.coredumptools.rsp.target.ThreadsTarget;
import io.coredumptools.rsp.wire.Hex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Stop replies. For gdb as gdbserver writes them, with the signal in gdb's own numbering (GDB_SIGNAL_*):
 * {@code T<sig>[reason;]06:<rbp>;07:<rsp>;10:<rip>;thread:<id>;core:0;}. For lldb as lldb-server writes them,
 * with Linux signal numbers: {@code T<sig>thread:<id>;name:<name>;[threads:…;thread-pcs:…;]<the general
 * registers>;reason:breakpoint|signal;[description:…;]}. A breakpoint stop carries {@code swbreak:}/
 * {@code hwbreak:} when the client announced it; pc is the breakpoint's address either way (what lldb expects:
 * it never announces swbreak).
 */
public final class StopReplies {
    private StopReplies() {}

    public static Reply of(StopEvent stop, RspSession session) {
        return session.state().lldb() ? lldb(stop.thread(), stop, session) : gdb(stop, session);
    }

    /**
     * The reply to {@code ?}. lldb's also says {@code library:}, which makes lldb load the library list
     * (LoadModules), where the executable is listed first: lldb-16 finds the program no other way when no
     * process of the core's pid runs on its host.
     */
    public static Reply initial(RspSession session) {
        if (session.catalog().isPresent() && session.existingTarget().isEmpty()) {
            return Reply.text("W00"); // extended-remote with no process yet, as gdbserver --multi
        }
        Reply reply = of(session.target().execution().lastStop(), session);
        if (!session.state().lldb()) {
            return reply;
        }
        return Reply.text(((Reply.Text) reply).text() + "library:;");
    }

    /** qThreadStopInfo: the last stop for the thread that stopped, a stop without a reason for the others. */
    public static Reply ofThread(int thread, RspSession session) {
        StopEvent last = session.target().execution().lastStop();
        if (last.thread() == thread) {
            return of(last, session);
        }
        StopEvent none = new StopEvent(thread, 0, StopEvent.Reason.SIGNAL, 0, new byte[0], "");
        return session.state().lldb() ? lldb(thread, none, session) : gdb(none, session);
    }

    /** The signal number as the client's dialect writes it: gdb's numbering for gdb, Linux's for lldb. */
    static int wireSignal(int linux, RspSession session) {
        return session.state().lldb() ? linux : Signals.toGdb(linux);
    }

    private static Reply gdb(StopEvent stop, RspSession session) {
        ThreadsTarget threads = session.target().threads();
        StringBuilder s = new StringBuilder("T").append(Hex.pair(wireSignal(stop.signal(), session)));
        switch (stop.reason()) {
            case SWBREAK -> {
                if (session.state().clientFeatures().contains("swbreak")) {
                    s.append("swbreak:;");
                }
            }
            case HWBREAK -> {
                if (session.state().clientFeatures().contains("hwbreak")) {
                    s.append("hwbreak:;");
                }
            }
            default -> watch(stop, s);
        }
        expedite(stop.thread(), session, s);
        s.append("thread:")
                .append(session.state().threadId(threads, stop.thread()))
                .append(";core:0;");
        if (session.state().threadsInStopReply()) {
            threads(session, s);
        }
        return Reply.text(s.toString());
    }

    private static Reply lldb(int thread, StopEvent stop, RspSession session) {
        Target target = session.target();
        StringBuilder s = new StringBuilder("T").append(Hex.pair(stop.signal()));
        s.append("thread:")
                .append(session.state().threadId(target.threads(), thread))
                .append(';');
        name(target.threads().processName(), s);
        if (session.state().threadsInStopReply()) {
            threads(session, s);
        }
        expedite(thread, session, s);
        switch (lldbReason(stop)) {
            case "breakpoint" -> s.append("reason:breakpoint;");
            case "watchpoint" -> watch(stop, s);
            case "signal" -> {
                s.append("reason:signal;");
                String description = description(stop.signal(), siginfoOf(target, thread));
                if (!description.isEmpty()) {
                    s.append("description:")
                            .append(Hex.encode(description.getBytes(StandardCharsets.UTF_8)))
                            .append(';');
                }
            }
            default -> {
                // a plain SIGTRAP (a step) or no signal: no reason, as lldb-server
            }
        }
        return Reply.text(s.toString());
    }

    static byte[] siginfoOf(Target target, int thread) {
        return target.siginfo().map(info -> info.of(thread)).orElse(new byte[0]);
    }

    /** lldb's stop reason for a stop: breakpoint, watchpoint, signal, or "" (a plain SIGTRAP or no signal). */
    static String lldbReason(StopEvent stop) {
        return switch (stop.reason()) {
            case SWBREAK, HWBREAK -> "breakpoint";
            case WATCH, RWATCH, AWATCH -> "watchpoint";
            default -> stop.signal() != 0 && stop.signal() != Signals.SIGTRAP ? "signal" : "";
        };
    }

    /** lldb-server's words for a fault: {@code signal SIGSEGV: invalid address (fault address: 0x0)}. */
    static String description(int signal, byte[] siginfo) {
        if (signal != Signals.SIGSEGV || siginfo.length < 24) {
            return "";
        }
        ByteBuffer b = ByteBuffer.wrap(siginfo).order(ByteOrder.LITTLE_ENDIAN);
        String what = switch (b.getInt(8)) {
            case SiginfoCodes.SEGV_MAPERR -> "invalid address";
            case SiginfoCodes.SEGV_ACCERR -> "invalid permissions";
            default -> "";
        };
        if (what.isEmpty()) {
            return "";
        }
        return "signal SIGSEGV: " + what + " (fault address: 0x" + Long.toHexString(b.getLong(16)) + ")";
    }

    private static void watch(StopEvent stop, StringBuilder s) {
        switch (stop.reason()) {
            case WATCH ->
                s.append("watch:").append(Hex.number(stop.dataAddress())).append(';');
            case RWATCH ->
                s.append("rwatch:").append(Hex.number(stop.dataAddress())).append(';');
            case AWATCH ->
                s.append("awatch:").append(Hex.number(stop.dataAddress())).append(';');
            default -> {}
        }
    }

    private static void expedite(int thread, RspSession session, StringBuilder s) {
        RegisterSet set = RegistersHandlers.encoding(session);
        RegisterFile regs = session.target().registers().of(thread);
        for (int r : set.expedited()) {
            s.append(Hex.pair(r))
                    .append(':')
                    .append(Hex.encode(set.read(regs, r)))
                    .append(';');
        }
    }

    /** {@code threads:tid,tid;thread-pcs:pc,pc;} (QListThreadsInStopReply). */
    private static void threads(RspSession session, StringBuilder s) {
        Target target = session.target();
        StringBuilder pcs = new StringBuilder();
        s.append("threads:");
        for (int i = 0; i < target.threads().count(); i++) {
            s.append(i == 0 ? "" : ",").append(Hex.number(target.threads().tid(i)));
            pcs.append(i == 0 ? "" : ",").append(Hex.digits16(target.registers().of(i).rip));
        }
        s.append(";thread-pcs:").append(pcs).append(';');
    }

    static void name(String name, StringBuilder s) {
        if (name.matches("[A-Za-z0-9_.+-]+")) {
            s.append("name:").append(name).append(';');
        } else {
            s.append("hexname:")
                    .append(Hex.encode(name.getBytes(StandardCharsets.UTF_8)))
                    .append(';');
        }
    }
}
