package io.coredumptools.emulator.unicorn;

/** Unicorn's {@code uc_mem_type}: what kind of access a memory hook reports. */
public enum MemoryAccessType {
    READ(16),
    WRITE(17),
    FETCH(18),
    READ_UNMAPPED(19),
    WRITE_UNMAPPED(20),
    FETCH_UNMAPPED(21),
    WRITE_PROT(22),
    READ_PROT(23),
    FETCH_PROT(24),
    READ_AFTER(25);

    private final int value;

    MemoryAccessType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static MemoryAccessType of(int value) {
        for (MemoryAccessType type : values()) {
            if (type.value == value) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown uc_mem_type " + value);
    }

    public boolean isUnmapped() {
        return this == READ_UNMAPPED || this == WRITE_UNMAPPED || this == FETCH_UNMAPPED;
    }
}
