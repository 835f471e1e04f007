package io.coredumptools.rsp.handlers;

import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * {@code qShlibInfoAddr}: where the pointer to the dynamic linker's {@code r_debug} lives (the value of the
 * executable's DT_DEBUG entry), which lldb reads to walk the link map. Empty when the program has none
 * (static).
 */
public final class SharedLibrariesHandler implements PacketHandler {
    private static final long DT_NULL = 0;
    private static final long DT_DEBUG = 21;
    private static final int MAX_ENTRIES = 512;

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.exact("qShlibInfoAddr", (p, s) -> {
            long address = debugPointerAddress(s.target());
            return address == 0 ? Reply.EMPTY : Reply.text(Hex.number(address));
        });
    }

    static long debugPointerAddress(DebugTarget target) {
        List<LoadedObject> objects = target.core().core().loadedObjects();
        if (objects.isEmpty()
                || !objects.get(0).name().isEmpty()
                || objects.get(0).dynamic() == 0) {
            return 0;
        }
        long dynamic = objects.get(0).dynamic();
        byte[] bytes = target.readMemory(dynamic, 16 * MAX_ENTRIES);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 16 <= bytes.length; at += 16) {
            long tag = b.getLong(at);
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_DEBUG) {
                return dynamic + at + 8;
            }
        }
        return 0;
    }
}
