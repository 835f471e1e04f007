package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.rsp.target.MemoryTarget;

/** The session's copy-on-write image of the core's memory. */
final class EmulatedMemory implements MemoryTarget {
    private final Emulator emulator;
    private final ImageRestorer restorer;

    EmulatedMemory(Emulator emulator, ImageRestorer restorer) {
        this.emulator = emulator;
        this.restorer = restorer;
    }

    @Override
    public byte[] read(long address, int length) {
        try {
            return emulator.read(address, length);
        } catch (MemoryAccessException | IllegalArgumentException e) {
            // The readable prefix: halve until a read works, then go on from there.
            int good = 0;
            int step = length;
            while (step > 0 && good < length) {
                int n = Math.min(step, length - good);
                try {
                    emulator.read(address + good, n);
                    good += n;
                } catch (MemoryAccessException | IllegalArgumentException again) {
                    step /= 2;
                }
            }
            return good == 0 ? new byte[0] : emulator.read(address, good);
        }
    }

    @Override
    public void write(long address, byte[] bytes) {
        if (bytes.length == 0) {
            emulator.read(address, 1); // the X probe: fail as the write would
            return;
        }
        restorer.memoryWritten(address, bytes);
    }
}
