package io.coredumptools.elfcore.files;

/** How a file path recorded in the core was found on this machine. */
public enum Resolution {
    /** {@code --exe} named the main executable. */
    EXECUTABLE_OPTION,
    /** A {@code --map OLD=NEW} prefix rewrite. */
    PATH_MAPPING,
    /** Found under {@code --sysroot}. */
    SYSROOT,
    /** Under a {@code --files} prefix or a {@code --map OLD=URL} in an object store or on an HTTP server. */
    REMOTE,
    /** The recorded path itself. */
    AS_IS,
    /** From a debuginfod server, by the build-id the core holds for the mapping. */
    DEBUGINFOD,
    /** Not found anywhere: the core's own data is all there is of it. */
    MISSING
}
