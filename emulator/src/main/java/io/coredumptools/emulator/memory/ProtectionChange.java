package io.coredumptools.emulator.memory;

/** A {@link MemoryImage#protect} call since the base: reverted by restores, replayed by snapshots. */
record ProtectionChange(long start, long end, int perms) {}
