package io.coredumptools.emulator.call;

import io.coredumptools.emulator.StackFrame;
import io.coredumptools.emulator.memory.ImageRegion;
import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A backtrace without unwind tables: pc, then every stack word between sp and the call's sentinel that is
 * a return address — it points into executable memory just after a call instruction. Optimized code has no
 * frame pointers, so walking rbp would lose frames; a stale return address can slip in, which a
 * report tolerates better than a missing frame.
 */
final class Backtracer {
    private static final int MAX_FRAMES = 32;
    private static final int MAX_STACK_BYTES = 256 * 1024;

    private final MemoryImage image;
    private final Symbolizer symbolizer;

    Backtracer(MemoryImage image, Symbolizer symbolizer) {
        this.image = image;
        this.symbolizer = symbolizer;
    }

    List<StackFrame> backtrace(long pc, long sp, long stackTop, long sentinel) {
        List<StackFrame> frames = new ArrayList<>();
        frames.add(new StackFrame(0, pc, symbolizer.describe(pc)));
        long end = Math.min(stackTop, sp + MAX_STACK_BYTES);
        if (Long.compareUnsigned(sp, end) >= 0 || image.regionAt(sp).isEmpty()) {
            return frames;
        }
        ByteBuffer stack;
        try {
            stack = ByteBuffer.wrap(image.read(sp, (int) (end - sp))).order(ByteOrder.LITTLE_ENDIAN);
        } catch (RuntimeException unreadable) {
            return frames;
        }
        while (stack.remaining() >= 8 && frames.size() < MAX_FRAMES) {
            long word = stack.getLong();
            if (word == sentinel) {
                break;
            }
            if (isReturnAddress(word)) {
                frames.add(new StackFrame(frames.size(), word, symbolizer.describe(word)));
            }
        }
        return frames;
    }

    private boolean isReturnAddress(long address) {
        Optional<ImageRegion> region = image.regionAt(address);
        if (region.isEmpty()
                || !MemoryProtection.isExecutable(region.get().basePerms())
                || address - region.get().start() < 7) {
            return false;
        }
        byte[] before;
        try {
            before = image.read(address - 7, 7);
        } catch (RuntimeException e) {
            return false;
        }
        if ((before[2] & 0xff) == 0xE8) {
            return true; // call rel32
        }
        // call r/m64: FF /2 with 0 to 5 bytes of modrm/sib/displacement after the opcode.
        for (int length = 2; length <= 7; length++) {
            int opcode = 7 - length;
            int modrm = before[opcode + 1] & 0xff;
            if ((before[opcode] & 0xff) == 0xFF && ((modrm >> 3) & 7) == 2) {
                return true;
            }
        }
        return false;
    }
}
