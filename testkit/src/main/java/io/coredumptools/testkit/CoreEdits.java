package io.coredumptools.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies of fixture cores changed the way other core writers shape them, for tests of every shape of core. The
 * cached cores are never changed.
 */
public final class CoreEdits {
    private static final int PT_LOAD = 1;
    private static final int PT_NOTE = 4;
    private static final int NT_FILE = 0x46494c45;

    private CoreEdits() {}

    /**
     * A copy of the fixture's core in {@code directory} shaped as gdb's {@code gcore} writes cores by default: the
     * segments that a file backs (NT_FILE) and that hold exactly the file's bytes (unmodified: not relocated, not
     * written) keep their program header but no data ({@code p_filesz} 0); NT_FILE still lists them. (The kernel
     * and gdb on these machines dump such segments whole, so this shape has to be made.)
     *
     * @return the copy, and how many segments lost their data
     */
    public static Edited withoutFileBackedReadOnlyData(CoreFixture fixture, Path directory) {
        Path copy = fixture.copyOfCore(directory);
        try (FileChannel core = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = read(core, 0, 64);
            long phoff = header.getLong(0x20);
            int phentsize = header.getShort(0x36) & 0xffff;
            int phnum = header.getShort(0x38) & 0xffff;
            ByteBuffer table = read(core, phoff, phentsize * phnum);
            List<FileRange> fileRanges = new ArrayList<>();
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (table.getInt(at) == PT_NOTE) {
                    fileRanges.addAll(ntFileRanges(read(core, table.getLong(at + 8), (int) table.getLong(at + 32))));
                }
            }
            int dropped = 0;
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                long vaddr = table.getLong(at + 16);
                long filesz = table.getLong(at + 32);
                if (table.getInt(at) != PT_LOAD || filesz == 0) {
                    continue;
                }
                ByteBuffer data = read(core, table.getLong(at + 8), (int) filesz);
                boolean unmodified = fileRanges.stream()
                        .filter(r -> r.start() <= vaddr && vaddr + filesz <= r.end())
                        .anyMatch(r -> r.holds(vaddr, data));
                if (unmodified) {
                    table.putLong(at + 32, 0);
                    dropped++;
                }
            }
            table.rewind();
            core.write(table, phoff);
            return new Edited(copy, dropped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + copy, e);
        }
    }

    /** A copy of the fixture's core whose notes of type {@code from} (e.g. 1, NT_PRSTATUS) have type {@code to}. */
    public static Path withNotesRetyped(CoreFixture fixture, Path directory, int from, int to) {
        return edit(fixture, directory, (core, table, phentsize, phnum) -> {
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (table.getInt(at) != PT_NOTE) {
                    continue;
                }
                long offset = table.getLong(at + 8);
                ByteBuffer notes = read(core, offset, (int) table.getLong(at + 32));
                while (notes.remaining() >= 12) {
                    int start = notes.position();
                    int nameSize = notes.getInt();
                    int descSize = notes.getInt();
                    if (notes.getInt() == from) {
                        notes.putInt(start + 8, to);
                    }
                    notes.position(start + 12 + align4(nameSize) + align4(descSize));
                }
                notes.rewind();
                core.write(notes, offset);
            }
        });
    }

    /** A copy of the fixture's core whose first PT_LOAD claims {@code memorySize} bytes of memory. */
    public static Path withFirstLoadMemorySize(CoreFixture fixture, Path directory, long memorySize) {
        return edit(fixture, directory, (core, table, phentsize, phnum) -> {
            for (int i = 0; i < phnum; i++) {
                if (table.getInt(i * phentsize) == PT_LOAD) {
                    table.putLong(i * phentsize + 40, memorySize);
                    break;
                }
            }
            table.rewind();
            core.write(table, header(core).getLong(0x20));
        });
    }

    /** A copy of the fixture's core whose NT_FILE note gives {@code pageSize} as its page size. */
    public static Path withNtFilePageSize(CoreFixture fixture, Path directory, long pageSize) {
        return edit(fixture, directory, (core, table, phentsize, phnum) -> {
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (table.getInt(at) != PT_NOTE) {
                    continue;
                }
                long offset = table.getLong(at + 8);
                ByteBuffer notes = read(core, offset, (int) table.getLong(at + 32));
                while (notes.remaining() >= 12) {
                    int start = notes.position();
                    int nameSize = notes.getInt();
                    int descSize = notes.getInt();
                    int type = notes.getInt();
                    int desc = start + 12 + align4(nameSize);
                    if (type == NT_FILE) {
                        notes.putLong(desc + 8, pageSize);
                    }
                    notes.position(desc + align4(descSize));
                }
                notes.rewind();
                core.write(notes, offset);
            }
        });
    }

    @FunctionalInterface
    private interface HeaderEdit {
        void apply(FileChannel core, ByteBuffer programHeaders, int phentsize, int phnum) throws IOException;
    }

    private static Path edit(CoreFixture fixture, Path directory, HeaderEdit edit) {
        Path copy = fixture.copyOfCore(directory);
        try (FileChannel core = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = header(core);
            int phentsize = header.getShort(0x36) & 0xffff;
            int phnum = header.getShort(0x38) & 0xffff;
            edit.apply(core, read(core, header.getLong(0x20), phentsize * phnum), phentsize, phnum);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + copy, e);
        }
    }

    private static ByteBuffer header(FileChannel core) throws IOException {
        return read(core, 0, 64);
    }

    /** @param segmentsWithoutData how many PT_LOAD segments lost their data */
    public record Edited(Path core, int segmentsWithoutData) {}

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // read on
        }
        return buffer.flip();
    }

    /** One NT_FILE entry: [start, end) mapped from {@code path} at {@code offset}. */
    private record FileRange(long start, long end, long offset, Path path) {
        /** Whether the file holds exactly {@code data} for the memory at {@code address}. */
        boolean holds(long address, ByteBuffer data) {
            try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
                ByteBuffer expected = read(file, offset + (address - start), data.remaining());
                return expected.remaining() == data.remaining() && expected.equals(data.duplicate());
            } catch (IOException | RuntimeException unreadable) {
                return false;
            }
        }
    }

    /** The entries NT_FILE lists, from the notes of one PT_NOTE segment. */
    private static List<FileRange> ntFileRanges(ByteBuffer notes) {
        List<FileRange> ranges = new ArrayList<>();
        while (notes.remaining() >= 12) {
            int nameSize = notes.getInt();
            int descSize = notes.getInt();
            int type = notes.getInt();
            int descStart = notes.position() + align4(nameSize);
            if (type == NT_FILE) {
                int count = (int) notes.getLong(descStart);
                long pageSize = notes.getLong(descStart + 8);
                int name = descStart + 16 + 24 * count;
                for (int i = 0; i < count; i++) {
                    int entry = descStart + 16 + 24 * i;
                    int end = name;
                    while (notes.get(end) != 0) {
                        end++;
                    }
                    byte[] path = new byte[end - name];
                    notes.get(name, path);
                    ranges.add(new FileRange(
                            notes.getLong(entry),
                            notes.getLong(entry + 8),
                            notes.getLong(entry + 16) * pageSize,
                            Path.of(new String(path, java.nio.charset.StandardCharsets.UTF_8))));
                    name = end + 1;
                }
            }
            notes.position(descStart + align4(descSize));
        }
        return ranges;
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}
