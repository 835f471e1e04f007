package io.coredumptools.elfcore;

import io.coredumptools.elfcore.source.FileSources;
import java.nio.file.Path;

/**
 * The input cannot be used as an x86-64 ELF core (or ELF file); the message names the file and what is wrong. A
 * file that holds a remote object's bytes is named by its location ({@code s3://…}), not by its cache path.
 */
public class CoreFormatException extends Exception {
    private final Path file;

    public CoreFormatException(Path file, String problem) {
        super(FileSources.displayName(file) + ": " + problem);
        this.file = file;
    }

    public CoreFormatException(Path file, String problem, Throwable cause) {
        super(FileSources.displayName(file) + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
