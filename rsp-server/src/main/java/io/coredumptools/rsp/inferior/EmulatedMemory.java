package io.coredumptools.rsp.inferior;

import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.memory.CrashImage;
import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.rsp.target.MemoryTarget;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The session's memory: the shared crash image until the session has an engine, then the engine's copy-on-write
 * image, with the load-time patches shown as the process had the bytes ({@link PatchedLocations}). Both read the
 * same: a write builds the engine. The patches are asked for only once there is an engine (the planning may still
 * run while a session reads the crash image).
 */
final class EmulatedMemory implements MemoryTarget {
    private final SessionEngine engine;
    private final CrashImage crash;
    private final Supplier<PatchedLocations> patches;
    private final ImageRestorer restorer;

    EmulatedMemory(SessionEngine engine, CrashImage crash, Supplier<PatchedLocations> patches, ImageRestorer restorer) {
        this.engine = engine;
        this.crash = crash;
        this.patches = patches;
        this.restorer = restorer;
    }

    @Override
    public byte[] read(long address, int length) {
        Optional<Emulator> built = engine.ifBuilt();
        if (built.isEmpty()) {
            return crash.read(address, length);
        }
        byte[] bytes = readPrefix(built.get(), address, length);
        patches.get().showCrashBytes(address, bytes, built.get()::read);
        return bytes;
    }

    @Override
    public int read(long address, ByteBuffer into) {
        if (engine.ifBuilt().isEmpty()) {
            return crash.read(address, into);
        }
        return MemoryTarget.super.read(address, into);
    }

    /** What the engine has of [address, address+length): halve until a read works, then go on from there. */
    private static byte[] readPrefix(Emulator emulator, long address, int length) {
        try {
            return emulator.read(address, length);
        } catch (MemoryAccessException | IllegalArgumentException e) {
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
            probe(address); // the X probe: fail as the write would
            return;
        }
        Emulator built = engine.get();
        PatchedLocations.EngineWrite write = patches.get().toEngine(address, bytes, built::read);
        restorer.memoryWritten(write.address(), write.bytes());
    }

    private void probe(long address) {
        Optional<Emulator> built = engine.ifBuilt();
        if (built.isPresent()) {
            built.get().read(address, 1);
        } else if (crash.read(address, 1).length == 0) {
            throw new MemoryAccessException(
                    address, "cannot write at 0x" + Long.toHexString(address) + ": nothing is mapped there", null);
        }
    }
}
