package io.coredumptools.elfcore;

import java.nio.file.Path;
import java.util.List;

/**
 * Where to find the files a core refers to.
 *
 * @param executable     the main executable, overriding the path recorded in the core (null: use the core's)
 * @param sysroot        a directory that recorded absolute paths are looked up under first (null: none)
 * @param debugDirs      extra directories searched for separate debug files, before the system ones
 * @param pathMappings   prefix rewrites tried, in order, on every recorded path
 * @param systemDebugDir the system debug directory ({@code /usr/lib/debug}); null turns the system lookup off
 */
public record CoreOptions(
        Path executable, Path sysroot, List<Path> debugDirs, List<PathMapping> pathMappings, Path systemDebugDir) {

    public static final Path SYSTEM_DEBUG_DIR = Path.of("/usr/lib/debug");

    public CoreOptions {
        debugDirs = List.copyOf(debugDirs);
        pathMappings = List.copyOf(pathMappings);
    }

    public static CoreOptions defaults() {
        return new CoreOptions(null, null, List.of(), List.of(), SYSTEM_DEBUG_DIR);
    }

    public CoreOptions withExecutable(Path exe) {
        return new CoreOptions(exe, sysroot, debugDirs, pathMappings, systemDebugDir);
    }

    public CoreOptions withSysroot(Path root) {
        return new CoreOptions(executable, root, debugDirs, pathMappings, systemDebugDir);
    }

    public CoreOptions withDebugDirs(List<Path> dirs) {
        return new CoreOptions(executable, sysroot, dirs, pathMappings, systemDebugDir);
    }

    public CoreOptions withPathMappings(List<PathMapping> mappings) {
        return new CoreOptions(executable, sysroot, debugDirs, mappings, systemDebugDir);
    }

    public CoreOptions withSystemDebugDir(Path dir) {
        return new CoreOptions(executable, sysroot, debugDirs, pathMappings, dir);
    }
}
