package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One of gdb's test programs as the differential test runs it: its kernel-core and gcore-core fixtures (the same
 * executable stopped at the same point), the gdb sessions its .exp amounts to, what is left out, and what
 * mismatches today.
 */
record GdbTestProgram(
        String name,
        Fixture kernelCore,
        Fixture gcoreCore,
        List<GdbScript> scripts,
        List<Exclusion> exclusions,
        KnownMismatches known) {

    /** Live ground truth per program: both cores are compared with the same live run. */
    private static final Map<String, List<GdbTranscript>> LIVE = new ConcurrentHashMap<>();

    /** Runs every session live and through corestub on the core of this kind and checks the mismatches. */
    void check(CoreKind kind) {
        List<GdbTranscript> live = LIVE.computeIfAbsent(name, n -> {
            CoreFixture program = Fixtures.get(kernelCore);
            return scripts.stream()
                    .map(script -> LiveGroundTruth.at(program, script))
                    .toList();
        });
        CoreFixture core = Fixtures.get(kind == CoreKind.KERNEL ? kernelCore : gcoreCore);
        DifferentialCheck check = new DifferentialCheck(name, kind.label, known, exclusions);
        List<GdbTranscript> remote = new ArrayList<>();
        try (CorestubServer server = CorestubServer.serve(core)) {
            for (GdbScript script : scripts) {
                remote.add(ThroughCorestub.run(server, core.program(), core.directory(), script));
            }
        }
        for (int i = 0; i < scripts.size(); i++) {
            check.compare(scripts.get(i), live.get(i), remote.get(i));
        }
        check.verify();
    }
}
