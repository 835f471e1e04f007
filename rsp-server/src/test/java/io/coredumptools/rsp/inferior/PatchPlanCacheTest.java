package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.patches.Patch;
import io.coredumptools.patches.PatchPlan;
import io.coredumptools.testkit.Bytes;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patch plans kept on disk: the second start of the same core plans nothing and gets the same plan; a damaged file is
 * ignored and replaced; a changed file (here: only the program's build-id, with its path, size and time kept) or a debug
 * file found later is planned again; the directory keeps at most {@link PatchPlanCache#MAX_FILES} plans.
 */
class PatchPlanCacheTest {
    private static final CoreFixture DEMO = Fixtures.get(Fixture.DEMO_PIE);

    @TempDir
    Path dir;

    private static EmulatorOptions options(CoreOptions core) {
        return EmulatorOptions.defaults().withCore(core).withBudget(new CallBudget(0, Duration.ofSeconds(30)));
    }

    private record Opened(PatchPlan plan, boolean fromCache, int nextId, List<byte[]> patchBytes) {}

    /** Opens the core with the cache, waits for the plan, and runs a call in the first engine. */
    private static Opened open(Path core, CoreOptions coreOptions, PatchPlanCache cache) throws Exception {
        try (LoadedCore loaded = LoadedCore.open(core, options(coreOptions), Runnable::run, cache);
                Emulator engine = loaded.newEmulator()) {
            PatchPlan plan = loaded.plan();
            List<byte[]> bytes = plan.patches().stream()
                    .map(p -> engine.read(p.address(), p.length()))
                    .toList();
            return new Opened(
                    plan, loaded.planFromCache(), engine.call("next_id").asInt(), bytes);
        }
    }

    private List<Path> planFiles() throws Exception {
        Path plans = dir.resolve("plans");
        if (!Files.isDirectory(plans)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(plans)) {
            return files.filter(f -> f.toString().endsWith(".plan")).toList();
        }
    }

    @Test
    void theSecondStartOfTheSameCorePlansNothingAndGetsTheSamePlan() throws Exception {
        PatchPlanCache cache = PatchPlanCache.at(dir.resolve("plans"));
        Opened first = open(DEMO.core(), CoreOptions.defaults(), cache);
        assertThat(first.fromCache()).isFalse();
        assertThat(first.plan().patches()).isNotEmpty();
        assertThat(planFiles()).hasSize(1);

        Opened second = open(DEMO.core(), CoreOptions.defaults(), cache);
        assertThat(second.fromCache()).isTrue();
        assertThat(second.plan().patches()).isEqualTo(first.plan().patches());
        assertThat(second.plan().ifuncs()).isEqualTo(first.plan().ifuncs());
        assertThat(second.plan().lazySlots()).isEqualTo(first.plan().lazySlots());
        assertThat(second.plan().cpuFeatures()).isEqualTo(first.plan().cpuFeatures());
        assertThat(second.plan().notes()).isEqualTo(first.plan().notes());
        assertThat(second.plan().listing()).isEqualTo(first.plan().listing());
        // The engine made from the kept plan holds the patches and answers the call as the planning engine did.
        for (int i = 0; i < first.plan().patches().size(); i++) {
            Patch patch = first.plan().patches().get(i);
            assertThat(second.patchBytes().get(i)).as(patch.describe()).isEqualTo(patch.newBytes());
        }
        assertThat(second.nextId()).isEqualTo(first.nextId()).isEqualTo(43);
        assertThat(open(DEMO.core(), CoreOptions.defaults(), PatchPlanCache.off())
                        .fromCache())
                .isFalse();
    }

    @Test
    void aDamagedFileIsIgnoredAndReplaced() throws Exception {
        PatchPlanCache cache = PatchPlanCache.at(dir.resolve("plans"));
        Opened planned = open(DEMO.core(), CoreOptions.defaults(), cache);
        Path file = planFiles().get(0);
        byte[] whole = Files.readAllBytes(file);
        for (byte[] damaged : List.of(
                java.util.Arrays.copyOf(whole, whole.length / 2), // a partial write
                flipped(whole, whole.length / 2), // a changed byte
                "not a plan".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new byte[0])) {
            Files.write(file, damaged);
            Opened again = open(DEMO.core(), CoreOptions.defaults(), cache);
            assertThat(again.fromCache()).isFalse();
            assertThat(again.plan().patches()).isEqualTo(planned.plan().patches());
            assertThat(Files.readAllBytes(file)).as("replaced by the new plan").isEqualTo(whole);
            assertThat(open(DEMO.core(), CoreOptions.defaults(), cache).fromCache())
                    .isTrue();
        }
    }

    @Test
    void aProgramWhoseBuildIdChangedIsPlannedAgain() throws Exception {
        PatchPlanCache cache = PatchPlanCache.at(dir.resolve("plans"));
        Path program = dir.resolve(DEMO.program().getFileName());
        Files.copy(DEMO.program(), program, StandardCopyOption.COPY_ATTRIBUTES);
        CoreOptions withCopy = CoreOptions.defaults().withExecutable(program);
        assertThat(open(DEMO.core(), withCopy, cache).fromCache()).isFalse();
        assertThat(open(DEMO.core(), withCopy, cache).fromCache()).isTrue();

        // The same path, size, modification time and inode; only the build-id note differs.
        String buildId;
        try (var core = io.coredumptools.elfcore.CoreDump.open(DEMO.core(), withCopy)) {
            buildId = core.executable().orElseThrow().fileBuildId().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(program);
        int at = Bytes.indexOf(bytes, HexFormat.of().parseHex(buildId));
        assertThat(at).as("the build-id's bytes in the program").isPositive();
        FileTime modified = Files.getLastModifiedTime(program);
        try (var out = java.nio.channels.FileChannel.open(program, java.nio.file.StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) ~bytes[at]}), at);
        }
        Files.setLastModifiedTime(program, modified);
        assertThat(Files.size(program)).isEqualTo(bytes.length);

        assertThat(open(DEMO.core(), withCopy, cache).fromCache()).isFalse();
        assertThat(planFiles()).hasSize(2);
    }

    @Test
    void aDebugFileFoundLaterIsAnotherPlan() throws Exception {
        PatchPlanCache cache = PatchPlanCache.at(dir.resolve("plans"));
        assertThat(open(DEMO.core(), CoreOptions.defaults(), cache).fromCache()).isFalse();
        assertThat(open(DEMO.core(), CoreOptions.defaults(), cache).fromCache()).isTrue();

        // The planner looks symbols up in debug files too: one passed with --debug-dir is another key.
        String buildId;
        try (var core = io.coredumptools.elfcore.CoreDump.open(DEMO.core(), CoreOptions.defaults())) {
            buildId = core.executable().orElseThrow().fileBuildId().orElseThrow();
        }
        Path debugDir = dir.resolve("debug");
        Path debugFile =
                debugDir.resolve(".build-id").resolve(buildId.substring(0, 2)).resolve(buildId.substring(2) + ".debug");
        Files.createDirectories(debugFile.getParent());
        Files.copy(DEMO.program(), debugFile); // the program's own symbols: a debug file with its build-id
        CoreOptions withDebugDir = CoreOptions.defaults().withDebugDirs(List.of(debugDir));
        assertThat(open(DEMO.core(), withDebugDir, cache).fromCache()).isFalse();
        assertThat(open(DEMO.core(), withDebugDir, cache).fromCache()).isTrue();
        assertThat(planFiles()).hasSize(2);
    }

    @Test
    void atMostMaxFilesPlansAreKeptEvenWhenTheirTimesAreEqual() throws Exception {
        Path plans = Files.createDirectories(dir.resolve("plans"));
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (int i = 0; i < PatchPlanCache.MAX_FILES + 4; i++) {
            Path plan = Files.writeString(plans.resolve("old-" + i + ".plan"), "an older plan");
            Files.setLastModifiedTime(plan, old); // one timestamp tick for all of them
        }
        Path staleTemporary = Files.writeString(plans.resolve("killed-server.tmp"), "half a plan");
        Files.setLastModifiedTime(staleTemporary, old);

        open(DEMO.core(), CoreOptions.defaults(), PatchPlanCache.at(plans));

        assertThat(planFiles()).hasSize(PatchPlanCache.MAX_FILES);
        assertThat(Files.exists(staleTemporary)).isFalse();
        assertThat(open(DEMO.core(), CoreOptions.defaults(), PatchPlanCache.at(plans))
                        .fromCache())
                .as("the newest plan is kept")
                .isTrue();
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x55;
        return copy;
    }
}
