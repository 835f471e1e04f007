package io.coredumptools.emulator.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnicornTest {
    private static final long CODE = 0x40_0000L;
    private static final long DATA = 0x50_0000L;

    private Unicorn unicorn;

    @BeforeEach
    void open() {
        unicorn = Unicorn.openX86_64();
        unicorn.mapMemory(CODE, 0x1000, MemoryProtection.READ | MemoryProtection.EXEC);
        unicorn.mapMemory(DATA, 0x1000, MemoryProtection.READ | MemoryProtection.WRITE);
    }

    @AfterEach
    void close() {
        unicorn.close();
    }

    private long run(byte[] code) {
        unicorn.writeMemory(CODE, code);
        unicorn.start(CODE, CODE + code.length, 0, 0);
        return unicorn.readRegister(X86Register.RAX);
    }

    @Test
    void reportsTheLibraryVersion() {
        assertThat(Unicorn.libraryVersion()).isEqualTo("2.0.1");
    }

    @Test
    void executesInstructionsAndReadsRegisters() {
        unicorn.writeRegister(X86Register.RBX, 0x10);
        // mov rax, 0x1234 ; add rax, rbx ; mov [0x500000], rax
        byte[] code = {
            0x48,
            (byte) 0xc7,
            (byte) 0xc0,
            0x34,
            0x12,
            0,
            0,
            0x48,
            0x01,
            (byte) 0xd8,
            0x48,
            (byte) 0x89,
            0x04,
            0x25,
            0x00,
            0x00,
            0x50,
            0x00
        };
        assertThat(run(code)).isEqualTo(0x1244);
        assertThat(unicorn.readRegister(X86Register.RIP)).isEqualTo(CODE + code.length);
        assertThat(unicorn.readLong(DATA)).isEqualTo(0x1244);
    }

    @Test
    void readsAndWritesXmmRegistersAs16Bytes() {
        byte[] value = new byte[16];
        for (int i = 0; i < 16; i++) {
            value[i] = (byte) (i + 1);
        }
        unicorn.writeWideRegister(X86Register.XMM1, value);
        // movdqa xmm0, xmm1 (66 0f 6f c1)
        run(new byte[] {0x66, 0x0f, 0x6f, (byte) 0xc1});
        assertThat(unicorn.readWideRegister(X86Register.XMM0)).containsExactly(value);
    }

    @Test
    void batchesRegisterAccess() {
        RegisterBatch batch = new RegisterBatch(List.of(X86Register.RAX, X86Register.R15, X86Register.RSP));
        unicorn.writeRegisters(batch, new long[] {1, 2, 3});
        long[] values = new long[3];
        unicorn.readRegisters(batch, values);
        assertThat(values).containsExactly(1, 2, 3);
        assertThat(unicorn.readRegister(X86Register.R15)).isEqualTo(2);
    }

    @Test
    void hooksSyscallsAndCode() {
        List<Long> syscalls = new ArrayList<>();
        AtomicLong instructions = new AtomicLong();
        unicorn.addSyscallHook(u -> {
            syscalls.add(u.readRegister(X86Register.RAX));
            u.writeRegister(X86Register.RAX, 99);
        });
        HookHandle code = unicorn.addCodeHook(CODE, CODE + 0xfff, (u, address, size) -> instructions.incrementAndGet());
        // mov eax, 39 (getpid) ; syscall
        assertThat(run(new byte[] {(byte) 0xb8, 39, 0, 0, 0, 0x0f, 0x05})).isEqualTo(99);
        assertThat(syscalls).containsExactly(39L);
        assertThat(instructions.get()).isEqualTo(2);
        unicorn.removeHook(code);
        run(new byte[] {(byte) 0xb8, 39, 0, 0, 0, 0x0f, 0x05});
        assertThat(instructions.get()).isEqualTo(2);
    }

    @Test
    void anInvalidMemoryHookCanMapTheMissingPage() {
        List<String> faults = new ArrayList<>();
        unicorn.addInvalidMemoryHook((u, type, address, size, value) -> {
            faults.add(type + "@0x" + Long.toHexString(address));
            u.mapMemory(address & -4096L, 4096, MemoryProtection.READ | MemoryProtection.WRITE);
            return true;
        });
        // mov rax, [0x700008]
        assertThat(run(new byte[] {0x48, (byte) 0x8b, 0x04, 0x25, 0x08, 0x00, 0x70, 0x00}))
                .isEqualTo(0);
        assertThat(faults).containsExactly("READ_UNMAPPED@0x700008");
    }

    @Test
    void aHookExceptionStopsEmulationAndIsRethrown() {
        unicorn.addCodeHook(1, 0, (u, address, size) -> {
            throw new IllegalStateException("boom at 0x" + Long.toHexString(address));
        });
        assertThatThrownBy(() -> run(new byte[] {(byte) 0x90, (byte) 0x90}))
                .isInstanceOf(UnicornException.class)
                .hasMessageContaining("boom at 0x400000")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void errorsNameTheOperationTheAddressAndUnicornsText() {
        assertThatThrownBy(() -> unicorn.readMemory(0x9000_0000L, 8))
                .isInstanceOf(UnicornException.class)
                .hasMessageContaining("uc_mem_read of [0x90000000-0x90000008)")
                .hasMessageContaining("Invalid memory read (UC_ERR_READ_UNMAPPED)");
        // mov rax, [0x900000]
        assertThatThrownBy(() -> run(new byte[] {0x48, (byte) 0x8b, 0x04, 0x25, 0x00, 0x00, (byte) 0x90, 0x00}))
                .isInstanceOf(UnicornException.class)
                .hasMessageContaining("RIP=0x400000")
                .satisfies(e -> assertThat(((UnicornException) e).errorCode()).isEqualTo(UnicornErrors.READ_UNMAPPED));
    }

    @Test
    void contextsSaveAndRestoreRegisters() {
        unicorn.writeRegister(X86Register.RAX, 7);
        try (UnicornContext context = unicorn.saveContext()) {
            unicorn.writeRegister(X86Register.RAX, 8);
            unicorn.restoreContext(context);
            assertThat(unicorn.readRegister(X86Register.RAX)).isEqualTo(7);
        }
    }

    @Test
    void listsRegionsWithExclusiveEnds() {
        assertThat(unicorn.regions())
                .containsExactly(
                        new UnicornRegion(CODE, CODE + 0x1000, MemoryProtection.READ | MemoryProtection.EXEC),
                        new UnicornRegion(DATA, DATA + 0x1000, MemoryProtection.READ | MemoryProtection.WRITE));
    }

    @Test
    void writesThroughTheApiReachReadOnlyMemory() {
        unicorn.writeMemory(CODE + 0x800, new byte[] {1, 2, 3});
        assertThat(unicorn.readMemory(CODE + 0x800, 3)).containsExactly(1, 2, 3);
    }

    @Test
    void removingTheTranslationCacheTakesARange() {
        run(new byte[] {(byte) 0xb8, 1, 0, 0, 0});
        unicorn.removeTranslationCache(CODE, CODE + 0x1000);
        unicorn.flushTranslationCache();
        assertThat(run(new byte[] {(byte) 0xb8, 2, 0, 0, 0})).isEqualTo(2);
    }
}
