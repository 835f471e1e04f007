package io.coredumptools.elfcore;

/** The signal that killed the process, from NT_SIGINFO (the kernel's siginfo_t, 128 bytes). */
public record SignalInfo(int signo, int errno, int code, long faultAddress, byte[] raw) {

    /** Signals whose siginfo carries a fault address. */
    public boolean hasFaultAddress() {
        return signo == 4 || signo == 5 || signo == 7 || signo == 8 || signo == 11;
    }

    public String name() {
        return io.coredumptools.elfcore.abi.Signals.name(signo);
    }
}
