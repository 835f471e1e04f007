package io.coredumptools.integration.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.integration.gdb.GdbOutput.Library;
import io.coredumptools.integration.gdb.GdbOutput.ThreadRow;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance, first bullet: gdb through {@code corestub serve} prints the same as {@code gdb PROG CORE} for the
 * inspection commands, on each kind of core. Only the decoration that must differ is normalised: thread naming
 * ("Thread 0x.. (LWP n)" vs "Thread p.n") and the {@code target:} prefix of library paths.
 */
class GdbDifferentialTest {
    private static final List<String> COMMANDS = List.of(
            "bt",
            "info threads",
            "info sharedlibrary",
            "p $_siginfo.si_signo",
            "x/8xg $sp",
            "info registers",
            "info registers fs_base gs_base",
            "p $xmm0");
    private static final int BT = 0,
            THREADS = 1,
            LIBRARIES = 2,
            SIGNO = 3,
            STACK = 4,
            REGISTERS = 5,
            BASES = 6,
            XMM0 = 7;
    private static final List<String> REQUIRED_REGISTERS = List.of(
            "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
            "r15", "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base");

    @ParameterizedTest
    @EnumSource(names = {"DEMO_PIE", "DEMO_NO_PIE", "DEMO_STATIC", "DEMO_GCORE"})
    void inspectionCommandsPrintWhatGdbPrintsOnTheCoreFile(Fixture fixture) {
        CoreFixture f = Fixtures.get(fixture);
        GdbTranscript core = GdbTranscript.of(f.gdb(GdbTranscript.withMarkers(COMMANDS.toArray(String[]::new))));
        GdbTranscript remote;
        try (CorestubServer server = CorestubServer.serve(f)) {
            remote = GdbProcess.connectedTo(server)
                    .program(f.program())
                    .directory(f.directory())
                    .run(COMMANDS.toArray(String[]::new));
            assertThat(server.isAlive()).as(server.describe()).isTrue();
        }
        String both =
                "\n=== gdb on the core file:\n" + core.text() + "\n=== gdb through corestub:\n" + remote.describe();

        List<String> coreFrames = GdbOutput.frames(core.section(BT));
        assertThat(coreFrames).as("ground truth has frames").hasSizeGreaterThanOrEqualTo(4);
        assertThat(GdbOutput.frames(remote.section(BT))).as("bt" + both).containsExactlyElementsOf(coreFrames);

        List<ThreadRow> coreThreads = GdbOutput.threads(core.section(THREADS));
        assertThat(coreThreads).as("ground truth has both threads").hasSize(2);
        assertThat(GdbOutput.threads(remote.section(THREADS)))
                .as("info threads" + both)
                .containsExactlyElementsOf(coreThreads);

        List<Library> coreLibraries = GdbOutput.libraries(core.section(LIBRARIES));
        List<Library> remoteLibraries = GdbOutput.libraries(remote.section(LIBRARIES)).stream()
                .map(GdbOutput::withoutTargetPrefix)
                .toList();
        assertThat(remoteLibraries).as("info sharedlibrary" + both).containsExactlyElementsOf(coreLibraries);
        if (fixture == Fixture.DEMO_STATIC) {
            assertThat(core.section(LIBRARIES)).contains("No shared libraries loaded at this time.");
            assertThat(remote.section(LIBRARIES)).as(both).contains("No shared libraries loaded at this time.");
        } else {
            assertThat(coreLibraries).extracting(Library::path).contains("/lib/x86_64-linux-gnu/libc.so.6");
        }

        assertThat(core.value(SIGNO)).isEqualTo("6");
        assertThat(remote.value(SIGNO)).as("$_siginfo.si_signo" + both).isEqualTo(core.value(SIGNO));

        List<String> coreStack = GdbOutput.memoryRows(core.section(STACK));
        assertThat(coreStack).hasSize(4);
        assertThat(GdbOutput.memoryRows(remote.section(STACK)))
                .as("x/8xg $sp" + both)
                .containsExactlyElementsOf(coreStack);

        Map<String, String> coreRegisters = new LinkedHashMap<>(GdbOutput.registers(core.section(REGISTERS)));
        coreRegisters.putAll(GdbOutput.registers(core.section(BASES)));
        Map<String, String> remoteRegisters = new LinkedHashMap<>(GdbOutput.registers(remote.section(REGISTERS)));
        remoteRegisters.putAll(GdbOutput.registers(remote.section(BASES)));
        assertThat(coreRegisters).as("ground truth").containsKeys(REQUIRED_REGISTERS.toArray(String[]::new));
        assertThat(remoteRegisters).as("info registers" + both).containsKeys(REQUIRED_REGISTERS.toArray(String[]::new));
        Map<String, String> coreShown = new LinkedHashMap<>();
        Map<String, String> remoteShown = new LinkedHashMap<>();
        coreRegisters.forEach((name, value) -> {
            if (remoteRegisters.containsKey(name) && !value.startsWith("<unavailable>")) {
                coreShown.put(name, value);
                remoteShown.put(name, remoteRegisters.get(name));
            }
        });
        assertThat(remoteShown).as("registers shown by both" + both).containsExactlyEntriesOf(coreShown);

        assertThat(core.value(XMM0)).startsWith("{v8_bfloat16 = ");
        assertThat(remote.value(XMM0)).as("p $xmm0" + both).isEqualTo(core.value(XMM0));
    }
}
