package io.coredumptools.emulator.syscall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.abi.Errno;
import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.elfcore.abi.Terminals;
import io.coredumptools.emulator.Argument;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.CallFailedException;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.FaultKind;
import io.coredumptools.emulator.ScratchMemory;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.testkit.CommandResult;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ordinary library code needs from the kernel, on cores where it is hard: a process that never allocated
 * and never wrote to stdout (NOHEAP), a thread that never allocated and text left in stdout's buffer (FAULTS).
 */
class LibraryPathsTest {
    private static final CallBudget GENEROUS = new CallBudget(0, Duration.ofSeconds(30));

    private static Emulator open(Fixture fixture) throws Exception {
        return Emulator.open(
                Fixtures.get(fixture).core(), EmulatorOptions.defaults().withBudget(GENEROUS));
    }

    @Test
    void sbrkOnAProcessWithoutAHeapStartsOneThatTheDebuggerCanReadAndWrite() throws Exception {
        try (Emulator emu = open(Fixture.NOHEAP)) {
            emu.setKeepState(true);
            long top = emu.call("sbrk", Argument.of(0)).rax();
            assertThat(top).as("sbrk(0)").isPositive();
            assertThat(top & 0xfff).isZero();
            assertThat(emu.regions()).as("nothing is mapped at the break yet").noneMatch(r -> r.contains(top));
            long block = emu.call("malloc", Argument.of(16)).rax();
            assertThat(block).isGreaterThanOrEqualTo(top);
            emu.write(block, "hello\0".getBytes(StandardCharsets.US_ASCII));
            assertThat(emu.readCString(block, 16)).isEqualTo("hello");
            assertThat(emu.call("strlen", Argument.of(block)).rax()).isEqualTo(5);
            long copy = emu.call("copy_string", Argument.of(block)).rax();
            assertThat(emu.readCString(copy, 16)).isEqualTo("hello");
        }
    }

    @Test
    void printfAndPutsWorkWhenTheProgramNeverWroteToStdout() throws Exception {
        try (Emulator emu = open(Fixture.NOHEAP)) {
            var said = emu.call("say", Argument.of(5));
            assertThat(said.asInt())
                    .as("printf's count, as on the live process")
                    .isEqualTo(4);
            assertThat(said.outputText()).isEqualTo("x=5\n");
            var put = emu.call("say_puts");
            assertThat(put.outputText()).isEqualTo("hello from noheap\n");
        }
    }

    @Test
    void stdinStdoutAndStderrAreATerminal() throws Exception {
        try (Emulator emu = open(Fixture.NOHEAP);
                ScratchMemory stat = emu.reserve(144)) {
            for (int fd = 0; fd <= 2; fd++) {
                assertThat(emu.call("isatty", Argument.of(fd)).asInt())
                        .as("isatty(%d)", fd)
                        .isEqualTo(1);
                assertThat(emu.call("fstat", Argument.of(fd), Argument.of(stat.address()))
                                .asInt())
                        .isZero();
                int mode = LittleEndian.i32(emu.read(stat.address() + 24, 4), 0);
                assertThat(mode & 0170000).isEqualTo(Terminals.S_IFCHR);
            }
            assertThatThrownBy(() -> emu.call("fstat", Argument.of(3), Argument.of(stat.address())))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.fault().signal()).isEqualTo(Signals.SIGSYS);
                        assertThat(e.fault().detail()).startsWith("newfstatat (262)");
                    });
        }
    }

    @Test
    void getcwdAnswersTheDirectoryTheProcessRanIn() throws Exception {
        try (Emulator emu = open(Fixture.NOHEAP);
                ScratchMemory buffer = emu.reserve(4096)) {
            String recordedExecutable = emu.core().executable().orElseThrow().recordedPath();
            String expected = Path.of(recordedExecutable).getParent().toString();
            assertThat(emu.call("getcwd", Argument.of(buffer.address()), Argument.of(4096))
                            .rax())
                    .isEqualTo(buffer.address());
            assertThat(emu.readCString(buffer.address(), 4096)).isEqualTo(expected);
            assertThat(emu.call("cwd_length").rax()).isEqualTo(expected.length());
            assertThat(emu.call("getcwd", Argument.of(buffer.address()), Argument.of(3))
                            .rax())
                    .as("a buffer too small: NULL (ERANGE)")
                    .isZero();
        }
    }

    /**
     * A core that does not tell the working directory: NOHEAP started by its absolute path in an empty environment
     * (no PWD), under gdb, which delivers its SIGABRT so that the kernel writes the core.
     */
    @Test
    void getcwdAnswersEnoentWhenTheCoreDoesNotTellTheDirectory(@TempDir Path directory) throws Exception {
        Path program = Fixtures.get(Fixture.NOHEAP).program().toAbsolutePath();
        CommandResult made = Gdb.withTimeout(Duration.ofMinutes(2))
                .withCoreDumpsAllowed()
                .runOnLiveProcess(
                        program, List.of("set exec-wrapper env -i", "set cwd " + directory, "run", "signal SIGABRT"));
        Path core = directory.resolve("core");
        assertThat(core).as(made.stdout()).isRegularFile();
        try (Emulator emu = Emulator.open(core, EmulatorOptions.defaults().withBudget(GENEROUS))) {
            emu.setKeepState(true); // errno, read by the next call
            assertThat(emu.call("cwd_length").rax())
                    .as("getcwd fails: no directory is made up (the program's own is not the cwd)")
                    .isEqualTo(-1L);
            long errno = emu.call("__errno_location").rax();
            assertThat(LittleEndian.i32(emu.read(errno, 4), 0)).isEqualTo(Errno.ENOENT);
        }
    }

    @Test
    void mallocFromAThreadThatNeverAllocatedGetsAnArenaWithTheRightPermissions() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS)) {
            emu.setKeepState(true);
            emu.selectThread(1);
            long block = emu.call("malloc", Argument.of(100)).rax();
            assertThat(block).isNotZero();
            emu.write(block, new byte[] {1, 2, 3});
            assertThat(emu.read(block, 3)).containsExactly(1, 2, 3);
            assertThat(emu.call("malloc_usable_size", Argument.of(block)).rax()).isGreaterThanOrEqualTo(100);
            emu.call("free", Argument.of(block));
            // The arena is a 64 MiB aligned reservation (PROT_NONE) whose first pages mprotect made read-write.
            long heap = block & ~((64L << 20) - 1);
            assertThat(heap).isNotEqualTo(block);
            assertThat(emu.permissionsAt(block)).contains(MemoryProtection.READ | MemoryProtection.WRITE);
            assertThat(emu.permissionsAt(heap + (32L << 20)))
                    .as("not yet given to the heap")
                    .contains(0);
        }
    }

    @Test
    void largeAllocationsAreUsableAndAnImpossibleOneReturnsNull() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS)) {
            long mega = emu.call("malloc", Argument.of(1_000_000)).rax();
            assertThat(emu.read(mega, 16)).hasSize(16);
            assertThat(emu.read(mega + 1_000_000 - 16, 16)).hasSize(16);
            assertThat(emu.createdSinceRestore(mega)).isTrue();

            assertThat(emu.call("malloc", Argument.of(1L << 40)).rax())
                    .as("malloc(1 TiB)")
                    .isZero();
            assertThat(emu.call("next_id").asInt()).as("the next call").isEqualTo(42);

            emu.setKeepState(true);
            long big = emu.call("malloc", Argument.of(400_000_000L)).rax();
            assertThat(big).isNotZero();
            assertThat(emu.call("memset", Argument.of(big), Argument.of(1), Argument.of(400_000_000L))
                            .rax())
                    .isEqualTo(big);
            assertThat(emu.read(big + 400_000_000L - 1, 1)[0]).isEqualTo((byte) 1);
        }
    }

    @Test
    void mprotectMunmapAndMremapChangeWhatTheCallsSee() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS)) {
            emu.setKeepState(true);
            long pages = emu.call(
                            "mmap",
                            Argument.of(0),
                            Argument.of(3 * 4096),
                            Argument.of(3),
                            Argument.of(0x22),
                            Argument.of(-1),
                            Argument.of(0))
                    .rax();
            assertThat(pages & 0xfff).isZero();
            emu.write(pages, new byte[] {7});
            assertThat(emu.call("mprotect", Argument.of(pages), Argument.of(4096), Argument.of(1))
                            .asInt())
                    .isZero();
            assertThatThrownBy(() -> emu.call("memset", Argument.of(pages), Argument.of(0), Argument.of(8)))
                    .isInstanceOfSatisfying(
                            CallFailedException.class,
                            e -> assertThat(e.fault().kind()).isEqualTo(FaultKind.PROTECTED_WRITE));
            // The failed call's state is not kept: start again, then cut a hole.
            long again = emu.call(
                            "mmap",
                            Argument.of(0),
                            Argument.of(3 * 4096),
                            Argument.of(3),
                            Argument.of(0x22),
                            Argument.of(-1),
                            Argument.of(0))
                    .rax();
            assertThat(emu.call("munmap", Argument.of(again + 4096), Argument.of(4096))
                            .asInt())
                    .isZero();
            assertThat(emu.read(again, 1)).hasSize(1);
            assertThat(emu.read(again + 8192, 1)).hasSize(1);
            assertThatThrownBy(() -> emu.read(again + 4096, 1)).hasMessageContaining("cannot read");
            long moved = emu.call(
                            "mremap",
                            Argument.of(again + 8192),
                            Argument.of(4096),
                            Argument.of(16 * 4096),
                            Argument.of(1))
                    .rax();
            assertThat(moved).isNotEqualTo(-1L);
            assertThat(emu.read(moved + 15 * 4096, 1)).hasSize(1);
            assertThat(emu.call("mprotect", Argument.of(again + 4096), Argument.of(4096), Argument.of(1))
                            .asInt())
                    .as("mprotect of an unmapped page")
                    .isEqualTo(-1);
        }
    }

    @Test
    void aCallPrintsOnlyWhatItWroteNotWhatTheProgramHadBufferedBeforeTheCrash() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS)) {
            assertThat(emu.call("print_line", Argument.of(5)).outputText()).isEqualTo("line 5\n");
            assertThat(emu.call("print_line", Argument.of(6)).outputText()).isEqualTo("line 6\n");
            assertThat(emu.call("add3", Argument.of(4)).outputText()).isEmpty();
            emu.setKeepState(true);
            assertThat(emu.call("print_line", Argument.of(7)).outputText()).isEqualTo("line 7\n");
            assertThat(emu.call("print_line", Argument.of(8)).outputText()).isEqualTo("line 8\n");
        }
    }

    @Test
    void theTraceShowsTheCallsOwnInstructionsNotTheFlushAfterIt() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS)) {
            emu.setTrace(100_000);
            emu.call("print_line", Argument.of(5));
            var lines = emu.trace().orElseThrow().lines();
            assertThat(lines.get(0)).contains("<print_line");
            assertThat(lines).noneMatch(l -> l.contains("_IO_flush_all") || l.contains("<fflush"));
            emu.call("add3", Argument.of(4));
            assertThat(emu.flushStdio()).isEmpty();
            assertThat(emu.trace().orElseThrow().lines())
                    .as("housekeeping after the call is not traced")
                    .allMatch(l -> l.contains("<add3"));
        }
    }

    @Test
    void aCallAfterOneThatFailedHalfWayDoesNotSeeItsHalfDoneStateEvenWhenKeepingState() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS)) {
            emu.setKeepState(true);
            assertThatThrownBy(() -> emu.call("unsupported_while_busy"))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.fault().kind()).isEqualTo(FaultKind.UNSUPPORTED_SYSCALL);
                        assertThat(e.fault().detail()).startsWith("openat (257)");
                    });
            long busy = emu.symbols().lookup("busy").orElseThrow().address();
            assertThat(emu.read(busy, 4)[0]).as("readable until the next call").isEqualTo((byte) 1);
            assertThat(emu.call("next_id_unless_busy").asInt())
                    .as("the live answer")
                    .isEqualTo(42);
            assertThat(emu.call("next_id_unless_busy").asInt())
                    .as("state is kept again")
                    .isEqualTo(43);
        }
    }

    @Test
    void clocksRandomnessAffinityAndIds() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS);
                ScratchMemory buffer = emu.reserve(64)) {
            assertThat(emu.call("getrandom", Argument.of(buffer.address()), Argument.of(32), Argument.of(0))
                            .rax())
                    .isEqualTo(32);
            assertThat(emu.read(buffer.address(), 32)).as("random bytes").isNotEqualTo(new byte[32]);
            assertThat(emu.call("clock_gettime", Argument.of(1), Argument.of(buffer.address()))
                            .asInt())
                    .isZero();
            long first = LittleEndian.i64(emu.read(buffer.address(), 8), 0) * 1_000_000_000L
                    + LittleEndian.i64(emu.read(buffer.address() + 8, 8), 0);
            emu.call("clock_gettime", Argument.of(1), Argument.of(buffer.address()));
            long second = LittleEndian.i64(emu.read(buffer.address(), 8), 0) * 1_000_000_000L
                    + LittleEndian.i64(emu.read(buffer.address() + 8, 8), 0);
            assertThat(second).as("CLOCK_MONOTONIC does not go back").isGreaterThanOrEqualTo(first);
            assertThat(emu.call("sched_getaffinity", Argument.of(0), Argument.of(8), Argument.of(buffer.address()))
                            .asInt())
                    .isZero();
            assertThat(emu.read(buffer.address(), 1)[0]).isEqualTo((byte) 1);
            assertThat(emu.call("gettid").asInt())
                    .isEqualTo(emu.threads().get(0).tid());
            assertThat(emu.call("getuid").asInt())
                    .isEqualTo(emu.core().process().orElseThrow().uid());
        }
    }

    @Test
    void otherTerminalRequestsStopWithSigsysNamingTheCall() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS);
                ScratchMemory buffer = emu.reserve(64)) {
            assertThatThrownBy(() -> emu.call(
                            "ioctl", Argument.of(1), Argument.of(Terminals.TIOCGWINSZ), Argument.of(buffer.address())))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.fault().signal()).isEqualTo(Signals.SIGSYS);
                        assertThat(e.fault().detail()).startsWith("ioctl (16)");
                    });
        }
    }

    @Test
    void aSignalTheCallRaisesIsTheSignalItStopsWith() throws Exception {
        try (Emulator emu = open(Fixture.FAULTS)) {
            assertThatThrownBy(() -> emu.call("raise", Argument.of(Signals.SIGUSR1)))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.fault().kind()).isEqualTo(FaultKind.SIGNAL_RAISED);
                        assertThat(e.fault().signal()).isEqualTo(Signals.SIGUSR1);
                        assertThat(e.fault().headline()).startsWith("SIGUSR1 (10)");
                    });
            int pid = emu.core().pid();
            assertThat(emu.call("kill", Argument.of(pid), Argument.of(0)).asInt())
                    .as("signal 0 only asks whether the process exists")
                    .isZero();
        }
    }
}
