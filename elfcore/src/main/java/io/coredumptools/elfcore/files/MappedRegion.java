package io.coredumptools.elfcore.files;

import io.coredumptools.elfcore.FileMapping;

/** An NT_FILE mapping with the file that backs it on this machine. */
public record MappedRegion(FileMapping mapping, ResolvedFile file) {}
