package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.rsp.target.WarningsTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The core's loading problems (elfcore's warnings: missing files, build-id mismatches, truncation, cut notes), and
 * whether every file is the one at its recorded path on this machine.
 */
final class CoreWarnings implements WarningsTarget {
    private final CoreDump core;

    CoreWarnings(CoreDump core) {
        this.core = core;
    }

    @Override
    public List<String> problems() {
        return core.warnings();
    }

    @Override
    public boolean filesAreAtTheirRecordedPaths() {
        List<ResolvedFile> files = new ArrayList<>();
        core.executable().ifPresent(files::add);
        core.mappedRegions().stream().map(MappedRegion::file).forEach(files::add);
        if (files.isEmpty()) {
            return false;
        }
        for (ResolvedFile file : files) {
            if (file.isMissing() || file.buildIdMismatch() || !sameFile(file.path(), file.recordedPath())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<String> problemAt(long address) {
        if (inCoreData(address)) {
            return Optional.empty(); // the process's own bytes, whatever the file is
        }
        for (MappedRegion region : core.mappedRegions()) {
            if (!region.mapping().contains(address)) {
                continue;
            }
            ResolvedFile file = region.file();
            String where = "0x" + Long.toHexString(address) + " is in " + file.recordedPath();
            if (file.isMissing()) {
                return Optional.of(where + ", which is missing here: only the bytes the core holds of it exist"
                        + " (serve --sysroot or --map DIR=DIR to give the file)");
            }
            if (file.buildIdMismatch()) {
                return Optional.of(
                        where + ", but " + file.path().map(Path::toString).orElse("the file served")
                                + " is another build of it (build-id "
                                + file.fileBuildId().orElse("?") + ", the process had "
                                + file.coreBuildId().orElse("?") + "): its code is not the process's");
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether the core itself holds the byte at {@code address} (then it is not read from any file). */
    private boolean inCoreData(long address) {
        for (LoadSegment s : core.segments()) {
            if (Long.compareUnsigned(s.vaddr(), address) <= 0
                    && Long.compareUnsigned(address, s.vaddr() + Math.min(s.fileSize(), s.presentBytes())) < 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFile(Optional<Path> served, String recorded) {
        try {
            return served.isPresent() && Files.isSameFile(served.get(), Path.of(recorded));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
