package io.coredumptools.elfcore.symbols;

import io.coredumptools.testkit.CommandFailedException;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the machine's toolchain (gcc, objcopy, strip, readelf, nm) for tests that need real ELF files. */
public final class NativeTools {
    public static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");

    private NativeTools() {}

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /**
     * Runs {@code command} in {@code dir} (output drained while it runs, killed after the timeout); its stdout, or
     * an AssertionError with the command's output when it fails or times out.
     */
    public static String run(Path dir, String... command) {
        CommandResult result;
        try {
            result = ExternalCommand.run(List.of(command), dir, TIMEOUT);
        } catch (CommandFailedException e) {
            throw new AssertionError(String.join(" ", command) + ": " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            throw new AssertionError(result.describe());
        }
        return result.stdout();
    }

    /** Writes {@code source} to {@code dir/name.c} and compiles it with gcc and {@code flags} into {@code dir/name}. */
    public static Path compile(Path dir, String name, String source, String... flags) throws IOException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        List<String> command =
                new ArrayList<>(List.of("gcc", "-o", name, c.getFileName().toString()));
        command.addAll(List.of(flags));
        run(dir, command.toArray(new String[0]));
        return dir.resolve(name);
    }

    /** The build-id readelf reports for {@code file}, or "" when it has none. */
    public static String readelfBuildId(Path file) {
        for (String line : run(file.toAbsolutePath().getParent(), "readelf", "-n", file.toString())
                .split("\n")) {
            String t = line.trim();
            if (t.startsWith("Build ID:")) {
                return t.substring("Build ID:".length()).trim();
            }
        }
        return "";
    }

    /**
     * One line of {@code readelf -Ws} / {@code --dyn-syms}.
     *
     * @param name as readelf prints it, with {@code @VER} or {@code @@VER} for versioned symbols
     */
    public record ReadelfSymbol(long value, long size, String type, String bind, String ndx, String name) {}

    /** The symbols of {@code readelf -W <option>} for {@code file} ({@code --dyn-syms} or {@code --syms}). */
    public static List<ReadelfSymbol> readelfSymbols(Path file, String option) {
        List<ReadelfSymbol> result = new ArrayList<>();
        boolean inTable = false;
        for (String line : run(file.toAbsolutePath().getParent(), "readelf", "-W", option, file.toString())
                .split("\n")) {
            String t = line.trim();
            if (t.startsWith("Symbol table")) {
                inTable = true;
                continue;
            }
            if (!inTable || !t.matches("\\d+:.*")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < 8) {
                continue; // the null symbol or an unnamed one
            }
            String size = f[2];
            long sizeValue =
                    size.startsWith("0x") ? Long.parseUnsignedLong(size.substring(2), 16) : Long.parseLong(size);
            // readelf may add "(n)" after the name for versions it shows separately; keep the name field only.
            result.add(new ReadelfSymbol(Long.parseUnsignedLong(f[1], 16), sizeValue, f[3], f[4], f[6], f[7]));
        }
        return result;
    }
}
