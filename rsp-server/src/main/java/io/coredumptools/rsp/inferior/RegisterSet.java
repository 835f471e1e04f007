package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.debug.RegisterFile;

/**
 * A numbering of the registers as one client dialect sees them: gdb's (the amd64 target description,
 * {@link RegisterLayout}) or lldb's ({@link LldbRegisters}). p/P, g/G and the registers of stop replies use it.
 */
public interface RegisterSet {
    /** gdb's numbering. */
    RegisterSet GDB = new RegisterSet() {
        @Override
        public int count() {
            return RegisterLayout.COUNT;
        }

        @Override
        public int gPacketBytes() {
            return RegisterLayout.G_PACKET_BYTES;
        }

        @Override
        public int minimumGBytes() {
            return RegisterLayout.offset(24);
        }

        @Override
        public byte[] read(RegisterFile regs, int regnum) {
            return RegisterLayout.read(regs, regnum);
        }

        @Override
        public void write(RegisterFile regs, int regnum, byte[] value) {
            RegisterLayout.write(regs, regnum, value);
        }

        @Override
        public byte[] readAll(RegisterFile regs) {
            return RegisterLayout.readAll(regs);
        }

        @Override
        public void writeAll(RegisterFile regs, byte[] data) {
            RegisterLayout.writeAll(regs, data);
        }

        @Override
        public int[] expedited() {
            return new int[] {RegisterLayout.RBP, RegisterLayout.RSP, RegisterLayout.RIP};
        }

        @Override
        public byte[] targetXml() {
            return RegisterLayout.targetXml();
        }
    };

    int count();

    int gPacketBytes();

    /** The shortest G packet accepted: the general registers. */
    int minimumGBytes();

    byte[] read(RegisterFile regs, int regnum);

    void write(RegisterFile regs, int regnum, byte[] value);

    byte[] readAll(RegisterFile regs);

    void writeAll(RegisterFile regs, byte[] data);

    /** The registers a stop reply carries. */
    int[] expedited();

    /** The target description (qXfer:features target.xml) that declares this numbering. */
    byte[] targetXml();
}
