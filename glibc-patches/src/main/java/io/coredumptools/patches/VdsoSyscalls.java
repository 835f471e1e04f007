package io.coredumptools.patches;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.Hex;
import io.coredumptools.elfcore.StringTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The vDSO's clock functions read the kernel's vvar page, which a core does not contain: in the emulator
 * they would return time 0. Each entry becomes {@code mov eax, NR; syscall; ret}, so the call reaches the
 * emulator's system call emulation, as it would on a kernel without a vDSO.
 */
final class VdsoSyscalls {
    private static final Map<String, Integer> SYSCALLS = Map.of(
            "__vdso_clock_gettime",
            228,
            "__vdso_gettimeofday",
            96,
            "__vdso_time",
            201,
            "__vdso_clock_getres",
            229,
            "__vdso_getcpu",
            309);
    private static final int ELF_HEADER_SIZE = 64;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final int SHT_DYNSYM = 11;
    private static final int SYMBOL_SIZE = 24;
    /** The vDSO is two or three pages; anything claiming more is not one. */
    private static final int MAX_IMAGE = 64 * 1024;

    private VdsoSyscalls() {}

    static List<Patch> plan(CoreDump core, ProcessMemory memory, List<String> notes) {
        Optional<Long> base = core.auxvValue(AuxvEntry.AT_SYSINFO_EHDR);
        if (base.isEmpty() || base.get() == 0) {
            return List.of();
        }
        Optional<byte[]> header = memory.read(base.get(), ELF_HEADER_SIZE);
        if (header.isEmpty() || header.get()[0] != 0x7f || header.get()[1] != 'E') {
            notes.add(
                    "vDSO at " + Hex.address(base.get()) + " is not in the core: its clock functions are not patched");
            return List.of();
        }
        ByteBuffer h = ByteBuffer.wrap(header.get()).order(ByteOrder.LITTLE_ENDIAN);
        long sectionOffset = h.getLong(40);
        int sectionCount = Short.toUnsignedInt(h.getShort(60));
        if (sectionOffset <= 0 || sectionOffset + (long) sectionCount * SECTION_HEADER_SIZE > MAX_IMAGE) {
            notes.add("vDSO section headers look wrong: its clock functions are not patched");
            return List.of();
        }
        Optional<byte[]> sections = memory.read(base.get() + sectionOffset, sectionCount * SECTION_HEADER_SIZE);
        if (sections.isEmpty()) {
            return List.of();
        }
        ByteBuffer s = ByteBuffer.wrap(sections.get()).order(ByteOrder.LITTLE_ENDIAN);
        List<Patch> patches = new ArrayList<>();
        for (int i = 0; i < sectionCount; i++) {
            int at = i * SECTION_HEADER_SIZE;
            if (s.getInt(at + 4) != SHT_DYNSYM) {
                continue;
            }
            long symbolsOffset = s.getLong(at + 24);
            long symbolsSize = s.getLong(at + 32);
            int link = s.getInt(at + 40);
            long stringsOffset = s.getLong(link * SECTION_HEADER_SIZE + 24);
            long stringsSize = s.getLong(link * SECTION_HEADER_SIZE + 32);
            if (symbolsSize > MAX_IMAGE || stringsSize > MAX_IMAGE) {
                return List.of();
            }
            Optional<byte[]> symbols = memory.read(base.get() + symbolsOffset, (int) symbolsSize);
            Optional<byte[]> strings = memory.read(base.get() + stringsOffset, (int) stringsSize);
            if (symbols.isEmpty() || strings.isEmpty()) {
                return List.of();
            }
            ByteBuffer table = ByteBuffer.wrap(symbols.get()).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer names = ByteBuffer.wrap(strings.get()).order(ByteOrder.LITTLE_ENDIAN);
            for (int sym = 0; sym + SYMBOL_SIZE <= symbolsSize; sym += SYMBOL_SIZE) {
                String name = StringTable.at(names, table.getInt(sym));
                Integer number = SYSCALLS.get(name);
                long value = table.getLong(sym + 8);
                if (number == null || value == 0) {
                    continue;
                }
                // The vDSO is linked at 0 (or its own base): its st_value is an offset into the image.
                long address = value < MAX_IMAGE ? base.get() + value : base.get() + (value & (MAX_IMAGE - 1));
                byte[] code = syscallStub(number);
                Optional<byte[]> old = memory.read(address, code.length);
                if (old.isPresent()) {
                    patches.add(new Patch(
                            Patch.Kind.VDSO_SYSCALL,
                            address,
                            old.get(),
                            code,
                            name + " (vdso+0x" + Long.toHexString(address - base.get()) + ")",
                            "vDSO code reading vvar",
                            "syscall " + number,
                            "the core has no vvar page: the emulator answers the system call"));
                }
            }
        }
        return patches;
    }

    /** {@code mov eax, imm32; syscall; ret}. */
    static byte[] syscallStub(int number) {
        return new byte[] {(byte) 0xb8, (byte) number, (byte) (number >> 8), 0, 0, 0x0f, 0x05, (byte) 0xc3};
    }
}
