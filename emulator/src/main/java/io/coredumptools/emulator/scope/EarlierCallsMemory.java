package io.coredumptools.emulator.scope;

import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.memory.ImageRegion;
import io.coredumptools.emulator.memory.RegionLifetime;
import java.util.Optional;

/**
 * The memory the earlier calls wrote or allocated since the last restore, as one call's inputs are checked against
 * it. Neither the calling thread's stack below its crash-time sp (scratch for every call) nor what the debugger wrote
 * for this call counts. Memory the debugger owns (lldb's {@code _M} pages) holds the debugger's own data: a pointer
 * into it counts when the word there points into the earlier calls' memory (lldb keeps an expression's result there).
 */
final class EarlierCallsMemory {
    private final Emulator emulator;
    private final DebuggerWrites writes;
    private final long stackStart;
    private final long crashSp;

    EarlierCallsMemory(Emulator emulator, DebuggerWrites writes, long crashSp) {
        this.emulator = emulator;
        this.writes = writes;
        this.crashSp = crashSp;
        this.stackStart = emulator.regionAt(crashSp).map(ImageRegion::start).orElse(crashSp);
    }

    /** What {@code value}, taken as an address, points into ("memory an earlier call wrote"), or empty. */
    Optional<String> pointee(long value) {
        return pointee(value, true);
    }

    /** Whether {@code value} is an address on the calling thread's stack below its crash-time sp. */
    boolean onScratchStack(long value) {
        return Long.compareUnsigned(value, stackStart) >= 0 && Long.compareUnsigned(value, crashSp) < 0;
    }

    private Optional<String> pointee(long value, boolean followDebuggerMemory) {
        if (onScratchStack(value) || writes.covers(value)) {
            return Optional.empty();
        }
        Optional<ImageRegion> region = emulator.regionAt(value);
        if (region.isEmpty()) {
            return Optional.empty();
        }
        if (region.get().lifetime() == RegionLifetime.PERSISTENT) {
            if (!followDebuggerMemory) {
                return Optional.empty();
            }
            return word(value)
                    .flatMap(inner -> pointee(inner, false)
                            .map(what -> "the debugger's memory holding 0x" + Long.toHexString(inner) + ", which points"
                                    + " into " + what));
        }
        if (region.get().lifetime() == RegionLifetime.SINCE_BASE) {
            return Optional.of("memory an earlier call allocated");
        }
        if (emulator.writtenSinceRestore(value) && !writes.firstWrittenByDebugger(value)) {
            return Optional.of("memory an earlier call wrote");
        }
        return Optional.empty();
    }

    Optional<Long> word(long address) {
        try {
            return Optional.of(emulator.readLong(address));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
