package io.coredumptools.testkit.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Corrupts an x86-64 ELF core where its readers make decisions: the ELF header, the program headers, the note
 * headers and NT_FILE's fields, each set to a value at an edge (0, -1, the top page, a half page, a huge size, the
 * next value) or to random bits; or the file cut short. The choices come from a {@link Choices}, so a seeded random
 * generator (the corrupted-core runs) and a fuzzer's data (the in-process fuzz tests) drive the same mutations.
 * The kernel's core layout is read once from the pristine core, which is never written.
 */
public final class CoreMutator {
    private static final int ELF_HEADER = 64;
    private static final int PHDR_SIZE = 56;
    private static final int PT_NOTE = 4;
    private static final int NT_PRSTATUS = 1;
    private static final int NT_AUXV = 6;
    private static final int NT_FILE = 0x46494c45;

    /** Values at which parsers' arithmetic and checks change. */
    private static final long[] EDGES = {
        0,
        1,
        2,
        0xfff,
        0x1000,
        0x1200,
        0x7fff_ffff,
        0x8000_0000L,
        0xffff_ffffL,
        0x1_0000_0000L,
        0x7fff_ffff_ffff_ffffL,
        0x8000_0000_0000_0000L,
        0xffff_ffff_ffff_f000L,
        0xffff_ffff_ffff_efffL,
        -1
    };

    /** Where the fields are, as absolute file offsets, and how wide each is. */
    private record Field(long offset, int width, String name) {}

    /** The decisions of one mutation. */
    public interface Choices {
        /** A number in [0, bound). */
        int pick(int bound);

        /** Any 64 bits. */
        long bits();
    }

    private final Path pristine;
    private final long size;
    private final byte[] head;
    private final List<Field> fields;

    private CoreMutator(Path pristine, long size, byte[] head, List<Field> fields) {
        this.pristine = pristine;
        this.size = size;
        this.head = head;
        this.fields = fields;
    }

    /** Reads the layout of {@code core}: its headers and notes (the core must be a well-formed one). */
    public static CoreMutator of(Path core) {
        try (FileChannel in = FileChannel.open(core, StandardOpenOption.READ)) {
            long size = in.size();
            ByteBuffer eh = read(in, 0, ELF_HEADER);
            long phoff = eh.getLong(32);
            int phnum = eh.getShort(56) & 0xffff;
            ByteBuffer phdrs = read(in, phoff, phnum * PHDR_SIZE);
            List<Field> fields = new ArrayList<>();
            fields.add(new Field(16, 2, "e_type"));
            fields.add(new Field(18, 2, "e_machine"));
            fields.add(new Field(32, 8, "e_phoff"));
            fields.add(new Field(54, 2, "e_phentsize"));
            fields.add(new Field(56, 2, "e_phnum"));
            long headEnd = phoff + (long) phnum * PHDR_SIZE;
            for (int i = 0; i < phnum; i++) {
                long at = phoff + (long) i * PHDR_SIZE;
                fields.add(new Field(at, 4, "p_type[" + i + "]"));
                fields.add(new Field(at + 4, 4, "p_flags[" + i + "]"));
                fields.add(new Field(at + 8, 8, "p_offset[" + i + "]"));
                fields.add(new Field(at + 16, 8, "p_vaddr[" + i + "]"));
                fields.add(new Field(at + 32, 8, "p_filesz[" + i + "]"));
                fields.add(new Field(at + 40, 8, "p_memsz[" + i + "]"));
                if (phdrs.getInt(i * PHDR_SIZE) == PT_NOTE) {
                    long offset = phdrs.getLong(i * PHDR_SIZE + 8);
                    long length = phdrs.getLong(i * PHDR_SIZE + 32);
                    noteFields(read(in, offset, (int) length), offset, fields);
                    headEnd = Math.max(headEnd, offset + length);
                }
            }
            return new CoreMutator(core, size, read(in, 0, (int) headEnd).array(), List.copyOf(fields));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the layout of " + core, e);
        }
    }

    private static void noteFields(ByteBuffer notes, long base, List<Field> fields) {
        int at = 0;
        while (at + 12 <= notes.limit()) {
            int namesz = notes.getInt(at);
            int descsz = notes.getInt(at + 4);
            int type = notes.getInt(at + 8);
            String note = "note@" + Long.toHexString(base + at);
            fields.add(new Field(base + at, 4, note + ".namesz"));
            fields.add(new Field(base + at + 4, 4, note + ".descsz"));
            fields.add(new Field(base + at + 8, 4, note + ".type"));
            int desc = at + 12 + align4(namesz);
            if (type == NT_FILE && descsz >= 16) {
                long count = notes.getLong(desc);
                fields.add(new Field(base + desc, 8, "NT_FILE.count"));
                fields.add(new Field(base + desc + 8, 8, "NT_FILE.page_size"));
                for (long k = 0; k < Math.min(count, 64); k++) {
                    long entry = base + desc + 16 + k * 24;
                    fields.add(new Field(entry, 8, "NT_FILE.start[" + k + "]"));
                    fields.add(new Field(entry + 8, 8, "NT_FILE.end[" + k + "]"));
                    fields.add(new Field(entry + 16, 8, "NT_FILE.offset[" + k + "]"));
                }
            } else if (type == NT_AUXV) {
                for (int k = 0; k + 16 <= Math.min(descsz, 64 * 16); k += 16) {
                    fields.add(new Field(base + desc + k + 8, 8, "auxv[" + notes.getLong(desc + k) + "]"));
                }
            } else if (type == NT_PRSTATUS && descsz >= 0x70 + 27 * 8) {
                // pr_pid and a few registers: rip, rsp, fs_base (the emulator starts from them).
                fields.add(new Field(base + desc + 32, 4, note + ".pr_pid"));
                fields.add(new Field(base + desc + 0x70 + 16 * 8, 8, note + ".rip"));
                fields.add(new Field(base + desc + 0x70 + 19 * 8, 8, note + ".rsp"));
                fields.add(new Field(base + desc + 0x70 + 21 * 8, 8, note + ".fs_base"));
            }
            long next = (long) desc + align4(descsz);
            if (namesz < 0 || descsz < 0 || next > notes.limit()) {
                break;
            }
            at = (int) next;
        }
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static ByteBuffer read(FileChannel in, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && in.read(b, offset + b.position()) > 0) {}
        return b.flip();
    }

    /** The headers and notes of the pristine core: the region every mutation but a cut changes. */
    public int headLength() {
        return head.length;
    }

    public int fieldCount() {
        return fields.size();
    }

    /**
     * Writes the pristine core to {@code target} with 1-4 mutations chosen by {@code choices}; returns what was
     * done, one item a mutation (for the failure message).
     */
    public String writeMutant(Path target, Choices choices) {
        try {
            Files.copy(pristine, target, StandardCopyOption.REPLACE_EXISTING);
            target.toFile().setWritable(true, true);
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
                return mutate(out, choices, 1 + choices.pick(4), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /**
     * Makes {@code target} (a copy of the pristine core written before) the pristine core again in its head, then
     * applies {@code count} mutations chosen by {@code choices}; a fuzz loop's cheap reset (no cut).
     */
    public String rewriteHead(Path target, Choices choices, int count) {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(head), 0);
            return mutate(out, choices, count, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** A copy of the pristine core at {@code target}, to be mutated in place by {@link #rewriteHead}. */
    public void copyTo(Path target) {
        try {
            Files.copy(pristine, target, StandardCopyOption.REPLACE_EXISTING);
            target.toFile().setWritable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private String mutate(FileChannel out, Choices choices, int count, boolean cutAllowed) throws IOException {
        List<String> done = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = choices.pick(10);
            if (kind == 0 && cutAllowed) {
                long cut = choices.pick(2) == 0
                        ? Long.remainderUnsigned(choices.bits(), head.length)
                        : Long.remainderUnsigned(choices.bits(), size);
                out.truncate(cut);
                done.add("cut at " + cut);
                break;
            } else if (kind == 1) {
                long at = Long.remainderUnsigned(choices.bits(), head.length);
                byte value = (byte) choices.bits();
                out.write(ByteBuffer.wrap(new byte[] {value}), at);
                done.add("byte@" + at + "=" + (value & 0xff));
            } else {
                Field field = fields.get(choices.pick(fields.size()));
                long original = field.width == 8 ? readLong(field.offset) : readNarrow(field);
                long value = switch (choices.pick(4)) {
                    case 0 -> EDGES[choices.pick(EDGES.length)];
                    case 1 -> original + (choices.pick(2) == 0 ? 1 : -1) * (1L << choices.pick(16));
                    case 2 -> original * 2 + 0x200;
                    default -> choices.bits();
                };
                ByteBuffer bytes =
                        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
                out.write(ByteBuffer.wrap(bytes.array(), 0, field.width), field.offset);
                done.add(field.name + "=0x" + Long.toHexString(value));
            }
        }
        return String.join(", ", done);
    }

    private long readLong(long offset) {
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong((int) offset);
    }

    private long readNarrow(Field field) {
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        return field.width == 4 ? b.getInt((int) field.offset) & 0xffff_ffffL : b.getShort((int) field.offset) & 0xffff;
    }

    /** {@link Choices} from a seeded generator: the same seed, the same mutant. */
    public static Choices seeded(long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        return new Choices() {
            @Override
            public int pick(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public long bits() {
                return random.nextLong();
            }
        };
    }
}
