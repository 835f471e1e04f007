package io.coredumptools.elfcore.symbols;

import java.nio.file.Path;

/**
 * One ELF object of the process, for the symbol index.
 *
 * @param recordedPath the path as the core recorded it
 * @param file         the file on this machine (already resolved and checked)
 * @param loadBias     added to the file's st_value to get run-time addresses (0 for non-PIE executables)
 * @param start        the lowest address of its mappings
 * @param end          the end of its highest mapping
 */
public record ModuleImage(String recordedPath, Path file, long loadBias, long start, long end) {}
