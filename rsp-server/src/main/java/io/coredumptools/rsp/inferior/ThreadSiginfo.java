package io.coredumptools.rsp.inferior;

import io.coredumptools.rsp.target.SiginfoTarget;

/** Each thread's siginfo; gdb's full reads and writes of it are call brackets for the {@link ImageRestorer}. */
final class ThreadSiginfo implements SiginfoTarget {
    private final ThreadStates states;
    private final ImageRestorer restorer;

    ThreadSiginfo(ThreadStates states, ImageRestorer restorer) {
        this.states = states;
        this.restorer = restorer;
    }

    @Override
    public byte[] read(int thread, long offset) {
        if (offset == 0) {
            restorer.siginfoRead();
        }
        return states.siginfo[thread];
    }

    @Override
    public void write(int thread, long offset, byte[] data) {
        byte[] info = states.siginfo[thread].clone();
        int n = (int) Math.max(0, Math.min(data.length, Siginfo.SIZE - offset));
        System.arraycopy(data, 0, info, (int) offset, n);
        states.siginfo[thread] = info;
        if (offset == 0) {
            restorer.siginfoWritten();
        }
    }

    @Override
    public byte[] of(int thread) {
        return states.siginfo[thread].clone();
    }
}
