package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** One ELF note: owner name, type and descriptor bytes. */
public record ElfNote(String name, int type, byte[] descriptor) {
    // Core notes (owner "CORE", NT_SIGINFO and NT_FILE also "CORE"; NT_X86_XSTATE "LINUX").
    public static final int NT_PRSTATUS = 1;
    public static final int NT_FPREGSET = 2;
    public static final int NT_PRPSINFO = 3;
    public static final int NT_AUXV = 6;
    public static final int NT_X86_XSTATE = 0x202;
    public static final int NT_SIGINFO = 0x53494749;
    public static final int NT_FILE = 0x46494c45;
    // Owner "GNU".
    public static final int NT_GNU_BUILD_ID = 3;

    /** A GNU build-id note ({@code NT_GNU_BUILD_ID}, owner "GNU"). */
    public boolean isBuildId() {
        return type == NT_GNU_BUILD_ID && name.equals("GNU") && descriptor.length > 0;
    }

    /** The descriptor as a little-endian buffer positioned at 0. */
    public ByteBuffer data() {
        return ByteBuffer.wrap(descriptor).order(ByteOrder.LITTLE_ENDIAN);
    }
}
