package io.coredumptools.rsp.inferior;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.rsp.wire.Hex;
import org.junit.jupiter.api.Test;

class RegisterLayoutTest {
    @Test
    void offsetsMatchGdbserversGPacket() {
        // Offsets in hex characters of gdbserver 13's g packet for amd64-avx-linux (its target.xml order); bytes are
        // half.
        assertThat(RegisterLayout.offset(16)).isEqualTo(256 / 2); // rip
        assertThat(RegisterLayout.offset(17)).isEqualTo(272 / 2); // eflags
        assertThat(RegisterLayout.offset(24)).isEqualTo(328 / 2); // st0
        assertThat(RegisterLayout.offset(40)).isEqualTo(552 / 2); // xmm0
        assertThat(RegisterLayout.offset(57)).isEqualTo(1072 / 2); // orig_rax
        assertThat(RegisterLayout.offset(59)).isEqualTo(1104 / 2); // gs_base
        assertThat(RegisterLayout.offset(60)).isEqualTo(1120 / 2); // ymm0h
        assertThat(RegisterLayout.G_PACKET_BYTES).isEqualTo(1632 / 2);
        assertThat(RegisterLayout.name(75)).isEqualTo("ymm15h");
    }

    @Test
    void gAndGRoundTrip() {
        RegisterFile r = new RegisterFile();
        r.general[7] = 0x7fffffffe500L;
        r.rip = 0x555555555211L;
        r.eflags = 0x246;
        r.origRax = -1;
        r.fsBase = 0x7ffff7dd2740L;
        r.xmm[0][0] = 0x42;
        r.ymmHigh[15][15] = 0x7f;
        byte[] g = RegisterLayout.readAll(r);
        RegisterFile back = new RegisterFile();
        RegisterLayout.writeAll(back, g);
        assertThat(RegisterLayout.readAll(back)).isEqualTo(g);
        assertThat(back.origRax).isEqualTo(-1);
        assertThat(back.ymmHigh[15][15]).isEqualTo((byte) 0x7f);
        assertThat(Hex.encode(RegisterLayout.read(r, 16))).isEqualTo("1152555555550000");
    }
}
