package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.emulator.memory.ImageRegion;
import io.coredumptools.emulator.memory.MemoryAccessException;
import io.coredumptools.emulator.memory.RegionSource;
import io.coredumptools.emulator.memory.UnbackedRange;
import io.coredumptools.testkit.CoreEdits;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Calls work on every shape of core: PIE, non-PIE, static, lazily bound, gcore, and cores cut short. */
class CoreShapesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "DEMO_PIE, 43",
        "DEMO_NO_PIE, 43",
        "DEMO_STATIC, 43",
        "DEMO_LAZY, 43",
        "DEMO_GCORE, 43",
        "FAULTS, 42",
        "FAULTS_GCORE, 42",
        "NOHEAP, 42"
    })
    void nextIdGivesTheLiveAnswer(Fixture fixture, int expected) throws Exception {
        try (Emulator emu = TestEmulators.open(fixture)) {
            assertThat(emu.call("next_id").asInt()).isEqualTo(expected);
        }
    }

    @Test
    void segmentsACoreLeavesOutAreMappedFromTheFilesDataFilesIncluded(@TempDir Path directory) throws Exception {
        CoreEdits.Edited gcoreShaped = CoreEdits.withoutFileBackedReadOnlyData(Fixtures.get(Fixture.FAULTS), directory);
        // The kernel (coredump_filter 0x33) already leaves out unmodified file-backed text; the edit drops
        // the ELF header pages it keeps, one per file-backed object (program, libc, ld.so at least).
        assertThat(gcoreShaped.segmentsWithoutData()).isGreaterThanOrEqualTo(3);
        try (Emulator emu =
                Emulator.open(gcoreShaped.core(), EmulatorOptions.defaults().withBudget(TestEmulators.GENEROUS))) {
            assertThat(emu.call("next_id").asInt()).isEqualTo(42);
            long nextId = emu.resolveFunction("next_id");
            assertThat(regionAt(emu, nextId).source())
                    .as("the executable's text")
                    .isEqualTo(RegionSource.FILE);
            assertThat(emu.call("data_byte", Argument.of(100)).asInt()).isEqualTo((100 * 7) & 0xff);
            assertThat(emu.call("data_byte", Argument.of(8191)).asInt()).isEqualTo((8191 * 7) & 0xff);
            long data = emu.readLong(
                    emu.symbols().lookup("mapped_data").orElseThrow().address());
            ImageRegion dataRegion = regionAt(emu, data);
            assertThat(dataRegion.source()).isEqualTo(RegionSource.FILE);
            assertThat(dataRegion.origin()).endsWith("/data.bin");
            assertThat(emu.core().warnings()).noneMatch(w -> w.contains("data.bin"));
            assertThat(emu.call("print_line", Argument.of(3)).outputText()).isEqualTo("line 3\n");
        }
    }

    @Test
    void aFileMappingWithoutAnyProgramHeaderComesFromItsFile() throws Exception {
        // gdb's gcore with the kernel's default coredump_filter writes no PT_LOAD for an unmodified read-only
        // mapping (here the program's .rodata); NT_FILE still lists it.
        try (Emulator emu = TestEmulators.open(Fixture.CALL_STRS_GCORE)) {
            var uncovered = emu.core().fileMappings().stream()
                    .filter(m -> emu.core().segments().stream()
                            .noneMatch(s -> Long.compareUnsigned(s.vaddr(), m.end()) < 0
                                    && Long.compareUnsigned(m.start(), s.end()) < 0))
                    .toList();
            assertThat(uncovered).as("the fixture's shape").isNotEmpty();
            for (var m : uncovered) {
                ImageRegion region = regionAt(emu, m.start());
                assertThat(region.source()).isEqualTo(RegionSource.FILE);
                assertThat(region.basePerms() & 2)
                        .as("read-only, as the file's segment")
                        .isZero();
            }
            try (ScratchMemory text = emu.reserve(16)) {
                assertThat(emu.call("str_func1", Argument.of(text.writeCString("abc")))
                                .outputText())
                        .as("its format string lives in .rodata")
                        .isEqualTo("first string arg is: abc\n");
            }
        }
    }

    private static ImageRegion regionAt(Emulator emu, long address) {
        return emu.regions().stream()
                .filter(r -> r.contains(address))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing mapped at 0x" + Long.toHexString(address)));
    }

    /** The segment holding the main thread's stack pointer, from the whole core. */
    private static LoadSegment stackSegment(CoreFixture fixture) throws Exception {
        try (CoreDump core = CoreDump.open(fixture.core(), CoreOptions.defaults())) {
            long sp = core.threads().get(0).registers().rsp();
            return core.segments().stream()
                    .filter(s -> Long.compareUnsigned(sp, s.vaddr()) >= 0 && Long.compareUnsigned(sp, s.end()) < 0)
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void aCallRunsOnAStackTheCoreLostAndReadsThereSayWhy(@TempDir Path directory) throws Exception {
        CoreFixture fixture = Fixtures.get(Fixture.DEMO_PIE);
        LoadSegment stack = stackSegment(fixture);
        Path core = fixture.copyOfCore(directory);
        try (RandomAccessFile file = new RandomAccessFile(core.toFile(), "rw")) {
            file.setLength(stack.offset()); // the stack and everything after it are gone
        }
        try (Emulator emu = Emulator.open(core, EmulatorOptions.defaults().withBudget(TestEmulators.GENEROUS))) {
            RegisterFile r = RegisterFile.of(emu.threads().get(0));
            long sp = ((r.rsp() - 0x200) & ~0xfL) - 8;
            assertThatThrownBy(() -> emu.read(sp, 8))
                    .isInstanceOf(MemoryAccessException.class)
                    .hasMessageContaining("cut off in the truncated core")
                    .hasMessageContaining("0x" + Long.toHexString(stack.vaddr()))
                    .hasMessageContaining("file offset 0x" + Long.toHexString(stack.offset()));
            assertThat(emu.unbackedRanges())
                    .anyMatch(u -> u.reason() == UnbackedRange.Reason.TRUNCATED_CORE && u.contains(sp));
            // A debugger's call on the thread's own stack: the return address is written onto a fresh zeroed
            // page, and the callee's pushes land on such pages too.
            long entry = emu.resolveFunction("point_sum");
            emu.write(sp, LittleEndian.ofLong(entry));
            r.general[7] = sp;
            r.general[5] = 0;
            r.rip = emu.resolveFunction("next_id");
            Stop stop = emu.resume(r, new ResumeRequest(false, Set.of(entry), List.of(), TestEmulators.GENEROUS));
            assertThat(stop.kind())
                    .as("%s", stop.fault().map(EmulationFault::report).orElse(""))
                    .isEqualTo(Stop.Kind.BREAKPOINT);
            assertThat(r.general[0]).isEqualTo(43);
            assertThat(emu.read(sp, 8)).as("what was written reads back").containsExactly(LittleEndian.ofLong(entry));
            emu.restoreCrashImage();
            assertThatThrownBy(() -> emu.read(sp, 8))
                    .as("after a restore the bytes are unknown again")
                    .hasMessageContaining("cut off");
        }
    }
}
