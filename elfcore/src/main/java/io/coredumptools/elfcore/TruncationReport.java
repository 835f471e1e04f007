package io.coredumptools.elfcore;

import java.util.List;

/**
 * What a cut-short core lacks: the segments whose dumped bytes are not all in the file.
 *
 * @param fileSize      the core's size on disk
 * @param expectedSize  the size the headers promise (end of the last segment or note)
 * @param truncated     segments with some bytes missing, in file order
 * @param missing       segments with none of their dumped bytes present (a subset of {@code truncated})
 */
public record TruncationReport(
        long fileSize, long expectedSize, List<LoadSegment> truncated, List<LoadSegment> missing) {
    public boolean isTruncated() {
        return expectedSize > fileSize;
    }

    public long missingBytes() {
        return Math.max(0, expectedSize - fileSize);
    }
}
