package io.coredumptools.patches;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Patch bytes as objdump disassembles them. */
class JumpEncodingTest {
    @TempDir
    Path dir;

    private String disassemble(byte[] code, long vma) throws IOException {
        Path file = dir.resolve("code.bin");
        Files.write(file, code);
        return Tools.run(
                "objdump",
                "-D",
                "-b",
                "binary",
                "-mi386:x86-64",
                "--adjust-vma=0x" + Long.toHexString(vma),
                file.toString());
    }

    @Test
    void nearJumpIsRel32() throws IOException {
        long from = 0x7f20a2aebac0L;
        long to = 0x7f20a2a2dd50L;
        byte[] b = JumpEncoding.jump(from, to);
        assertThat(b).hasSize(JumpEncoding.REL32_LENGTH);
        assertThat(disassemble(b, from)).contains("jmp    0x" + Long.toHexString(to));
        byte[] forward = JumpEncoding.jump(0x1000, 0x1000 + 0x7ffffff0L);
        assertThat(disassemble(forward, 0x1000)).contains("jmp    0x" + Long.toHexString(0x1000 + 0x7ffffff0L));
    }

    @Test
    void farJumpIsIndirectThroughTheFollowingQuad() throws IOException {
        long from = 0x555555554000L;
        long to = 0x7f20a2a2dd50L;
        assertThat(JumpEncoding.fitsRel32(from, to)).isFalse();
        byte[] b = JumpEncoding.jump(from, to);
        assertThat(b).hasSize(JumpEncoding.ABSOLUTE_LENGTH);
        String text = disassemble(b, from);
        assertThat(text).contains("jmp    *0x0(%rip)").contains("# 0x" + Long.toHexString(from + 6));
        assertThat(Bytes.getLong(b, 6)).isEqualTo(to);
    }

    @Test
    void lockEntries() throws IOException {
        assertThat(disassemble(JumpEncoding.storeToFirstArgumentAndReturnZero(0), 0x1000))
                .contains("movl   $0x0,(%rdi)")
                .contains("xor    %eax,%eax")
                .contains("ret");
        assertThat(disassemble(JumpEncoding.returnZero(), 0x1000))
                .contains("xor    %eax,%eax")
                .contains("ret");
    }

    @Test
    void spinUnlockImmediateIsRead() {
        assertThat(GlibcPatches.storedImmediate(
                        new byte[] {(byte) 0xc7, 0x07, 1, 0, 0, 0, 0x31, (byte) 0xc0, (byte) 0xc3}))
                .hasValue(1);
        assertThat(GlibcPatches.storedImmediate(
                        new byte[] {(byte) 0xf3, 0x0f, 0x1e, (byte) 0xfa, (byte) 0xc7, 0x07, 0, 0, 0, 0}))
                .hasValue(0);
        assertThat(GlibcPatches.storedImmediate(new byte[] {(byte) 0x90, (byte) 0xc3, 0, 0, 0, 0}))
                .isEmpty();
    }
}
