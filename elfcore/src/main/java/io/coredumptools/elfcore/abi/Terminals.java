package io.coredumptools.elfcore.abi;

/** File-type and terminal constants of x86-64 Linux (sys/stat.h, fcntl.h, asm-generic/ioctls.h, termbits.h). */
public final class Terminals {
    public static final int S_IFCHR = 0020000;
    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final int TCGETS = 0x5401;
    public static final int TIOCGWINSZ = 0x5413;

    /** Major device number of /dev/pts/N. */
    public static final int PTS_MAJOR = 136;

    private Terminals() {}
}
