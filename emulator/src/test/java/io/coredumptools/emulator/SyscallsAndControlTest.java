package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.emulator.call.InstructionTrace;
import io.coredumptools.testkit.Fixture;
import java.time.Duration;
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
            long big = emu.call("malloc", Argument.of(8L << 20)).rax();
            assertThat(big).isNotZero();
            emu.call("memset", Argument.of(big), Argument.of(0x5a), Argument.of(8L << 20));
            assertThat(emu.read(big + (8L << 20) - 1, 1)[0]).isEqualTo((byte) 0x5a);
            long[] small = new long[64];
            for (int i = 0; i < small.length; i++) {
                small[i] = emu.call("malloc", Argument.of(100_000)).rax();
                assertThat(small[i]).isNotZero();
            }
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
        }
    }

    @Test
    void anUnsupportedSyscallIsAFaultNamingIt() throws Exception {
        try (Emulator emu = open()) {
            long path = emu.reserve(16).writeCString("/etc/hostname");
            assertThatThrownBy(() -> emu.call("open", Argument.of(path), Argument.of(0)))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        assertThat(e.fault().kind()).isEqualTo(FaultKind.UNSUPPORTED_SYSCALL);
                        assertThat(e.fault().signal()).isEqualTo(31);
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
            emu.setTrace(5);
            long head =
                    emu.readLong(emu.symbols().lookup("list_head").orElseThrow().address());
            emu.call("list_sum", Argument.of(head));
            assertThat(emu.trace().orElseThrow().lines()).hasSize(5);
            assertThat(emu.trace().orElseThrow().dropped()).isGreaterThan(100_000);
        }
    }
}
