package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.CoreMemory;
import io.coredumptools.elfcore.ThreadLocalStorage;
import io.coredumptools.rsp.target.TlsTarget;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Thread-local variables' addresses from the thread's thread pointer (its fs_base, as the session sees it now),
 * its DTV and the link_map module ids, read through the session's memory (so a call's writes are seen), with
 * glibc's own structure descriptors ({@link ThreadLocalStorage}).
 */
final class EmulatedTls implements TlsTarget {
    private final LoadedCore core;
    private final ThreadStates states;
    private final CoreMemory image;
    /** Read on first use; the reason when the process's glibc has no descriptors. */
    private ThreadLocalStorage layout;

    EmulatedTls(LoadedCore core, EmulatedMemory memory, ThreadStates states) {
        this.core = core;
        this.states = states;
        this.image = (address, length) -> {
            byte[] bytes = memory.read(address, length);
            return bytes.length == length
                    ? Optional.of(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN))
                    : Optional.empty();
        };
    }

    @Override
    public long address(int thread, long offset, long linkMap) throws Unavailable {
        try {
            if (layout == null) {
                layout = ThreadLocalStorage.of(core.core().symbols(), image);
            }
            return layout.address(image, states.registers[thread].fsBase, linkMap, offset);
        } catch (ThreadLocalStorage.UnavailableException e) {
            throw new Unavailable(e.code(), e.getMessage());
        }
    }
}
