package io.coredumptools.rsp.handlers;

import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.rsp.inferior.Hex;
import io.coredumptools.rsp.inferior.RegisterLayout;
import io.coredumptools.rsp.inferior.StopEvent;

/**
 * Stop replies as gdbserver writes them: {@code T<sig>[reason;]06:<rbp>;07:<rsp>;10:<rip>;thread:<id>;core:0;}.
 * A breakpoint stop carries {@code swbreak:}/{@code hwbreak:} when the client announced it; pc is the
 * breakpoint's address either way (what lldb expects).
 */
public final class StopReplies {
    private StopReplies() {
    }

    public static Reply of(StopEvent stop, RspSession session) {
        StringBuilder s = new StringBuilder("T").append(String.format("%02x", stop.signal() & 0xff));
        switch (stop.reason()) {
            case SWBREAK -> {
                if (session.clientFeatures().contains("swbreak")) {
                    s.append("swbreak:;");
                }
            }
            case HWBREAK -> {
                if (session.clientFeatures().contains("hwbreak")) {
                    s.append("hwbreak:;");
                }
            }
            case WATCH -> s.append("watch:").append(Hex.number(stop.dataAddress())).append(';');
            case RWATCH -> s.append("rwatch:").append(Hex.number(stop.dataAddress())).append(';');
            case AWATCH -> s.append("awatch:").append(Hex.number(stop.dataAddress())).append(';');
            default -> {
            }
        }
        RegisterFile regs = session.target().registers(stop.thread());
        for (int r : new int[] {RegisterLayout.RBP, RegisterLayout.RSP, RegisterLayout.RIP}) {
            s.append(String.format("%02x:", r)).append(Hex.encode(RegisterLayout.read(regs, r))).append(';');
        }
        s.append("thread:").append(session.threadId(stop.thread())).append(";core:0;");
        return Reply.text(s.toString());
    }
}
