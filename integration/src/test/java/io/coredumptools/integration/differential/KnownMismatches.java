package io.coredumptools.integration.differential;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The commands whose output through corestub differs from live gdb's today, each with the defect observed. The
 * comparison fails when the actual set differs in either direction, so a fix must shorten this list and a
 * regression cannot hide in it.
 *
 * <p>Entries apply to one kind of core ({@code "kernel"}, {@code "gcore"}, a restore mode...) or to all
 * ({@link #ALL}).
 */
final class KnownMismatches {
    static final String ALL = "*";

    private final Map<String, Map<String, String>> byCore = new LinkedHashMap<>();

    static KnownMismatches none() {
        return new KnownMismatches();
    }

    /** {@code command} (a {@link GdbScript#keys()} key) mismatches on cores of kind {@code core}. */
    KnownMismatches on(String core, String command, String reason) {
        String previous =
                byCore.computeIfAbsent(core, c -> new LinkedHashMap<>()).put(command, reason);
        if (previous != null) {
            throw new IllegalArgumentException("listed twice for " + core + ": " + command);
        }
        return this;
    }

    /** Several commands with the same defect. */
    KnownMismatches onEach(String core, String reason, String... commands) {
        for (String command : commands) {
            on(core, command, reason);
        }
        return this;
    }

    KnownMismatches onAll(String command, String reason) {
        return on(ALL, command, reason);
    }

    /** Command key to reason, for cores of this kind. */
    Map<String, String> forCore(String core) {
        Map<String, String> known = new LinkedHashMap<>(byCore.getOrDefault(ALL, Map.of()));
        byCore.getOrDefault(core, Map.of()).forEach((command, reason) -> {
            if (known.put(command, reason) != null) {
                throw new IllegalArgumentException("listed for all cores and for " + core + ": " + command);
            }
        });
        return known;
    }
}
