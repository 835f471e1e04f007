package io.coredumptools.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one fixture inside a given, empty directory: writes the source there, compiles it with gcc (or
 * copies the executable it shares), runs it until it aborts and keeps the core. Every command and its
 * output goes to {@value #BUILD_LOG} in that directory. Caching and locking are {@link FixtureStore}'s job.
 */
final class FixtureBuilder {

    static final String CORE_FILE = "core";
    static final String BUILD_LOG = "build.log";

    private static final Logger log = LoggerFactory.getLogger(FixtureBuilder.class);

    private static final Duration COMPILE_TIMEOUT = Duration.ofMinutes(2);
    /** Generous because BIGMEM's core is gigabytes; the demo aborts within a second. */
    private static final Duration CRASH_TIMEOUT = Duration.ofMinutes(10);

    private static final Path CORE_PATTERN = Path.of("/proc/sys/kernel/core_pattern");
    /** With core_pattern "core" the kernel writes "core", or "core.PID" when core_uses_pid is set. */
    private static final Pattern KERNEL_CORE_NAME = Pattern.compile("core(\\.\\d+)?");

    /** Exit code the crash wrapper uses when "ulimit -c unlimited" is refused. */
    private static final int EXIT_CODE_ULIMIT_REFUSED = 97;

    private final Fixture fixture;
    private final Path directory;
    private final StringBuilder buildLog = new StringBuilder();

    private FixtureBuilder(Fixture fixture, Path directory) {
        this.fixture = fixture;
        this.directory = directory;
    }

    /**
     * @param sharedProgram the built fixture whose executable to copy, or null to compile one
     * @return the fixture, with paths inside {@code directory}
     */
    static CoreFixture build(Fixture fixture, String sourceText, Path directory, CoreFixture sharedProgram) {
        return new FixtureBuilder(fixture, directory).build(sourceText, sharedProgram);
    }

    private CoreFixture build(String sourceText, CoreFixture sharedProgram) {
        try {
            Path source = directory.resolve(fixture.sourceFile());
            Files.writeString(source, sourceText, StandardCharsets.UTF_8);
            for (String companion : fixture.companionSourceFiles()) {
                Files.writeString(
                        directory.resolve(companion), FixtureStore.readResource(companion), StandardCharsets.UTF_8);
            }
            Path program = directory.resolve(fixture.programName());
            if (sharedProgram == null) {
                compile(source, program);
            } else {
                // A copy, not a rebuild: a rebuild would differ (debug info names the build directory).
                Files.copy(sharedProgram.program(), program, StandardCopyOption.COPY_ATTRIBUTES);
                note("copied " + sharedProgram.program() + " to " + program);
            }
            Path core = makeCore(program);
            requireElfCore(core);
            // Read-only as a reminder: tests share these files; Fixtures.copyOfCore gives a private copy.
            core.toFile().setReadOnly();
            return new CoreFixture(fixture.name(), program, core, source, directory);
        } catch (IOException e) {
            note("FAILED: " + e);
            throw new UncheckedIOException("Cannot write fixture files in " + directory, e);
        } catch (RuntimeException e) {
            note("FAILED: " + e.getMessage());
            throw e;
        } finally {
            writeBuildLog();
        }
    }

    private void compile(Path source, Path program) {
        List<String> command = new ArrayList<>();
        command.add("gcc");
        command.addAll(fixture.gccFlags());
        command.addAll(List.of(
                "-o", program.getFileName().toString(), source.getFileName().toString()));
        command.addAll(fixture.companionSourceFiles());
        command.addAll(fixture.gccLibraries());
        log.info("Compiling {} for {}: {}", source.getFileName(), fixture, ShellQuoting.join(command));
        CommandResult result = record(ExternalCommand.run(command, directory, COMPILE_TIMEOUT));
        if (!result.succeeded() || !Files.isExecutable(program)) {
            throw new CommandFailedException("gcc could not build " + source.getFileName() + " for " + fixture, result);
        }
    }

    private Path makeCore(Path program) throws IOException {
        if (fixture.coreMaker() == CoreMaker.GDB_GCORE) {
            return coreFromGdb(program);
        }
        if (fixture.coreMaker() == CoreMaker.GDB_GCORE_AT_STOP) {
            return gcoreAtStop(program);
        }
        String corePattern = Files.readString(CORE_PATTERN).strip();
        if (fixture.coreMaker() == CoreMaker.GDB_SIGNAL_AT_STOP) {
            return kernelCoreAtStop(program, corePattern);
        }
        if (corePattern.startsWith("|")) {
            log.warn(
                    "The kernel pipes cores to a handler (core_pattern '{}'), so {} gets its core from gdb's gcore"
                            + " at the abort instead of from the kernel",
                    corePattern,
                    fixture);
            note("core_pattern is '" + corePattern + "': core made by gdb instead of the kernel");
            return coreFromGdb(program);
        }
        return coreFromKernel(program, corePattern);
    }

    /**
     * Lets the program abort by itself, as in the field: core dumps allowed and the kernel's default
     * coredump_filter ({@value GdbInvocation#DEFAULT_COREDUMP_FILTER}), so the core holds what a real one holds
     * (anonymous and dirty private memory, the first page of each ELF file) and not every file-backed mapping, as
     * the JVM's own filter (0x3f), which the program would otherwise inherit, would have it.
     */
    private Path coreFromKernel(Path program, String corePattern) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                "bash",
                "-c",
                "ulimit -c unlimited || exit " + EXIT_CODE_ULIMIT_REFUSED + "; echo "
                        + GdbInvocation.DEFAULT_COREDUMP_FILTER + " > /proc/self/coredump_filter || exit "
                        + EXIT_CODE_ULIMIT_REFUSED + "; exec \"$@\"",
                "bash",
                "./" + program.getFileName()));
        command.addAll(fixture.programArguments());
        log.info("Crashing {} for {} to get a kernel core", program.getFileName(), fixture);
        CommandResult result = record(ExternalCommand.run(command, directory, CRASH_TIMEOUT));
        if (result.exitCode() == EXIT_CODE_ULIMIT_REFUSED) {
            throw new CommandFailedException(
                    "Cannot allow core dumps: 'ulimit -c unlimited' or writing /proc/self/coredump_filter was refused"
                            + " (hard limit too low?)",
                    result);
        }
        CoreSignal signal = fixture.coreSignal();
        if (result.exitCode() != signal.exitCodeWhenKilled()) {
            throw new CommandFailedException(
                    fixture + ": expected the program to die of " + signal.gdbName() + " (exit code "
                            + signal.exitCodeWhenKilled() + ")",
                    result);
        }
        return kernelCoreIn(corePattern, result);
    }

    /** The one core the kernel wrote in the fixture directory, renamed to {@value #CORE_FILE}. */
    private Path kernelCoreIn(String corePattern, CommandResult result) throws IOException {
        List<Path> cores;
        try (Stream<Path> files = Files.list(directory)) {
            cores = files.filter(file -> KERNEL_CORE_NAME
                            .matcher(file.getFileName().toString())
                            .matches())
                    .toList();
        }
        if (cores.size() != 1) {
            throw new CommandFailedException(
                    fixture + ": expected the kernel to write one core file in " + directory
                            + " but found " + cores + ". /proc/sys/kernel/core_pattern is '" + corePattern
                            + "'; it must be 'core' (or 'core.%p'-like, relative) for cores to land in the program's"
                            + " directory.",
                    result);
        }
        Path core = directory.resolve(CORE_FILE);
        if (!cores.get(0).equals(core)) {
            Files.move(cores.get(0), core);
        }
        return core;
    }

    /**
     * Runs the program under gdb to the fixture's stop point and delivers SIGABRT there, so the kernel writes a
     * core of the program exactly at that point (gdb runs it with ASLR off, as it does for the live ground truth).
     */
    private Path kernelCoreAtStop(Path program, String corePattern) throws IOException {
        if (corePattern.startsWith("|")) {
            log.warn(
                    "The kernel pipes cores to a handler (core_pattern '{}'), so {} gets its core from gdb's gcore"
                            + " at its stop point instead of from the kernel",
                    corePattern,
                    fixture);
            note("core_pattern is '" + corePattern + "': core made by gdb instead of the kernel");
            return gcoreAtStop(program);
        }
        List<String> commands = new ArrayList<>(stopCommands());
        commands.add("signal SIGABRT");
        log.info("Running {} under gdb to its stop point and delivering SIGABRT there for {}", program, fixture);
        CommandResult result = record(Gdb.withTimeout(CRASH_TIMEOUT)
                .withProgramArguments(fixture.programArguments().toArray(String[]::new))
                .withCoreDumpsAllowed()
                .runOnLiveProcess(program, commands));
        if (result.exitCode() == GdbInvocation.EXIT_CODE_ULIMIT_REFUSED) {
            throw new CommandFailedException(
                    "Cannot allow core dumps: 'ulimit -c unlimited' or writing /proc/self/coredump_filter was refused",
                    result);
        }
        if (!result.stdout().contains("Program terminated with signal SIGABRT")) {
            throw new CommandFailedException(
                    fixture + ": gdb did not stop the program at " + stopCommands() + " and kill it with SIGABRT there",
                    result);
        }
        return kernelCoreIn(corePattern, result);
    }

    /** Runs the program under gdb to the fixture's stop point and has gdb write the core there. */
    private Path gcoreAtStop(Path program) {
        Path core = directory.resolve(CORE_FILE);
        List<String> commands = new ArrayList<>(stopCommands());
        commands.add("gcore " + core);
        log.info("Running {} under gdb to its stop point to write a gcore for {}", program.getFileName(), fixture);
        CommandResult result = record(Gdb.withTimeout(CRASH_TIMEOUT)
                .withProgramArguments(fixture.programArguments().toArray(String[]::new))
                .withCoreDumpsAllowed()
                .runOnLiveProcess(program, commands));
        if (!result.stdout().contains("Saved corefile") || !Files.isRegularFile(core)) {
            throw new CommandFailedException(
                    fixture + ": gdb did not stop the program at " + stopCommands() + " and write " + core, result);
        }
        return core;
    }

    private List<String> stopCommands() {
        if (fixture.stopCommands().isEmpty()) {
            throw new FixtureBuildException(
                    fixture + " is made with " + fixture.coreMaker() + " but names no stop commands");
        }
        return fixture.stopCommands();
    }

    /**
     * Runs the program under gdb to its SIGABRT and has gdb write the core there ("gcore"), with the kernel's
     * default coredump_filter, which gcore honours as the kernel does.
     */
    private Path coreFromGdb(Path program) {
        Path core = directory.resolve(CORE_FILE);
        log.info("Running {} under gdb to write a gcore for {}", program.getFileName(), fixture);
        CommandResult result = record(Gdb.withTimeout(CRASH_TIMEOUT)
                .withProgramArguments(fixture.programArguments().toArray(String[]::new))
                .withCoreDumpsAllowed()
                .runOnLiveProcessAtAbort(program, "gcore " + core));
        String signal = fixture.coreSignal().gdbName();
        if (!result.stdout().contains("received signal " + signal) || !Files.isRegularFile(core)) {
            throw new CommandFailedException(
                    fixture + ": gdb did not stop the program at " + signal + " and write " + core, result);
        }
        return core;
    }

    private void requireElfCore(Path core) {
        int type = ElfFileType.of(core);
        if (type != ElfFileType.ET_CORE) {
            throw new FixtureBuildException(fixture + ": " + core + " is not an ELF core (e_type " + type
                    + ", expected " + ElfFileType.ET_CORE + ")");
        }
    }

    private CommandResult record(CommandResult result) {
        note(result.describe());
        return result;
    }

    private void note(String text) {
        buildLog.append(text).append(text.endsWith("\n") ? "" : "\n").append('\n');
    }

    private void writeBuildLog() {
        try {
            Files.writeString(directory.resolve(BUILD_LOG), buildLog, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("Cannot write {} in {}", BUILD_LOG, directory, e);
        }
    }
}
