package io.coredumptools.elfcore.files;

import io.coredumptools.elfcore.CoreMemory;
import io.coredumptools.elfcore.ElfNote;
import io.coredumptools.elfcore.ElfNotes;
import io.coredumptools.elfcore.Hex;
import io.coredumptools.elfcore.ProgramHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the GNU build-id of a mapped ELF object from the core's memory. The kernel dumps the first page of
 * every ELF file mapping (coredump_filter bit 4), which holds the ELF header, the program headers and, in
 * practice, the PT_NOTE segment with NT_GNU_BUILD_ID: the build-id of the object the process really ran.
 */
public final class CoreBuildIdReader {
    private static final int ELF_HEADER_SIZE = 64;
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final long PAGE_MASK = ~0xfffL;
    /** More program headers than any real object has; a larger count means the page is not an ELF header. */
    private static final int MAX_PROGRAM_HEADERS = 512;
    /** Build-id notes are tens of bytes; a larger PT_NOTE is read only up to this much. */
    private static final int MAX_NOTE_BYTES = 64 * 1024;

    private CoreBuildIdReader() {}

    /**
     * The build-id, as lowercase hex, of the ELF object mapped at {@code mappingStart} (the start of its mapping
     * at file offset 0); empty when that memory is not in the core or holds no ELF header or no build-id note.
     */
    public static Optional<String> read(CoreMemory memory, long mappingStart) {
        Optional<ByteBuffer> headerBytes = memory.read(mappingStart, ELF_HEADER_SIZE);
        if (headerBytes.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer h = headerBytes.get().order(ByteOrder.LITTLE_ENDIAN);
        if (h.get(0) != 0x7f
                || h.get(1) != 'E'
                || h.get(2) != 'L'
                || h.get(3) != 'F'
                || h.get(4) != ELFCLASS64
                || h.get(5) != ELFDATA2LSB) {
            return Optional.empty();
        }
        long phoff = h.getLong(32);
        int phentsize = Short.toUnsignedInt(h.getShort(54));
        int phnum = Short.toUnsignedInt(h.getShort(56));
        if (phnum == 0 || phnum > MAX_PROGRAM_HEADERS || phentsize < ProgramHeader.SIZE || phoff <= 0) {
            return Optional.empty();
        }
        Optional<ByteBuffer> table = memory.read(mappingStart + phoff, phnum * phentsize);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        List<ProgramHeader> headers = parseProgramHeaders(table.get().order(ByteOrder.LITTLE_ENDIAN), phnum, phentsize);
        Optional<Long> lowestLoad = headers.stream()
                .filter(p -> p.type() == ProgramHeader.PT_LOAD)
                .map(ProgramHeader::vaddr)
                .min(Long::compareUnsigned);
        if (lowestLoad.isEmpty()) {
            return Optional.empty();
        }
        long firstPage = lowestLoad.get() & PAGE_MASK;
        for (ProgramHeader note : headers) {
            if (note.type() != ProgramHeader.PT_NOTE || note.fileSize() <= 0) {
                continue;
            }
            long address = mappingStart + (note.vaddr() - firstPage);
            int length = (int) Math.min(note.fileSize(), MAX_NOTE_BYTES);
            Optional<ByteBuffer> bytes = memory.read(address, length);
            if (bytes.isEmpty()) {
                continue;
            }
            for (ElfNote n : ElfNotes.parse(bytes.get(), new ArrayList<>())) {
                if (n.isBuildId()) {
                    return Optional.of(Hex.of(n.descriptor()));
                }
            }
        }
        return Optional.empty();
    }

    private static List<ProgramHeader> parseProgramHeaders(ByteBuffer table, int count, int entrySize) {
        List<ProgramHeader> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(ProgramHeader.parse(table, i * entrySize));
        }
        return result;
    }
}
