package io.coredumptools.emulator.unicorn;

/** Unicorn's {@code uc_prot} bits, and conversion from the ELF "rwx" notation. */
public final class MemoryProtection {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXEC = 4;
    public static final int ALL = READ | WRITE | EXEC;

    private MemoryProtection() {}

    /** "r-x" (as {@code LoadSegment.permissions()} spells it) to {@code READ | EXEC}. */
    /** Linux PROT_READ/WRITE/EXEC (1, 2, 4) as unicorn permissions, which use the same bits. */
    public static int fromLinuxProt(int prot) {
        return prot & (READ | WRITE | EXEC);
    }

    public static int fromRwx(String rwx) {
        if (rwx.length() != 3) {
            throw new IllegalArgumentException("permissions must look like \"r-x\", got \"" + rwx + "\"");
        }
        return (rwx.charAt(0) == 'r' ? READ : 0)
                | (rwx.charAt(1) == 'w' ? WRITE : 0)
                | (rwx.charAt(2) == 'x' ? EXEC : 0);
    }

    public static String toRwx(int perms) {
        return ((perms & READ) != 0 ? "r" : "-")
                + ((perms & WRITE) != 0 ? "w" : "-")
                + ((perms & EXEC) != 0 ? "x" : "-");
    }

    public static boolean isWritable(int perms) {
        return (perms & WRITE) != 0;
    }

    public static boolean isExecutable(int perms) {
        return (perms & EXEC) != 0;
    }
}
