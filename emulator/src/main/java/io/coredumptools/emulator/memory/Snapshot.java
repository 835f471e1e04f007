package io.coredumptools.emulator.memory;

import io.coredumptools.emulator.unicorn.UnicornContext;

/** A named point to return to: memory as a difference from the base, and the CPU registers. */
public record Snapshot(String name, MemoryState memory, UnicornContext cpu) {}
