package io.coredumptools.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the ELF header's e_type, enough to tell a core from an executable without any ELF library. */
public final class ElfFileType {

    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    /** e_ident (16 bytes) followed by the 2-byte e_type. */
    private static final int HEADER_PREFIX_LENGTH = 18;

    private static final int EI_CLASS = 4;
    private static final int EI_DATA = 5;
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;

    private ElfFileType() {}

    /**
     * The e_type of a 64-bit little-endian ELF file, or -1 if the file is shorter than an ELF header or
     * is not such a file.
     */
    public static int of(Path file) {
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            header = in.readNBytes(HEADER_PREFIX_LENGTH);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (header.length < HEADER_PREFIX_LENGTH
                || header[0] != 0x7f
                || header[1] != 'E'
                || header[2] != 'L'
                || header[3] != 'F'
                || header[EI_CLASS] != ELFCLASS64
                || header[EI_DATA] != ELFDATA2LSB) {
            return -1;
        }
        return (header[16] & 0xff) | (header[17] & 0xff) << 8;
    }

    public static boolean isCore(Path file) {
        return of(file) == ET_CORE;
    }
}
