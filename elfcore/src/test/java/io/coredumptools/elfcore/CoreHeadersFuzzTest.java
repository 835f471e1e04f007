package io.coredumptools.elfcore;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.fuzz.CoreMutator;
import io.coredumptools.testkit.fuzz.HangGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * The core parser over a real core whose ELF header, program headers, notes (NT_PRSTATUS, NT_FILE, the others)
 * are corrupted where the fuzzer chooses: opening it and asking everything a command asks (threads, segments,
 * mapped files, the link_map list, symbols, memory, whether code can run on it) gives answers or the project's
 * typed errors ({@link CoreFormatException}, {@link UnusableCoreException}), nothing else, and never hangs.
 * A fuzz test: {@code mvn verify} fuzzes it for a few seconds; docs/reliability.md has the long run.
 */
public class CoreHeadersFuzzTest {
    private static final CoreMutator MUTATOR =
            CoreMutator.of(Fixtures.get(Fixture.DEMO_PIE).core());
    private static final Path WORK = workCopy();
    private static final HangGuard GUARD = new HangGuard();

    private static Path workCopy() {
        try {
            Path dir = Files.createTempDirectory("core-headers-fuzz");
            Path core = dir.resolve("core");
            MUTATOR.copyTo(core);
            return core;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void close() throws IOException {
        GUARD.close();
        Files.deleteIfExists(WORK);
        Files.deleteIfExists(WORK.getParent());
    }

    @FuzzTest(maxDuration = "8s")
    void aCorruptCoreGivesAnswersOrTypedErrors(FuzzedDataProvider data) throws Exception {
        fuzzerTestOneInput(data);
    }

    /** The fuzz target, also the entry point of Jazzer's command line for the long runs (scripts/fuzz/jazzer-long). */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws Exception {
        String mutations = MUTATOR.rewriteHead(WORK, new FuzzChoices(data), 1 + data.consumeInt(0, 5));
        GUARD.run(mutations, () -> readEverything(WORK));
    }

    /** What {@code info}, {@code call} and {@code serve} ask of a core. */
    static void readEverything(Path path) {
        try (CoreDump core = CoreDump.open(path, CoreOptions.defaults())) {
            core.process();
            core.pid();
            core.signal();
            core.auxv();
            core.segments();
            core.fileMappings();
            core.mappedRegions();
            core.executable();
            core.loadedObjects();
            core.loadedObjectsProblem();
            core.truncation();
            core.warnings();
            core.symbols().lookup("main");
            for (ThreadState thread : core.threads()) {
                core.symbols().symbolize(thread.registers().rip());
                core.memory().read(thread.registers().rsp(), 64);
                core.processMemory().read(thread.registers().rip(), 16);
            }
            core.checkUsableForExecution();
        } catch (CoreFormatException | UnusableCoreException typed) {
            // The typed refusal: what the commands turn into exit 2.
        }
    }
}
