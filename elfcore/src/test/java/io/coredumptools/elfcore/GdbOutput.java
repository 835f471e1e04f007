package io.coredumptools.elfcore;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the parts of gdb's batch output that the differential tests compare. */
final class GdbOutput {
    private static final Pattern THREAD_LINE =
            Pattern.compile("^[* ]\\s*(\\d+)\\s+(?:Thread 0x[0-9a-f]+ \\()?LWP (\\d+)", Pattern.MULTILINE);
    private static final Pattern REGISTER_LINE = Pattern.compile("^(\\w+)\\s+(0x[0-9a-f]+)\\s", Pattern.MULTILINE);
    private static final Pattern VALUE_LINE = Pattern.compile("^\\$\\d+ = (.*)$", Pattern.MULTILINE);
    private static final Pattern SHARED_LIBRARY_LINE =
            Pattern.compile("^(0x[0-9a-f]+)\\s+(0x[0-9a-f]+)\\s+\\S+\\s+(?:\\(\\*\\)\\s+)?(/\\S+)$", Pattern.MULTILINE);

    private GdbOutput() {}

    /** gdb thread number → LWP id, from {@code info threads}. */
    static Map<Integer, Integer> threads(String output) {
        Map<Integer, Integer> result = new LinkedHashMap<>();
        Matcher m = THREAD_LINE.matcher(output);
        while (m.find()) {
            result.put(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return result;
    }

    /** Register name → value, from {@code info registers ...}. */
    static Map<String, Long> registers(String output) {
        Map<String, Long> result = new LinkedHashMap<>();
        Matcher m = REGISTER_LINE.matcher(output);
        while (m.find()) {
            result.put(m.group(1), Long.parseUnsignedLong(m.group(2).substring(2), 16));
        }
        return result;
    }

    /** The values of {@code $N = ...} lines, in order. */
    static List<String> values(String output) {
        List<String> result = new ArrayList<>();
        Matcher m = VALUE_LINE.matcher(output);
        while (m.find()) {
            result.add(m.group(1).trim());
        }
        return result;
    }

    /** An unsigned hex value (up to 128 bits) printed by {@code p/x}. */
    static BigInteger hex(String value) {
        return new BigInteger(value.replaceFirst("^0x", ""), 16);
    }

    /** The address at the end of a pointer value such as {@code (int (*)(void)) 0x55550000 <next_id>}. */
    static long address(String value) {
        Matcher m = Pattern.compile("0x([0-9a-f]+)").matcher(value);
        if (!m.find()) {
            throw new IllegalArgumentException("no address in gdb value: " + value);
        }
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /** Shared library path → the "From" address (start of its .text), from {@code info sharedlibrary}. */
    static Map<String, Long> sharedLibraries(String output) {
        Map<String, Long> result = new LinkedHashMap<>();
        Matcher m = SHARED_LIBRARY_LINE.matcher(output);
        while (m.find()) {
            result.put(m.group(3), Long.parseUnsignedLong(m.group(1).substring(2), 16));
        }
        return result;
    }
}
