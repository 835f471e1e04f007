package io.coredumptools.emulator;

import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.patches.ProcessMemory;
import java.util.Optional;

/** glibc-patches' view of the live emulated memory: reads where mapped, writes that ignore protections. */
final class EmulatorProcessMemory implements ProcessMemory {
    private final MemoryImage image;

    EmulatorProcessMemory(MemoryImage image) {
        this.image = image;
    }

    @Override
    public Optional<byte[]> read(long address, int length) {
        try {
            return Optional.of(image.read(address, length));
        } catch (io.coredumptools.emulator.memory.MemoryAccessException notMapped) {
            return Optional.empty();
        }
    }

    @Override
    public void write(long address, byte[] bytes) {
        image.write(address, bytes);
    }
}
