package io.coredumptools.elfcore;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Threads, signal and registers of real cores, compared with what gdb reads from the same core. */
class CoreThreadsTest {
    private static final List<String> COMPARED_REGISTERS = List.of(
            "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
            "r15", "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base");

    @ParameterizedTest
    @EnumSource(names = {"DEMO_PIE", "DEMO_NO_PIE", "DEMO_STATIC", "DEMO_LAZY", "DEMO_GCORE"})
    void threadsSignalAndRegistersEqualGdbs(Fixture fixture) throws Exception {
        CoreFixture f = Fixtures.get(fixture);
        List<String> commands = new ArrayList<>(List.of("info threads", "p $_siginfo.si_signo"));
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            for (int n = 1; n <= core.threads().size(); n++) {
                commands.add("thread " + n);
                commands.add("info registers " + String.join(" ", COMPARED_REGISTERS));
                commands.add("p/x $xmm0.uint128");
                commands.add("p/x $xmm1.uint128");
            }
            String gdb = f.gdb(commands.toArray(String[]::new));

            Map<Integer, Integer> gdbThreads = GdbOutput.threads(gdb);
            assertThat(core.threads()).extracting(ThreadState::tid).containsExactlyElementsOf(gdbThreads.values());
            assertThat(core.threads()).hasSize(2);
            assertThat(core.signal())
                    .get()
                    .extracting(SignalInfo::signo)
                    .isEqualTo(Integer.parseInt(GdbOutput.values(gdb).get(0)));
            assertThat(core.signal().get().name()).isEqualTo("SIGABRT");
            assertThat(gdb).contains("Program terminated with signal SIGABRT");

            String[] perThread = gdb.split("\\[Switching to thread ");
            assertThat(perThread).hasSize(core.threads().size() + 1);
            List<String> values = GdbOutput.values(gdb);
            for (int i = 0; i < core.threads().size(); i++) {
                ThreadState thread = core.threads().get(i);
                Map<String, Long> gdbRegisters = GdbOutput.registers(perThread[i + 1]);
                Map<String, Long> ours = thread.registers().byGdbName();
                for (String name : COMPARED_REGISTERS) {
                    assertThat(ours.get(name))
                            .as("%s of thread %d (%s)", name, thread.tid(), fixture)
                            .isEqualTo(gdbRegisters.get(name));
                }
                BigInteger gdbXmm0 = GdbOutput.hex(values.get(1 + 2 * i));
                BigInteger gdbXmm1 = GdbOutput.hex(values.get(2 + 2 * i));
                assertThat(littleEndian(thread.fpRegisters().orElseThrow().xmm(0)))
                        .isEqualTo(gdbXmm0);
                assertThat(littleEndian(thread.fpRegisters().orElseThrow().xmm(1)))
                        .isEqualTo(gdbXmm1);
            }
        }
    }

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }
}
