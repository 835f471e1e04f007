package io.coredumptools.rsp.handlers;

import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.rsp.inferior.LldbRegisters;
import io.coredumptools.rsp.inferior.RegisterSet;
import io.coredumptools.rsp.reply.Reply;
import io.coredumptools.rsp.request.Request.ReadRegister;
import io.coredumptools.rsp.request.Request.ReadRegisters;
import io.coredumptools.rsp.request.Request.WriteRegister;
import io.coredumptools.rsp.request.Request.WriteRegisters;
import io.coredumptools.rsp.request.ThreadId;
import io.coredumptools.rsp.target.RegistersTarget;
import java.util.Optional;

/**
 * Registers of the Hg thread (or the one lldb's {@code ;thread:} suffix names) in the client's numbering: gdb's
 * target description or lldb's, both encoders over the one {@link RegisterFile}: g/G (all), p/P (one).
 */
final class RegistersHandlers {
    private RegistersHandlers() {}

    static void register(Dispatcher d) {
        d.on(ReadRegisters.class, (r, s) -> {
            int thread = thread(r.thread(), s);
            return new Reply.HexData(
                    "", encoding(s).readAll(s.target().registers().of(thread)));
        });
        d.on(WriteRegisters.class, (r, s) -> {
            int thread = thread(r.thread(), s);
            RegisterSet set = encoding(s);
            if (r.data().length < set.minimumGBytes()) {
                return Reply.error(0x01); // not even the general registers
            }
            RegistersTarget registers = s.target().registers();
            set.writeAll(registers.of(thread), r.data());
            registers.written(thread);
            return Reply.OK;
        });
        d.on(ReadRegister.class, (r, s) -> {
            int thread = thread(r.thread(), s);
            if (r.regnum() >= encoding(s).count()) {
                return Reply.error(0x01);
            }
            return new Reply.HexData("", encoding(s).read(s.target().registers().of(thread), r.regnum()));
        });
        d.on(WriteRegister.class, (r, s) -> {
            int thread = thread(r.thread(), s);
            if (r.regnum() >= encoding(s).count()) {
                return Reply.error(0x01);
            }
            RegistersTarget registers = s.target().registers();
            encoding(s).write(registers.of(thread), r.regnum(), r.value());
            registers.written(thread);
            return Reply.OK;
        });
    }

    /** The register numbering of this client's dialect. */
    static RegisterSet encoding(RspSession session) {
        return session.state().lldb() ? LldbRegisters.INSTANCE : RegisterSet.GDB;
    }

    /** The thread a {@code ;thread:ID;} suffix names, else the Hg thread. */
    static int thread(Optional<ThreadId> suffix, RspSession session) {
        if (suffix.isEmpty()) {
            return session.state().generalThread();
        }
        int index = session.state().resolve(suffix.get(), session.target().threads());
        if (index < 0) {
            throw new IllegalArgumentException("no thread " + suffix.get());
        }
        return index;
    }
}
