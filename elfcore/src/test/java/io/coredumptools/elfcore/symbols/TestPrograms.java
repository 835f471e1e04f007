package io.coredumptools.elfcore.symbols;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small C programs and libraries compiled for symbol tests. */
public final class TestPrograms {
    public static final String PROGRAM = """
            #include <stdio.h>
            int global_counter = 42;
            __thread int tls_value = 7;
            static __attribute__((noinline)) int local_helper(int x) { return x * 3 + global_counter; }
            int main(int argc, char **argv) {
                (void) argv;
                printf("%d\\n", local_helper(argc) + tls_value);
                return 0;
            }
            """;

    public static final String OTHER_PROGRAM = """
            int other_function(int x) { return x + 1; }
            int main(void) { return other_function(41); }
            """;

    private TestPrograms() {}

    /** {@code dir/name}, a position-independent executable with debug info and a build-id. */
    public static Path program(Path dir, String name, String source) throws IOException {
        return NativeTools.compile(dir, name, source, "-g", "-O0", "-Wl,--build-id");
    }

    /** {@code dir/lib<name>.so} from {@code source}, with {@code versionScript} when not null. */
    public static Path sharedLibrary(Path dir, String name, String source, String versionScript) throws IOException {
        if (versionScript == null) {
            return NativeTools.compile(dir, "lib" + name + ".so", source, "-shared", "-fPIC", "-g", "-Wl,--build-id");
        }
        Path map = dir.resolve(name + ".map");
        Files.writeString(map, versionScript);
        return NativeTools.compile(
                dir,
                "lib" + name + ".so",
                source,
                "-shared",
                "-fPIC",
                "-g",
                "-Wl,--build-id",
                "-Wl,--version-script=" + map.getFileName());
    }

    /** The value {@code nm} gives {@code name} in {@code file} (the unstripped original is the ground truth). */
    public static long nmValue(Path file, String name) {
        for (String line : NativeTools.run(file.toAbsolutePath().getParent(), "nm", file.toString())
                .split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals(name)) {
                return Long.parseUnsignedLong(f[0], 16);
            }
        }
        throw new AssertionError(name + " not in nm output of " + file);
    }
}
