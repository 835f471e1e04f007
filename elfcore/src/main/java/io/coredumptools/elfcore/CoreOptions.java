package io.coredumptools.elfcore;

import io.coredumptools.elfcore.source.RemoteFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where to find the files a core refers to.
 *
 * @param executable     the main executable, overriding the path recorded in the core (null: use the core's)
 * @param sysroot        a directory that recorded absolute paths are looked up under first (null: none)
 * @param debugDirs      extra directories searched for separate debug files, before the system ones
 * @param pathMappings   prefix rewrites tried, in order, on every recorded path
 * @param systemDebugDir the system debug directory ({@code /usr/lib/debug}); null turns the system lookup off
 * @param remoteFiles    where else mapped files and debug files may be: object stores, debuginfod
 *                       ({@link RemoteFiles#NONE}: only this machine's files)
 */
public record CoreOptions(
        Path executable,
        Path sysroot,
        List<Path> debugDirs,
        List<PathMapping> pathMappings,
        Path systemDebugDir,
        RemoteFiles remoteFiles) {

    public static final Path SYSTEM_DEBUG_DIR = Path.of("/usr/lib/debug");

    public CoreOptions {
        debugDirs = List.copyOf(debugDirs);
        pathMappings = List.copyOf(pathMappings);
        Objects.requireNonNull(remoteFiles, "remoteFiles (RemoteFiles.NONE for none)");
    }

    /** Only this machine's files. */
    public CoreOptions(
            Path executable, Path sysroot, List<Path> debugDirs, List<PathMapping> pathMappings, Path systemDebugDir) {
        this(executable, sysroot, debugDirs, pathMappings, systemDebugDir, RemoteFiles.NONE);
    }

    public static CoreOptions defaults() {
        return new CoreOptions(null, null, List.of(), List.of(), SYSTEM_DEBUG_DIR);
    }

    public CoreOptions withExecutable(Path exe) {
        return new CoreOptions(exe, sysroot, debugDirs, pathMappings, systemDebugDir, remoteFiles);
    }

    public CoreOptions withSysroot(Path root) {
        return new CoreOptions(executable, root, debugDirs, pathMappings, systemDebugDir, remoteFiles);
    }

    public CoreOptions withDebugDirs(List<Path> dirs) {
        return new CoreOptions(executable, sysroot, dirs, pathMappings, systemDebugDir, remoteFiles);
    }

    public CoreOptions withPathMappings(List<PathMapping> mappings) {
        return new CoreOptions(executable, sysroot, debugDirs, mappings, systemDebugDir, remoteFiles);
    }

    public CoreOptions withSystemDebugDir(Path dir) {
        return new CoreOptions(executable, sysroot, debugDirs, pathMappings, dir, remoteFiles);
    }

    public CoreOptions withRemoteFiles(RemoteFiles files) {
        return new CoreOptions(executable, sysroot, debugDirs, pathMappings, systemDebugDir, files);
    }
}
