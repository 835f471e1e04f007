package io.coredumptools.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What a ptrace-based debugger (gdb 13, gdbserver 13) needs to make inferior calls on a live process on every
 * CPU of this workplace: the shim {@code support/ptrace-xstate-shim.c} preloaded into it (its comment says why:
 * on AMX CPUs gdb 13 cannot write the extended register state). Tests that take ground truth from a live
 * process start gdb or gdbserver with {@link #debuggerEnvironment()} and keep the shim out of the inferior
 * ({@link #GDB_PRE_COMMAND}, {@link #gdbserverWrapper()}), so the process is the one a user would debug.
 */
public final class LivePtrace {
    /** gdb runs the inferior with gdb's own environment unless told otherwise. */
    public static final String GDB_PRE_COMMAND = "unset environment LD_PRELOAD";

    private static final String SOURCE = "support/ptrace-xstate-shim.c";
    private static Path shim;

    private LivePtrace() {}

    /** Environment changes for the debugger process (gdb or gdbserver). */
    public static Map<String, String> debuggerEnvironment() {
        return Map.of("LD_PRELOAD", shim().toString());
    }

    /** gdbserver's {@code --wrapper} arguments that start the inferior without the shim. */
    public static List<String> gdbserverWrapper() {
        return List.of("--wrapper", "env", "-u", "LD_PRELOAD", "--");
    }

    /** The compiled shim, built once per source under the fixtures directory. */
    public static synchronized Path shim() {
        if (shim == null) {
            shim = build();
        }
        return shim;
    }

    private static Path build() {
        byte[] source = readSource();
        Path directory = Fixtures.directory().resolve("support");
        Path library = directory.resolve("ptrace-xstate-shim-" + digest(source) + ".so");
        if (Files.isRegularFile(library)) {
            return library.toAbsolutePath();
        }
        try {
            Files.createDirectories(directory);
            Path work = Files.createTempDirectory(directory, "shim-build-");
            Path c = work.resolve("ptrace-xstate-shim.c");
            Files.write(c, source);
            Path built = work.resolve("shim.so");
            List<String> gcc = List.of("gcc", "-shared", "-fPIC", "-O2", "-o", built.toString(), c.toString(), "-ldl");
            CommandResult result = ExternalCommand.run(gcc, work, Duration.ofSeconds(120));
            if (!result.succeeded()) {
                throw new CommandFailedException("cannot compile " + SOURCE, result);
            }
            try {
                Files.move(built, library, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(built, library, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException raced) {
                if (!Files.isRegularFile(library)) {
                    throw raced; // not another build that published it first
                }
            }
            Files.deleteIfExists(c);
            Files.deleteIfExists(work);
            return library.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + library, e);
        }
    }

    private static byte[] readSource() {
        try (InputStream in = LivePtrace.class.getResourceAsStream("/" + SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SOURCE, e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
