package io.coredumptools.rsp.handlers;

import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.rsp.inferior.Hex;

/**
 * lldb's {@code _M SIZE,PERMS} (allocate; replies the address) and {@code _m ADDR} (free): pages outside every
 * core mapping that survive the restores between calls (lldb keeps its JIT code and data there). Refused with
 * the empty reply when turned off ({@code serve --no-allocate-packets}, {@code monitor allocate off}): lldb then
 * has the process call mmap.
 */
public final class AllocationHandler implements PacketHandler {
    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("_M", (p, s) -> {
            if (!s.target().allocationAllowed()) {
                return Reply.EMPTY;
            }
            String[] parts = p.substring(2).split(",");
            long size = Hex.parseLong(parts[0]);
            String letters = parts.length > 1 ? parts[1] : "rw";
            int perms = (letters.contains("r") ? MemoryProtection.READ : 0)
                    | (letters.contains("w") ? MemoryProtection.WRITE : 0)
                    | (letters.contains("x") ? MemoryProtection.EXEC : 0);
            if (size <= 0 || size > (1L << 32)) {
                return Reply.error(0x16);
            }
            return Reply.text(Hex.number(s.target().allocate(size, perms)));
        });
        routes.prefix("_m", (p, s) -> {
            if (!s.target().allocationAllowed()) {
                return Reply.EMPTY;
            }
            return s.target().deallocate(Hex.parseLong(p.substring(2))) ? Reply.OK : Reply.error(0x16);
        });
    }
}
