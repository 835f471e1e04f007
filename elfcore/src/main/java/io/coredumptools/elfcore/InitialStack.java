package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the kernel put at the top of the main thread's stack at exec and the core still holds: the argument and
 * environment strings, then the executable's name as passed to execve ({@code AT_EXECFN} points at it). Those
 * strings sit back to back, so the environment is read backwards from {@code AT_EXECFN}: the strings of the form
 * {@code NAME=value} just below it. The process may have changed its environment since (setenv copies to the
 * heap); this is the environment it started with.
 */
public final class InitialStack {
    /** How far below AT_EXECFN the strings are read: ARG_MAX-like, far more than any environment here. */
    private static final int MAX_STRINGS_BYTES = 256 * 1024;

    private static final int CHUNK = 4096;

    private final List<String> strings;
    private final Optional<String> executableName;

    private InitialStack(List<String> strings, Optional<String> executableName) {
        this.strings = strings;
        this.executableName = executableName;
    }

    /** Reads the strings below AT_EXECFN; empty lists when the core has no AT_EXECFN or not those bytes. */
    public static InitialStack of(CoreDump core) {
        Optional<Long> execfn = core.auxvValue(AuxvEntry.AT_EXECFN);
        if (execfn.isEmpty()) {
            return new InitialStack(List.of(), Optional.empty());
        }
        CoreMemory memory = core.memory();
        Optional<String> name = memory.readCString(execfn.get(), 4096);
        byte[] below = readBelow(memory, execfn.get());
        return new InitialStack(stringsEndingAt(below), name);
    }

    /** The bytes just below {@code address}, as many as the core holds (up to the bound). */
    private static byte[] readBelow(CoreMemory memory, long address) {
        List<byte[]> chunks = new ArrayList<>();
        int total = 0;
        long cursor = address;
        while (total < MAX_STRINGS_BYTES && Long.compareUnsigned(cursor, CHUNK) >= 0) {
            Optional<ByteBuffer> chunk = memory.read(cursor - CHUNK, CHUNK);
            if (chunk.isEmpty()) {
                break;
            }
            byte[] bytes = new byte[CHUNK];
            chunk.get().get(bytes);
            chunks.add(0, bytes);
            total += CHUNK;
            cursor -= CHUNK;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        return all;
    }

    /** The NUL-terminated printable strings that end exactly at the end of {@code bytes}, in order. */
    static List<String> stringsEndingAt(byte[] bytes) {
        List<String> found = new ArrayList<>();
        int end = bytes.length;
        if (end == 0 || bytes[end - 1] != 0) {
            return List.of();
        }
        while (end > 0 && bytes[end - 1] == 0) {
            int start = end - 1;
            while (start > 0 && isText(bytes[start - 1])) {
                start--;
            }
            if (start == end - 1) {
                break; // two NULs in a row: not a string area any more
            }
            found.add(0, new String(bytes, start, end - 1 - start, StandardCharsets.UTF_8));
            end = start;
        }
        return List.copyOf(found);
    }

    private static boolean isText(byte b) {
        return b != 0 && (b >= 0x20 || b == '\t' || b == '\n' || b < 0);
    }

    /** The environment the process started with, in order (the first of two equal names wins, as getenv). */
    public Map<String, String> environment() {
        int first = strings.size();
        while (first > 0 && isAssignment(strings.get(first - 1))) {
            first--; // the strings above the last argument
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String s : strings.subList(first, strings.size())) {
            int equals = s.indexOf('=');
            environment.putIfAbsent(s.substring(0, equals), s.substring(equals + 1));
        }
        return environment;
    }

    private static boolean isAssignment(String s) {
        int equals = s.indexOf('=');
        return equals > 0 && s.substring(0, equals).matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    /** The executable's name as given to execve (AT_EXECFN), e.g. {@code ./demo}. */
    public Optional<String> executableName() {
        return executableName;
    }

    /**
     * The working directory the process started in, where the core tells: {@code PWD} from the environment when
     * it is absolute (shells set it to the directory they run in), else the directory of the executable's
     * absolute path when execve was given a path relative to the working directory ({@code ./demo}).
     *
     * @param executablePath the executable's path as the process mapped it (NT_FILE)
     */
    public Optional<String> workingDirectory(Optional<String> executablePath) {
        String pwd = environment().get("PWD");
        if (pwd != null && pwd.startsWith("/")) {
            return Optional.of(pwd);
        }
        if (executableName.isPresent() && executablePath.isPresent()) {
            String name = executableName.get();
            String path = executablePath.get();
            String relative = name.startsWith("./") ? name.substring(2) : name;
            if (!name.startsWith("/") && !relative.contains("..") && path.endsWith("/" + relative)) {
                String directory = path.substring(0, path.length() - relative.length() - 1);
                return Optional.of(directory.isEmpty() ? "/" : directory);
            }
        }
        return Optional.empty();
    }
}
