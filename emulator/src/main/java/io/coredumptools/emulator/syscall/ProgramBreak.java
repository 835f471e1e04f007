package io.coredumptools.emulator.syscall;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.ProgramHeader;
import io.coredumptools.emulator.memory.MemoryImage;
import io.coredumptools.emulator.nativeio.PageSize;
import java.util.OptionalLong;

/**
 * Where the crashed process's program break was, for brk: glibc's {@code __curbrk} once the process has grown
 * its heap (or sbrk(0) asked); before that, the kernel's initial break, just past the executable's last loaded
 * segment (its bss). The kernel adds a random offset there under ASLR that no core records; the page right after
 * the bss is where it would be without randomisation, and where a heap can grow without meeting a mapping.
 */
public final class ProgramBreak {
    private ProgramBreak() {}

    /** The end of the executable's loaded segments, page-aligned, from its program headers (auxv AT_PHDR). */
    public static OptionalLong endOfExecutable(CoreDump core, MemoryImage image) {
        long phdr = core.auxvValue(AuxvEntry.AT_PHDR).orElse(0L);
        long count = core.auxvValue(AuxvEntry.AT_PHNUM).orElse(0L);
        long entrySize = core.auxvValue(AuxvEntry.AT_PHENT).orElse((long) ProgramHeader.SIZE);
        if (phdr == 0 || count <= 0 || count > 256 || entrySize != ProgramHeader.SIZE) {
            return OptionalLong.empty();
        }
        byte[] table;
        try {
            table = image.read(phdr, (int) (count * entrySize));
        } catch (RuntimeException unreadable) {
            return OptionalLong.empty();
        }
        long bias = 0;
        long end = 0;
        for (int i = 0; i < count; i++) {
            int at = (int) (i * entrySize);
            int type = LittleEndian.i32(table, at);
            long vaddr = LittleEndian.i64(table, at + 16);
            long memorySize = LittleEndian.i64(table, at + 40);
            if (type == ProgramHeader.PT_PHDR) {
                bias = phdr - vaddr;
            } else if (type == ProgramHeader.PT_LOAD && Long.compareUnsigned(vaddr + memorySize, end) > 0) {
                end = vaddr + memorySize;
            }
        }
        return end == 0 ? OptionalLong.empty() : OptionalLong.of(PageSize.alignUp(bias + end));
    }
}
