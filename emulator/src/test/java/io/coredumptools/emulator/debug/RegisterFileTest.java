package io.coredumptools.emulator.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.emulator.unicorn.Unicorn;
import io.coredumptools.emulator.unicorn.X86Register;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RegisterFileTest {
    private static ThreadState crashedThread() throws Exception {
        try (CoreDump core = CoreDump.open(Fixtures.get(Fixture.DEMO_PIE).core(), CoreOptions.defaults())) {
            return core.threads().get(0);
        }
    }

    @Test
    void gdbsOrderHas76RegistersIn816Bytes() {
        assertThat(Amd64Register.COUNT).isEqualTo(76);
        assertThat(Amd64Register.TOTAL_BYTES).isEqualTo(816);
        assertThat(Amd64Register.RIP.number()).isEqualTo(16);
        assertThat(Amd64Register.MXCSR.number()).isEqualTo(56);
        assertThat(Amd64Register.YMM15H.offset() + 16).isEqualTo(816);
        assertThatThrownBy(() -> Amd64Register.byNumber(76)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRegisterReadsBackWhatWasWrittenAndReadAllLaysThemOutInOrder() throws Exception {
        RegisterFile r = RegisterFile.of(crashedThread());
        for (Amd64Register reg : Amd64Register.ALL) {
            byte[] value = new byte[reg.size()];
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) (reg.number() + i + 1);
            }
            r.write(reg, value);
        }
        byte[] all = r.readAll();
        RegisterFile other = new RegisterFile();
        other.writeAll(all);
        for (Amd64Register reg : Amd64Register.ALL) {
            assertThat(other.read(reg)).as(reg.gdbName()).containsExactly(r.read(reg));
            assertThat(Arrays.copyOfRange(all, reg.offset(), reg.offset() + reg.size()))
                    .as(reg.gdbName())
                    .containsExactly(r.read(reg));
        }
        assertThat(r.general[Amd64Register.RSP.number()]).isEqualTo(LittleEndian.i64(r.read(Amd64Register.RSP), 0));
        assertThatThrownBy(() -> r.write(Amd64Register.EFLAGS, new byte[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eflags");
    }

    @Test
    void theEngineHoldsWhatItModelsAndTheFileKeepsTheRest() throws Exception {
        RegisterFile r = RegisterFile.of(crashedThread());
        r.general[3] = 0x1122334455667788L;
        r.mxcsr = 0x1f80 | 0x1; // an invalid-operation flag raised: kept, as a live thread keeps it
        r.x87Control[0] = 0x27f; // double precision, as a program may set it
        r.st[1] = new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0x80, (byte) 0xff, 0x3f};
        r.xmm[7] = new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
        r.eflags |= 0x100; // TF: not loaded
        r.segments[0] = 0x33;
        r.ymmHigh[2][0] = 42;
        try (Unicorn uc = Unicorn.openX86_64()) {
            EngineRegisters engine = new EngineRegisters(uc);
            engine.load(r);
            assertThat(uc.readRegister(X86Register.RDX)).isEqualTo(0x1122334455667788L);
            assertThat(uc.readRegister(X86Register.EFLAGS) & 0x100).isZero();
            RegisterFile back = new RegisterFile();
            back.segments[0] = 7;
            engine.store(back);
            assertThat(back.general).containsExactly(r.general);
            assertThat(back.rip).isEqualTo(r.rip);
            assertThat(back.fsBase).isEqualTo(r.fsBase);
            assertThat(back.mxcsr).isEqualTo(0x1f81);
            assertThat(back.x87Control[0]).isEqualTo(0x27f);
            assertThat(back.x87Control[2]).as("ftag").isEqualTo(r.x87Control[2]);
            assertThat(back.st[1]).containsExactly(r.st[1]);
            assertThat(back.xmm[7]).containsExactly(r.xmm[7]);
            assertThat(back.segments[0]).as("selectors are not the engine's").isEqualTo(7);
            assertThat(back.ymmHigh[2][0]).as("nor the AVX upper halves").isZero();
        }
    }

    @Test
    void aCallStartsWithTheDirectionFlagClearAndTheThreadsOtherRegisters() throws Exception {
        RegisterFile r = RegisterFile.of(crashedThread());
        r.eflags |= 0x400 | 0x100;
        RegisterFile call = r.forCall();
        assertThat(call.eflags & 0x500).isZero();
        assertThat(call.eflags & 0x2).isEqualTo(0x2);
        assertThat(call.fsBase).isEqualTo(r.fsBase);
        assertThat(r.eflags & 0x400).as("the original is unchanged").isEqualTo(0x400);
    }

    @Test
    void faultReportsTakeTheGeneralRegistersInTheCoresLayout() throws Exception {
        ThreadState thread = crashedThread();
        RegisterFile r = RegisterFile.of(thread);
        var g = r.toGeneralRegisters();
        assertThat(g.rax()).isEqualTo(thread.registers().rax());
        assertThat(g.r15()).isEqualTo(thread.registers().r15());
        assertThat(g.rsp()).isEqualTo(thread.registers().rsp());
        assertThat(g.cs()).isEqualTo(RegisterFile.USER_CS);
        assertThat(g.ss()).isEqualTo(RegisterFile.USER_DS);
        assertThat(g.fsBase()).isEqualTo(thread.registers().fsBase());
    }
}
