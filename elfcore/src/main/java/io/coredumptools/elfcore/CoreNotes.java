package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decoded notes of an x86-64 Linux core. Thread notes (FPREGSET, X86_XSTATE) belong to the PRSTATUS
 * before them: the kernel and gdb's gcore both write a thread's notes together, PRSTATUS first.
 */
record CoreNotes(
        Optional<ProcessInfo> process,
        Optional<SignalInfo> signal,
        List<ThreadState> threads,
        List<AuxvEntry> auxv,
        List<FileMapping> fileMappings,
        long pageSize) {

    // Offsets in the x86-64 kernel structures (include/uapi/linux/elfcore.h, asm/elf.h).
    private static final int PRSTATUS_CURSIG = 12;
    private static final int PRSTATUS_PID = 32;
    private static final int PRSTATUS_REGS = 112;
    private static final int PRSTATUS_MIN_SIZE = PRSTATUS_REGS + GeneralRegisters.SIZE;
    private static final int PRPSINFO_SIZE = 136;
    private static final int SIGINFO_MIN_SIZE = 24;

    static CoreNotes decode(List<ElfNote> notes, List<String> problems) {
        Optional<ProcessInfo> process = Optional.empty();
        Optional<SignalInfo> signal = Optional.empty();
        List<ThreadBuilder> threads = new ArrayList<>();
        List<AuxvEntry> auxv = List.of();
        List<FileMapping> files = List.of();
        long pageSize = 4096;
        for (ElfNote note : notes) {
            ThreadBuilder current = threads.isEmpty() ? null : threads.get(threads.size() - 1);
            switch (note.type()) {
                case ElfNote.NT_PRSTATUS -> {
                    if (!note.name().equals("CORE")) {
                        break;
                    }
                    ThreadBuilder thread = prstatus(note, problems);
                    if (thread != null) {
                        threads.add(thread);
                    }
                }
                case ElfNote.NT_FPREGSET -> {
                    if (current != null && note.name().equals("CORE")) {
                        if (note.descriptor().length >= FpRegisters.SIZE) {
                            current.fp = new FpRegisters(note.descriptor());
                        } else {
                            problems.add("NT_FPREGSET of thread " + current.tid + " is " + note.descriptor().length
                                    + " bytes, expected " + FpRegisters.SIZE + ": ignored");
                        }
                    }
                }
                case ElfNote.NT_X86_XSTATE -> {
                    if (current != null) {
                        current.xstate = note.descriptor();
                    }
                }
                case ElfNote.NT_PRPSINFO -> {
                    if (note.name().equals("CORE") && process.isEmpty()) {
                        process = prpsinfo(note, problems);
                    }
                }
                case ElfNote.NT_SIGINFO -> {
                    // gcore writes one per thread; the first belongs to the thread gdb calls thread 1.
                    if (signal.isEmpty()) {
                        signal = siginfo(note, problems);
                    }
                }
                case ElfNote.NT_AUXV -> auxv = auxv(note);
                case ElfNote.NT_FILE -> {
                    files = fileNote(note, problems);
                    pageSize = note.descriptor().length >= 16 ? note.data().getLong(8) : pageSize;
                }
                default -> {
                    // Other notes (NT_GNU_PROPERTY_TYPE_0, NT_X86_SHSTK, ...) are not needed.
                }
            }
        }
        List<ThreadState> built = threads.stream().map(ThreadBuilder::build).toList();
        return new CoreNotes(process, signal, built, auxv, files, pageSize);
    }

    private static final class ThreadBuilder {
        final int tid;
        final int signal;
        final GeneralRegisters registers;
        FpRegisters fp;
        byte[] xstate;

        ThreadBuilder(int tid, int signal, GeneralRegisters registers) {
            this.tid = tid;
            this.signal = signal;
            this.registers = registers;
        }

        ThreadState build() {
            return new ThreadState(tid, signal, registers, Optional.ofNullable(fp), Optional.ofNullable(xstate));
        }
    }

    private static ThreadBuilder prstatus(ElfNote note, List<String> problems) {
        if (note.descriptor().length < PRSTATUS_MIN_SIZE) {
            problems.add("NT_PRSTATUS note is " + note.descriptor().length + " bytes, expected at least "
                    + PRSTATUS_MIN_SIZE + ": thread ignored");
            return null;
        }
        ByteBuffer d = note.data();
        int signal = Short.toUnsignedInt(d.getShort(PRSTATUS_CURSIG));
        int tid = d.getInt(PRSTATUS_PID);
        d.position(PRSTATUS_REGS);
        return new ThreadBuilder(tid, signal, GeneralRegisters.read(d));
    }

    private static Optional<ProcessInfo> prpsinfo(ElfNote note, List<String> problems) {
        if (note.descriptor().length < PRPSINFO_SIZE) {
            problems.add("NT_PRPSINFO note is " + note.descriptor().length + " bytes, expected " + PRPSINFO_SIZE
                    + ": ignored");
            return Optional.empty();
        }
        ByteBuffer d = note.data();
        char state = (char) d.get(1);
        return Optional.of(new ProcessInfo(
                d.getInt(24),
                d.getInt(28),
                d.getInt(32),
                d.getInt(36),
                d.getInt(16),
                d.getInt(20),
                state,
                cString(note.descriptor(), 40, 16),
                cString(note.descriptor(), 56, 80).trim()));
    }

    private static Optional<SignalInfo> siginfo(ElfNote note, List<String> problems) {
        if (note.descriptor().length < SIGINFO_MIN_SIZE) {
            problems.add("NT_SIGINFO note is " + note.descriptor().length + " bytes, too short: ignored");
            return Optional.empty();
        }
        ByteBuffer d = note.data();
        return Optional.of(new SignalInfo(d.getInt(0), d.getInt(4), d.getInt(8), d.getLong(16), note.descriptor()));
    }

    private static List<AuxvEntry> auxv(ElfNote note) {
        ByteBuffer d = note.data();
        List<AuxvEntry> entries = new ArrayList<>();
        while (d.remaining() >= 16) {
            long type = d.getLong();
            long value = d.getLong();
            if (type == AuxvEntry.AT_NULL) {
                break;
            }
            entries.add(new AuxvEntry(type, value));
        }
        return List.copyOf(entries);
    }

    private static List<FileMapping> fileNote(ElfNote note, List<String> problems) {
        ByteBuffer d = note.data();
        byte[] raw = note.descriptor();
        if (raw.length < 16) {
            problems.add("NT_FILE note is too short: mapped files unknown");
            return List.of();
        }
        long count = d.getLong();
        long pageSize = d.getLong();
        if (count < 0 || count > (raw.length - 16) / 24) {
            problems.add(
                    "NT_FILE note claims " + count + " mappings, more than its " + raw.length + " bytes hold: ignored");
            return List.of();
        }
        long[][] ranges = new long[(int) count][];
        for (int i = 0; i < count; i++) {
            ranges[i] = new long[] {d.getLong(), d.getLong(), d.getLong()};
        }
        List<FileMapping> result = new ArrayList<>((int) count);
        int at = d.position();
        for (int i = 0; i < count; i++) {
            if (at >= raw.length) {
                problems.add("NT_FILE note names only " + i + " of its " + count + " files");
                break;
            }
            int end = at;
            while (end < raw.length && raw[end] != 0) {
                end++;
            }
            String path = new String(raw, at, end - at, StandardCharsets.UTF_8);
            result.add(new FileMapping(ranges[i][0], ranges[i][1], ranges[i][2] * pageSize, path));
            at = end + 1;
        }
        return List.copyOf(result);
    }

    /** A NUL-terminated string in a fixed-size field of a note (the note's size was checked). */
    private static String cString(byte[] bytes, int offset, int fieldSize) {
        return StringTable.at(ByteBuffer.wrap(bytes, offset, fieldSize).slice(), 0);
    }
}
