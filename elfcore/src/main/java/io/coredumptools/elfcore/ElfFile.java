package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ELF64 little-endian file (executable, shared object, debug file or core), opened read-only.
 * Headers are read at open; section headers and contents only when asked. Every offset is checked against
 * the file size.
 */
public final class ElfFile implements AutoCloseable {
    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int HEADER_SIZE = 64;

    private final FileBytes file;
    private final ElfHeader header;
    private final List<ProgramHeader> programHeaders;
    private List<SectionHeader> sections;
    private Optional<String> buildId;

    private ElfFile(FileBytes file, ElfHeader header, List<ProgramHeader> programHeaders) {
        this.file = file;
        this.header = header;
        this.programHeaders = programHeaders;
    }

    /** Opens and checks an ELF64 little-endian file of any machine. */
    public static ElfFile open(Path path) throws CoreFormatException {
        return open(path, FileBytes.open(path));
    }

    /** As {@link #open(Path)}, reading the file through {@code source} (each range ensured before it is read). */
    public static ElfFile open(io.coredumptools.elfcore.source.FileSource source) throws CoreFormatException {
        return open(source.localPath(), FileBytes.open(source));
    }

    private static ElfFile open(Path path, FileBytes file) throws CoreFormatException {
        try {
            ElfHeader header = parseHeader(path, file);
            return new ElfFile(file, header, readProgramHeaders(file, header));
        } catch (CoreFormatException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static ElfHeader parseHeader(Path path, FileBytes file) throws CoreFormatException {
        if (file.size() == 0) {
            throw new CoreFormatException(path, "the file is empty");
        }
        if (file.size() < MAGIC.length) {
            throw new CoreFormatException(path, "not an ELF file (only " + file.size() + " bytes)");
        }
        ByteBuffer magic = file.read(0, MAGIC.length, "ELF magic");
        for (byte b : MAGIC) {
            if (magic.get() != b) {
                throw new CoreFormatException(path, "not an ELF file (no \\x7fELF magic)");
            }
        }
        ByteBuffer h = file.read(0, HEADER_SIZE, "ELF header");
        if (h.get(4) != ELFCLASS64) {
            throw new CoreFormatException(path, "not a 64-bit ELF file (EI_CLASS " + h.get(4) + ")");
        }
        if (h.get(5) != ELFDATA2LSB) {
            throw new CoreFormatException(path, "not a little-endian ELF file (EI_DATA " + h.get(5) + ")");
        }
        ElfHeader header = new ElfHeader(
                Short.toUnsignedInt(h.getShort(16)),
                Short.toUnsignedInt(h.getShort(18)),
                h.getLong(24),
                h.getLong(32),
                Short.toUnsignedInt(h.getShort(54)),
                Short.toUnsignedInt(h.getShort(56)),
                h.getLong(40),
                Short.toUnsignedInt(h.getShort(58)),
                Short.toUnsignedInt(h.getShort(60)),
                Short.toUnsignedInt(h.getShort(62)));
        if (header.programHeaderCount() > 0 && header.programHeaderSize() < ProgramHeader.SIZE) {
            throw new CoreFormatException(
                    path, "program header entry size " + header.programHeaderSize() + " is too small");
        }
        return header;
    }

    private static List<ProgramHeader> readProgramHeaders(FileBytes file, ElfHeader header) throws CoreFormatException {
        int count = header.programHeaderCount();
        if (count == 0) {
            return List.of();
        }
        ByteBuffer table =
                file.read(header.programHeaderOffset(), count * header.programHeaderSize(), "program header table");
        List<ProgramHeader> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(ProgramHeader.parse(table, i * header.programHeaderSize()));
        }
        return List.copyOf(result);
    }

    public Path path() {
        return file.path();
    }

    public FileBytes bytes() {
        return file;
    }

    public ElfHeader header() {
        return header;
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** Section headers with names; an empty list when the file has none (cores usually have none). */
    public synchronized List<SectionHeader> sections() throws CoreFormatException {
        if (sections == null) {
            sections = readSections();
        }
        return sections;
    }

    private List<SectionHeader> readSections() throws CoreFormatException {
        int count = header.sectionHeaderCount();
        if (count == 0 || header.sectionHeaderOffset() == 0) {
            return List.of();
        }
        if (header.sectionHeaderSize() < SectionHeader.SIZE) {
            throw new CoreFormatException(
                    path(), "section header entry size " + header.sectionHeaderSize() + " is too small");
        }
        ByteBuffer table =
                file.read(header.sectionHeaderOffset(), count * header.sectionHeaderSize(), "section header table");
        long[][] raw = new long[count][];
        for (int i = 0; i < count; i++) {
            int at = i * header.sectionHeaderSize();
            raw[i] = new long[] {
                Integer.toUnsignedLong(table.getInt(at)),
                Integer.toUnsignedLong(table.getInt(at + 4)),
                table.getLong(at + 8),
                table.getLong(at + 16),
                table.getLong(at + 24),
                table.getLong(at + 32),
                Integer.toUnsignedLong(table.getInt(at + 40)),
                Integer.toUnsignedLong(table.getInt(at + 44)),
                table.getLong(at + 56)
            };
        }
        ByteBuffer names = null;
        int nameIndex = header.sectionNameIndex();
        if (nameIndex > 0 && nameIndex < count && raw[nameIndex][1] != SectionHeader.SHT_NOBITS) {
            names = file.read(raw[nameIndex][4], raw[nameIndex][5], "section name table");
        }
        List<SectionHeader> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] r = raw[i];
            String name = names == null ? "" : StringTable.at(names, (int) r[0]);
            result.add(new SectionHeader(i, name, (int) r[1], r[2], r[3], r[4], r[5], (int) r[6], (int) r[7], r[8]));
        }
        return List.copyOf(result);
    }

    public Optional<SectionHeader> section(String name) throws CoreFormatException {
        for (SectionHeader s : sections()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The bytes of a section (empty for SHT_NOBITS, as in a debug file's .text). */
    public ByteBuffer sectionData(SectionHeader section) throws CoreFormatException {
        if (section.type() == SectionHeader.SHT_NOBITS) {
            return ByteBuffer.allocate(0);
        }
        return file.read(section.offset(), section.size(), "section " + section.name());
    }

    /** The bytes of a segment present in the file (at most its file size). */
    public ByteBuffer segmentData(ProgramHeader segment) throws CoreFormatException {
        return file.read(segment.offset(), segment.fileSize(), "segment at 0x" + Long.toHexString(segment.vaddr()));
    }

    /** All notes of all PT_NOTE segments, in file order; problems (truncated notes) are appended to {@code problems}. */
    public List<ElfNote> segmentNotes(List<String> problems) throws CoreFormatException {
        List<ElfNote> notes = new ArrayList<>();
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() != ProgramHeader.PT_NOTE) {
                continue;
            }
            ByteBuffer data = file.readAvailable(ph.offset(), ph.fileSize(), "PT_NOTE segment");
            if (data.remaining() < ph.fileSize()) {
                problems.add("PT_NOTE at file offset 0x" + Long.toHexString(ph.offset()) + " is cut short: "
                        + data.remaining() + " of " + ph.fileSize() + " bytes present");
            }
            notes.addAll(ElfNotes.parse(data, problems));
        }
        return notes;
    }

    /** The GNU build-id of this file from its PT_NOTE segments or SHT_NOTE sections, as lowercase hex. */
    public synchronized Optional<String> buildId() throws CoreFormatException {
        if (buildId == null) {
            buildId = findBuildId();
        }
        return buildId;
    }

    private Optional<String> findBuildId() throws CoreFormatException {
        List<String> ignored = new ArrayList<>();
        for (ElfNote note : segmentNotes(ignored)) {
            if (note.isBuildId()) {
                return Optional.of(Hex.of(note.descriptor()));
            }
        }
        for (SectionHeader s : sections()) {
            if (s.type() == SectionHeader.SHT_NOTE) {
                for (ElfNote note : ElfNotes.parse(sectionData(s), ignored)) {
                    if (note.isBuildId()) {
                        return Optional.of(Hex.of(note.descriptor()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        file.close();
    }
}
