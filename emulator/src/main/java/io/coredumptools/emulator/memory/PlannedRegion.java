package io.coredumptools.emulator.memory;

import java.nio.file.Path;

/**
 * A guest range the image will map, and from where: [fileOffset, fileOffset+size) of {@code file}
 * (the core or a mapped file), or zero pages when {@code file} is null.
 *
 * @param origin the name to show for the source: the core path or the path recorded in NT_FILE
 */
record PlannedRegion(long start, long end, int perms, RegionSource source, Path file, String origin, long fileOffset) {
    long size() {
        return end - start;
    }
}
