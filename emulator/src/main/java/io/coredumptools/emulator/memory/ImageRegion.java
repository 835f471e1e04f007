package io.coredumptools.emulator.memory;

import io.coredumptools.emulator.nativeio.HostMapping;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import java.nio.file.Path;

/**
 * Guest memory [start, end) handed to unicorn as one {@code uc_mem_map_ptr} region, backed by one host
 * mapping of the same size.
 *
 * @param basePerms    unicorn permissions when the region was created
 * @param origin       the file the bytes come from ("core", a library path) or "anonymous"
 * @param originOffset offset of {@code start} in that file
 * @param host         the host pages unicorn reads and writes
 * @param lifetime     what restores do with it
 * @param file         the file on this machine the bytes are mapped from (CORE, FILE), else null
 */
public record ImageRegion(
        long start,
        long end,
        int basePerms,
        RegionSource source,
        String origin,
        long originOffset,
        HostMapping host,
        RegionLifetime lifetime,
        Path file) {

    /** The same region with another lifetime. */
    ImageRegion withLifetime(RegionLifetime newLifetime) {
        return new ImageRegion(start, end, basePerms, source, origin, originOffset, host, newLifetime, file);
    }

    /** A region of the base image: restores keep it and revert its contents. */
    public boolean partOfBase() {
        return lifetime == RegionLifetime.BASE;
    }

    public long size() {
        return end - start;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    /** Host address of guest {@code address}, which must lie in the region. */
    public long hostAddress(long address) {
        return host.address() + (address - start);
    }

    @Override
    public String toString() {
        String from = switch (source) {
            case CORE, FILE -> origin + " @0x" + Long.toHexString(originOffset);
            case ZERO_FILL -> "zero pages past the end of " + origin;
            case ANONYMOUS -> "anonymous";
        };
        return "[0x" + Long.toHexString(start) + "-0x" + Long.toHexString(end) + ") "
                + MemoryProtection.toRwx(basePerms) + " " + from;
    }
}
