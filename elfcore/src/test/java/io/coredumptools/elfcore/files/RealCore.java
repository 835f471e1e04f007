package io.coredumptools.elfcore.files;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreMemory;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.ElfNote;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.ProgramHeader;
import io.coredumptools.elfcore.symbols.NativeTools;
import io.coredumptools.testkit.ExternalCommand;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A core dumped by the kernel from a program compiled here, read just enough for the files tests (memory from
 * PT_LOAD, mappings from NT_FILE) so they do not wait for CoreDump.
 */
final class RealCore implements CoreMemory, AutoCloseable {
    private final ElfFile core;
    final List<FileMapping> mappings;

    private RealCore(ElfFile core, List<FileMapping> mappings) {
        this.core = core;
        this.mappings = mappings;
    }

    /** Runs {@code program} in its directory with core dumps on; the core, or empty when none was written. */
    static Optional<Path> crash(Path program) throws IOException, InterruptedException {
        Path dir = program.toAbsolutePath().getParent();
        ExternalCommand.run(
                List.of("bash", "-c", "ulimit -c unlimited; exec ./" + program.getFileName()),
                dir,
                Duration.ofMinutes(2));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("core"))
                    .findFirst();
        }
    }

    static RealCore open(Path file) throws CoreFormatException {
        ElfFile core = ElfFile.open(file);
        List<FileMapping> mappings = new ArrayList<>();
        for (ElfNote note : core.segmentNotes(new ArrayList<>())) {
            if (note.type() == ElfNote.NT_FILE) {
                mappings.addAll(parseNtFile(note.data()));
            }
        }
        return new RealCore(core, mappings);
    }

    /** count, page size, count × (start, end, page offset), then count NUL-terminated names. */
    private static List<FileMapping> parseNtFile(ByteBuffer data) {
        long count = data.getLong();
        long pageSize = data.getLong();
        long[][] ranges = new long[(int) count][];
        for (int i = 0; i < count; i++) {
            ranges[i] = new long[] {data.getLong(), data.getLong(), data.getLong()};
        }
        List<FileMapping> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int start = data.position();
            while (data.get() != 0) {
                // skip to the NUL
            }
            byte[] name = new byte[data.position() - 1 - start];
            data.get(start, name);
            result.add(new FileMapping(
                    ranges[i][0], ranges[i][1], ranges[i][2] * pageSize, new String(name, StandardCharsets.UTF_8)));
        }
        return result;
    }

    @Override
    public Optional<ByteBuffer> read(long address, int length) {
        for (ProgramHeader p : core.programHeaders()) {
            if (p.type() == ProgramHeader.PT_LOAD
                    && Long.compareUnsigned(address, p.vaddr()) >= 0
                    && address - p.vaddr() + length <= p.fileSize()) {
                try {
                    return Optional.of(core.bytes()
                            .read(p.offset() + (address - p.vaddr()), length, "memory")
                            .order(ByteOrder.LITTLE_ENDIAN));
                } catch (CoreFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The start of {@code path}'s mapping at file offset 0. */
    long headerAddress(String path) {
        return mappings.stream()
                .filter(m -> m.path().equals(path) && m.fileOffset() == 0)
                .findFirst()
                .orElseThrow()
                .start();
    }

    /** The distinct recorded paths whose first page is mapped. */
    List<String> mappedElfPaths() {
        return mappings.stream()
                .filter(m -> m.fileOffset() == 0)
                .map(FileMapping::path)
                .distinct()
                .toList();
    }

    /** What gdb prints for {@code expression} on this core. */
    static String gdbPrint(Path program, Path core, String expression) {
        String out = NativeTools.run(
                program.toAbsolutePath().getParent(),
                "gdb",
                "-nx",
                "-batch",
                "-ex",
                "print/x " + expression,
                program.toString(),
                core.toString());
        for (String line : out.split("\n")) {
            if (line.startsWith("$1 = ")) {
                return line.substring(5).trim();
            }
        }
        throw new AssertionError("gdb printed no value for " + expression + ":\n" + out);
    }

    @Override
    public void close() {
        core.close();
    }
}
