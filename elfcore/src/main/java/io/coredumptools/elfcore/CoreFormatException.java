package io.coredumptools.elfcore;

import java.nio.file.Path;

/** The input cannot be used as an x86-64 ELF core (or ELF file); the message names the file and what is wrong. */
public class CoreFormatException extends Exception {
    private final Path file;

    public CoreFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public CoreFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
