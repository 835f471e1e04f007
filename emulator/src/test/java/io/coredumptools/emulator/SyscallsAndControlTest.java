package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.emulator.call.InstructionTrace;
import io.coredumptools.testkit.Fixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Emulated system calls, interrupting a call from another thread, and the instruction trace. */
class SyscallsAndControlTest {
    private static Emulator open() throws Exception {
        return TestEmulators.open(Fixture.DEMO_PIE);
    }

    @Test
    void processIdsComeFromTheCore() throws Exception {
        try (Emulator emu = open()) {
            assertThat(emu.call("getpid").asInt())
                    .isEqualTo(emu.core().process().orElseThrow().pid());
            assertThat(emu.call("getppid").asInt())
                    .isEqualTo(emu.core().process().orElseThrow().ppid());
            assertThat(emu.call("gettid").asInt())
                    .isEqualTo(emu.threads().get(0).tid());
            emu.selectThread(1);
            assertThat(emu.call("gettid").asInt())
                    .isEqualTo(emu.threads().get(1).tid());
        }
    }

    @Test
    void mallocGrowsTheHeapAndMapsLargeBlocks() throws Exception {
        try (Emulator emu = open()) {
            emu.setKeepState(true);
            long breakBefore = emu.call("sbrk", Argument.of(0)).rax();
            long big = emu.call("malloc", Argument.of(8L << 20)).rax();
            assertThat(big).isNotZero();
            assertThat(emu.createdSinceRestore(big))
                    .as("an 8 MiB block is mmap'd by the call")
                    .isTrue();
            emu.call("memset", Argument.of(big), Argument.of(0x5a), Argument.of(8L << 20));
            assertThat(emu.read(big + (8L << 20) - 1, 1)[0]).isEqualTo((byte) 0x5a);
            long[] small = new long[64];
            for (int i = 0; i < small.length; i++) {
                small[i] = emu.call("malloc", Argument.of(100_000)).rax();
                assertThat(small[i]).isNotZero();
                emu.write(small[i] + 100_000 - 1, new byte[] {1});
            }
            long breakAfter = emu.call("sbrk", Argument.of(0)).rax();
            assertThat(breakAfter - breakBefore)
                    .as("6.4 MB of small blocks grew the heap (brk) by most of that")
                    .isGreaterThan(5_000_000L);
            long inGrownHeap = java.util.Arrays.stream(small)
                    .filter(p -> p >= breakBefore && p < breakAfter)
                    .count();
            assertThat(inGrownHeap).as("blocks in the pages brk added").isPositive();
            assertThat(emu.createdSinceRestore(small[small.length - 1])).isTrue();
            emu.call("free", Argument.of(big));
        }
    }

    @Test
    void clockAndRandomness() throws Exception {
        try (Emulator emu = open()) {
            long before = System.currentTimeMillis() / 1000;
            long time = emu.call("time", Argument.of(0)).rax();
            long after = System.currentTimeMillis() / 1000;
            assertThat(time).isBetween(before - 1, after + 1);
            ScratchMemory buffer = emu.reserve(32);
            assertThat(emu.call("getrandom", Argument.of(buffer.address()), Argument.of(32), Argument.of(0))
                            .rax())
                    .isEqualTo(32);
            assertThat(emu.read(buffer.address(), 32))
                    .as("32 random bytes (all zero with probability 2^-256)")
                    .isNotEqualTo(new byte[32]);
            assertThat(emu.call("clock_gettime", Argument.of(0), Argument.of(buffer.address()))
                            .asInt())
                    .isZero();
            assertThat(emu.readLong(buffer.address()))
                    .as("CLOCK_REALTIME seconds")
                    .isBetween(before - 1, after + 2);
        }
    }

    @Test
    void anUnsupportedSyscallIsAFaultNamingIt() throws Exception {
        try (Emulator emu = open()) {
            long path = emu.reserve(16).writeCString("/etc/hostname");
            assertThatThrownBy(() -> emu.call("open", Argument.of(path), Argument.of(0)))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.fault().kind()).isEqualTo(FaultKind.UNSUPPORTED_SYSCALL);
                        assertThat(e.fault().signal()).isEqualTo(Signals.SIGSYS);
                        assertThat(e.fault().detail()).contains("openat");
                    });
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
        }
    }

    @Test
    void interruptStopsARunningCallFromAnotherThread() throws Exception {
        try (Emulator emu = open()) {
            emu.setBudget(new CallBudget(0, Duration.ofSeconds(60)));
            long spin = emu.resolveFunction("spin_forever");
            // interrupt() stops a running call and does nothing otherwise: keep pressing until it lands.
            java.util.concurrent.ScheduledExecutorService presser =
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            presser.scheduleAtFixedRate(emu::interrupt, 300, 100, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            try {
                assertThatThrownBy(() -> emu.call(spin))
                        .isInstanceOfSatisfying(
                                CallFailedException.class,
                                e -> assertThat(e.fault().kind()).isEqualTo(FaultKind.INTERRUPTED));
            } finally {
                presser.shutdownNow();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
        }
    }

    @Test
    void instructionTraceShowsEveryInstructionWithCallDepth() throws Exception {
        try (Emulator emu = open()) {
            emu.setTrace(10_000);
            long gp = emu.readLong(emu.symbols().lookup("gp").orElseThrow().address());
            emu.call("point_sum", Argument.of(gp));
            InstructionTrace trace = emu.trace().orElseThrow();
            assertThat(trace.lines()).hasSize(3);
            assertThat(trace.lines().get(0)).contains("<point_sum").contains("mov");
            assertThat(trace.lines().get(2)).contains("ret");
            // greet calls strlen and malloc: their instructions are indented one level deeper than greet's.
            try (ScratchMemory name = emu.reserve(16)) {
                emu.call("greet", Argument.of(name.writeCString("bob")));
            }
            List<String> lines = emu.trace().orElseThrow().lines();
            assertThat(lines.get(0)).startsWith("0x").contains("<greet");
            assertThat(lines).anyMatch(l -> l.startsWith("  0x") && (l.contains("<strlen") || l.contains("<__strlen")));
            assertThat(lines.get(lines.size() - 1))
                    .startsWith("0x")
                    .contains("<greet")
                    .contains("ret");
            emu.setTrace(5);
            long head =
                    emu.readLong(emu.symbols().lookup("list_head").orElseThrow().address());
            emu.call("list_sum", Argument.of(head));
            assertThat(emu.trace().orElseThrow().lines()).hasSize(5);
            assertThat(emu.trace().orElseThrow().dropped()).isGreaterThan(100_000);
        }
    }
}
