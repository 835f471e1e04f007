package io.coredumptools.cli;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.PathMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every subcommand that opens a core shares: where the files the core refers to are.
 * Use with {@code @Mixin CoreOptionsMixin coreOptions;} and {@link #toCoreOptions()}.
 */
public final class CoreOptionsMixin {

    @Option(
            names = "--exe",
            paramLabel = "PROG",
            order = 100,
            description = "The main executable, instead of the path the core recorded.")
    Path executable;

    @Option(
            names = "--sysroot",
            paramLabel = "DIR",
            order = 101,
            description = "Look up the absolute paths the core recorded under DIR first.")
    Path sysroot;

    @Option(
            names = "--debug-dir",
            paramLabel = "DIR",
            order = 102,
            description = "A directory of separate debug files (by build-id or path), searched before the "
                    + "system one; repeatable.")
    List<Path> debugDirs = new ArrayList<>();

    @Option(
            names = "--map",
            paramLabel = "OLD=NEW",
            order = 103,
            converter = PathMappingConverter.class,
            description = "Rewrite recorded paths starting with OLD to start with NEW; repeatable, tried in order.")
    List<PathMapping> pathMappings = new ArrayList<>();

    @Option(
            names = "--no-system-debug",
            order = 104,
            description = "Do not look for debug files under " + "/usr/lib/debug" + ".")
    boolean noSystemDebug;

    /** The options as given, after checking that the files and directories they name exist. */
    public CoreOptions toCoreOptions() throws UnusableInputException {
        if (executable != null) {
            requireRegularFile("--exe", executable);
        }
        if (sysroot != null) {
            requireDirectory("--sysroot", sysroot);
        }
        for (Path dir : debugDirs) {
            requireDirectory("--debug-dir", dir);
        }
        return CoreOptions.defaults()
                .withExecutable(executable)
                .withSysroot(sysroot)
                .withDebugDirs(debugDirs)
                .withPathMappings(pathMappings)
                .withSystemDebugDir(noSystemDebug ? null : CoreOptions.SYSTEM_DEBUG_DIR);
    }

    /** Checks that {@code file} is a readable regular file; {@code what} names the argument in the message. */
    static void requireRegularFile(String what, Path file) throws UnusableInputException {
        String prefix = (what.isEmpty() ? "" : what + " ") + file + ": ";
        if (!Files.exists(file)) {
            throw new UnusableInputException(prefix + "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new UnusableInputException(prefix + "is a directory, not a file");
        }
        if (!Files.isReadable(file)) {
            throw new UnusableInputException(prefix + "cannot be read (permission denied)");
        }
    }

    static void requireDirectory(String what, Path dir) throws UnusableInputException {
        if (!Files.isDirectory(dir)) {
            throw new UnusableInputException(
                    what + " " + dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory"));
        }
    }

    /** {@code OLD=NEW} → {@link PathMapping}. */
    public static final class PathMappingConverter implements ITypeConverter<PathMapping> {
        @Override
        public PathMapping convert(String value) {
            try {
                return PathMapping.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
