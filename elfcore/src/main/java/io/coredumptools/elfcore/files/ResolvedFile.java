package io.coredumptools.elfcore.files;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A file the core refers to, and where it was found.
 *
 * @param recordedPath the path as the core recorded it (NT_FILE)
 * @param path         the file used on this machine; empty when {@link Resolution#MISSING}
 * @param coreBuildId  the GNU build-id read from the core's memory at the mapping's start, when dumped
 * @param fileBuildId  the build-id of the file found, when it has one
 * @param elf          whether the file is an ELF object (false: a data file mapped as it is, such as a locale
 *                     archive, with no symbols and no build-id)
 */
public record ResolvedFile(
        String recordedPath,
        Optional<Path> path,
        Resolution resolution,
        Optional<String> coreBuildId,
        Optional<String> fileBuildId,
        boolean elf) {

    /** An ELF object (or a missing file). */
    public ResolvedFile(
            String recordedPath,
            Optional<Path> path,
            Resolution resolution,
            Optional<String> coreBuildId,
            Optional<String> fileBuildId) {
        this(recordedPath, path, resolution, coreBuildId, fileBuildId, true);
    }

    public boolean isMissing() {
        return resolution == Resolution.MISSING;
    }

    /** Both build-ids are known and differ: the file found is not the one the process had mapped. */
    public boolean buildIdMismatch() {
        return coreBuildId.isPresent()
                && fileBuildId.isPresent()
                && !coreBuildId.get().equals(fileBuildId.get());
    }

    /** The build-id to report: the core's when known (it is what the process ran), else the file's. */
    public Optional<String> buildId() {
        return coreBuildId.isPresent() ? coreBuildId : fileBuildId;
    }
}
