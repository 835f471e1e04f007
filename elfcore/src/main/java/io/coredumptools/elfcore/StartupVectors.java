package io.coredumptools.elfcore;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * argc, argv[] and envp[] as exec laid them out at the bottom of the main thread's initial stack, found from the
 * core alone: the kernel copies the auxiliary vector there verbatim (NT_AUXV holds the same bytes), and below it
 * are envp's NULL, the envp pointers, argv's NULL, the argv pointers and argc. That gives what the kernel serves
 * as {@code /proc/PID/cmdline} (the bytes from argv[0] to envp[0]) and {@code environ} (from envp[0] to the end of
 * the last environment string), read from the process's memory as the kernel reads them, so a rewritten argv
 * (setproctitle) shows as it would live; and {@code start_stack}, the address of argc, by which the kernel names
 * the {@code [stack]} mapping.
 *
 * @param startStack  where argc is
 * @param argv        the argument pointers
 * @param envp        the environment pointers
 */
public record StartupVectors(long startStack, List<Long> argv, List<Long> envp) {
    /** Stack segments larger than this are searched in their top part only (the vectors are near the top). */
    private static final int MAX_SEARCH = 8 << 20;
    /** More pointers than this in argv or envp is not a vector. */
    private static final int MAX_POINTERS = 1 << 20;

    private static final int MAX_STRING = 128 * 1024;

    /** The vectors, when the core holds the initial stack and its auxv copy. */
    public static Optional<StartupVectors> of(CoreDump core) {
        List<AuxvEntry> auxv = core.auxv();
        Optional<Long> execfn = core.auxvValue(AuxvEntry.AT_EXECFN);
        if (auxv.size() < 2 || execfn.isEmpty()) {
            return Optional.empty();
        }
        Optional<LoadSegment> stack = core.segments().stream()
                .filter(s -> Long.compareUnsigned(s.vaddr(), execfn.get()) <= 0
                        && Long.compareUnsigned(execfn.get(), s.end()) < 0)
                .findFirst();
        if (stack.isEmpty()) {
            return Optional.empty();
        }
        // Search below AT_EXECFN only, at most MAX_SEARCH bytes: a corrupt p_memsz can make any segment (not the
        // stack) contain AT_EXECFN and span half the address space.
        long below = execfn.get() - stack.get().vaddr();
        int length = Long.compareUnsigned(below, MAX_SEARCH) < 0 ? (int) below : MAX_SEARCH;
        long from = execfn.get() - length;
        Optional<ByteBuffer> bytes = readPrefixFrom(core.memory(), from, length);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer b = bytes.get();
        long base = execfn.get() - b.remaining();
        byte[] auxvBytes = auxvBytes(auxv);
        int at = lastIndexOf(b, auxvBytes);
        if (at < 0) {
            return Optional.empty();
        }
        // Walk down from the word below the auxv copy: envp's NULL, envp[], argv's NULL, argv[], argc.
        int word = at - 8;
        if (word < 0 || b.getLong(word) != 0) {
            return Optional.empty();
        }
        List<Long> envp = new ArrayList<>();
        word -= 8;
        while (word >= 0 && b.getLong(word) != 0 && envp.size() < MAX_POINTERS) {
            envp.add(0, b.getLong(word));
            word -= 8;
        }
        List<Long> argv = new ArrayList<>();
        word -= 8;
        while (word >= 0 && argv.size() < MAX_POINTERS) {
            long v = b.getLong(word);
            if (v == argv.size()) {
                return Optional.of(new StartupVectors(base + word, List.copyOf(argv), List.copyOf(envp)));
            }
            argv.add(0, v);
            word -= 8;
        }
        return Optional.empty();
    }

    /** {@code /proc/PID/cmdline}: the argument strings, each with its NUL, as they are now in memory. */
    public byte[] commandLine(CoreMemory memory) {
        return strings(memory, argv);
    }

    /** {@code /proc/PID/environ}. */
    public byte[] environment(CoreMemory memory) {
        return strings(memory, envp);
    }

    private static byte[] strings(CoreMemory memory, List<Long> pointers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long p : pointers) {
            Optional<String> s = memory.readCString(p, MAX_STRING);
            if (s.isEmpty()) {
                break;
            }
            byte[] latin1 = s.get().getBytes(StandardCharsets.ISO_8859_1);
            out.write(latin1, 0, latin1.length);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] auxvBytes(List<AuxvEntry> auxv) {
        List<AuxvEntry> entries = new ArrayList<>();
        for (AuxvEntry e : auxv) {
            if (e.type() == AuxvEntry.AT_NULL) {
                break;
            }
            entries.add(e);
        }
        ByteBuffer b = ByteBuffer.allocate(entries.size() * 16).order(ByteOrder.LITTLE_ENDIAN);
        for (AuxvEntry e : entries) {
            b.putLong(e.type()).putLong(e.value());
        }
        return b.array();
    }

    /** The readable bytes of [from, from+length), from the first readable page on, little-endian. */
    private static Optional<ByteBuffer> readPrefixFrom(CoreMemory memory, long from, int length) {
        for (long start = from; start < from + length; start += 4096) {
            Optional<ByteBuffer> b = memory.read(start, (int) (from + length - start));
            if (b.isPresent()) {
                return Optional.of(b.get().slice().order(ByteOrder.LITTLE_ENDIAN));
            }
        }
        return Optional.empty();
    }

    private static int lastIndexOf(ByteBuffer haystack, byte[] needle) {
        for (int i = (haystack.remaining() - needle.length) & ~7; i >= 0; i -= 8) {
            boolean match = true;
            for (int j = 0; j < needle.length && match; j++) {
                match = haystack.get(i + j) == needle[j];
            }
            if (match) {
                return i;
            }
        }
        return -1;
    }
}
