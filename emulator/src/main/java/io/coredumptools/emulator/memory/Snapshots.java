package io.coredumptools.emulator.memory;

import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.UnicornContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The base snapshot and named snapshots of one engine: memory through {@link MemoryImage}, registers
 * through unicorn contexts. {@link #markBase()} records the CPU state that {@link #restoreBase()}
 * returns to (normally right after loading the crashed thread's registers).
 */
public final class Snapshots implements AutoCloseable {
    private final MemoryImage image;
    private final Unicorn unicorn;
    private final Map<String, Snapshot> named = new LinkedHashMap<>();
    private UnicornContext baseCpu;

    public Snapshots(MemoryImage image) {
        this.image = image;
        this.unicorn = image.unicorn();
    }

    /** Takes the current registers as the base CPU state; memory's base is the image's base. */
    public void markBase() {
        if (baseCpu == null) {
            baseCpu = unicorn.saveContext();
        } else {
            unicorn.saveContext(baseCpu);
        }
    }

    /** Reverts memory and registers to the base. */
    public void restoreBase() {
        if (baseCpu == null) {
            throw new IllegalStateException("no base CPU state: call markBase() after loading the registers");
        }
        image.restoreBase();
        unicorn.restoreContext(baseCpu);
    }

    /**
     * Saves the current memory and registers under {@code name}, replacing a snapshot of that name.
     *
     * @throws ResourceLimitException when it would hold more snapshots or page copies than the image's
     *     {@link MemoryLimits} allow (nothing is saved then)
     */
    public Snapshot save(String name) {
        MemoryLimits limits = image.limits();
        if (!named.containsKey(name) && named.size() >= limits.snapshots()) {
            throw new ResourceLimitException(
                    "snapshots",
                    limits.snapshots(),
                    named.size(),
                    "cannot save snapshot \"" + name + "\"",
                    "delete one first (saved: " + list() + ")");
        }
        MemoryState memory = image.capture();
        long held = heldBytes()
                - (named.containsKey(name) ? named.get(name).memory().copiedBytes() : 0);
        if (held + memory.copiedBytes() > limits.snapshotBytes()) {
            throw new ResourceLimitException(
                    "snapshot bytes",
                    limits.snapshotBytes(),
                    held,
                    "cannot save snapshot \"" + name + "\" of " + memory.copiedBytes() + " bytes of changed pages",
                    "delete a snapshot first (saved: " + list() + ")");
        }
        Snapshot snapshot = new Snapshot(name, memory, unicorn.saveContext());
        Snapshot previous = named.put(name, snapshot);
        if (previous != null) {
            previous.cpu().close();
        }
        return snapshot;
    }

    public void restore(String name) {
        Snapshot snapshot = named.get(name);
        if (snapshot == null) {
            throw new NoSuchElementException("no snapshot named \"" + name + "\"; saved: " + list());
        }
        image.restore(snapshot.memory());
        unicorn.restoreContext(snapshot.cpu());
    }

    /** Bytes of page copies the named snapshots hold. */
    public long heldBytes() {
        return named.values().stream().mapToLong(s -> s.memory().copiedBytes()).sum();
    }

    /** Names of the saved snapshots, oldest first. */
    public List<String> list() {
        return new ArrayList<>(named.keySet());
    }

    public boolean delete(String name) {
        Snapshot removed = named.remove(name);
        if (removed != null) {
            removed.cpu().close();
        }
        return removed != null;
    }

    @Override
    public void close() {
        named.values().forEach(s -> s.cpu().close());
        named.clear();
        if (baseCpu != null) {
            baseCpu.close();
            baseCpu = null;
        }
    }
}
