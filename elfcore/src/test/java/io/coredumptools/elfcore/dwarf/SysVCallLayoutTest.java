package io.coredumptools.elfcore.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classification and the call layout against what gcc really does: sysv_calls.c runs under gdb to its abort;
 * for each case gdb calls {@code pass_NAME()}, which calls {@code take_NAME(...)} with globals, stops at the
 * callee's first instruction and dumps the argument registers and the stack; then it calls {@code
 * receive_NAME()}, finishes {@code give_NAME()} and dumps the result registers. Every argument's and result's
 * bytes must be exactly where {@link SysVCallLayout} says, for the types the DWARF reader gives.
 */
class SysVCallLayoutTest {
    private static final HexFormat HEX = HexFormat.of();

    private static final String PROBE = """
            import gdb, re

            def u64(v):
                return int(v) & 0xffffffffffffffff

            def dump_registers(tag):
                frame = gdb.selected_frame()
                for r in ["rdi", "rsi", "rdx", "rcx", "r8", "r9", "rax"]:
                    value = u64(frame.read_register(r))
                    print("%s REG %s %s" % (tag, r, value.to_bytes(8, "little").hex()))
                for i in range(8):
                    v = frame.read_register("xmm%d" % i)["v2_int64"]
                    data = u64(v[0]).to_bytes(8, "little") + u64(v[1]).to_bytes(8, "little")
                    print("%s REG xmm%d %s" % (tag, i, data.hex()))
                for i in range(2):
                    text = gdb.execute("info registers st%d" % i, to_string=True)
                    raw = re.search(r"raw 0x([0-9a-fA-F]+)", text).group(1)
                    print("%s REG st%d %s" % (tag, i, bytes.fromhex(raw.rjust(20, "0"))[::-1].hex()))
                rsp = u64(frame.read_register("rsp"))
                print("%s STACK %s" % (tag, gdb.selected_inferior().read_memory(rsp, 512).tobytes().hex()))

            def bytes_of(expression):
                value = gdb.parse_and_eval(expression)
                address = u64(gdb.parse_and_eval("&(" + expression + ")"))
                return gdb.selected_inferior().read_memory(address, value.type.sizeof).tobytes().hex()

            def stop_in(function, caller):
                gdb.execute("break *" + function, to_string=True)
                try:
                    gdb.execute("call " + caller + "()", to_string=True)
                except gdb.error:
                    pass
                gdb.execute("delete", to_string=True)
                name = gdb.selected_frame().name()
                if name != function:
                    raise gdb.GdbError("expected to stop in %s, stopped in %s" % (function, name))

            main = gdb.block_for_pc(u64(gdb.parse_and_eval("&main")))
            cases = sorted(s.name[len("take_"):] for s in main.global_block if s.is_function and s.name.startswith("take_"))
            for case in cases:
                stop_in("take_" + case, "pass_" + case)
                dump_registers("TAKE " + case)
                i = 0
                while gdb.lookup_global_symbol("%s_a%d" % (case, i)) is not None:
                    print("TAKE %s ARG %d %s" % (case, i, bytes_of("%s_a%d" % (case, i))))
                    i += 1
                if gdb.lookup_global_symbol("give_" + case) is not None:
                    stop_in("give_" + case, "receive_" + case)
                    frame = gdb.selected_frame()
                    hidden = u64(frame.read_register("rdi"))
                    # Not "finish": it prints the value, and gdb 13 dies classifying some (union ld_or_int).
                    rsp = u64(frame.read_register("rsp"))
                    back = int.from_bytes(gdb.selected_inferior().read_memory(rsp, 8).tobytes(), "little")
                    gdb.execute("tbreak *0x%x" % back, to_string=True)
                    gdb.execute("continue", to_string=True)
                    dump_registers("GIVE " + case)
                    print("GIVE %s HIDDEN %s" % (case, hidden.to_bytes(8, "little").hex()))
                    print("GIVE %s VALUE %s" % (case, bytes_of(case + "_r")))
                    rax = u64(gdb.selected_frame().read_register("rax"))
                    size = gdb.parse_and_eval(case + "_r").type.sizeof
                    try:
                        memory = gdb.selected_inferior().read_memory(rax, size).tobytes().hex()
                    except gdb.MemoryError:
                        memory = ""
                    print("GIVE %s AT_RAX %s" % (case, memory))
            print("PROBE DONE %d" % len(cases))
            """;

    /** What gdb saw at one stop: registers by gdb's name, 512 bytes from rsp, and named values (a0, VALUE...). */
    private static final class Stop {
        final Map<String, byte[]> registers = new HashMap<>();
        final Map<String, byte[]> values = new HashMap<>();
        byte[] stack = new byte[0];
    }

    private static final Map<String, Stop> taken = new TreeMap<>();
    private static final Map<String, Stop> given = new TreeMap<>();
    private static DebugInfo debugInfo;

    @BeforeAll
    static void runTheCallsUnderGdb() throws Exception {
        CoreFixture fixture = Fixtures.get(Fixture.SYSV_CALLS);
        Path script = Files.createTempFile("sysv-probe-", ".py");
        try {
            Files.writeString(script, PROBE);
            String output = Gdb.onLiveProcessAtAbort(fixture.program(), "source " + script);
            assertThat(output).contains("PROBE DONE");
            parse(output);
        } finally {
            Files.deleteIfExists(script);
        }
        debugInfo = DebugInfo.open(fixture.program());
    }

    @AfterAll
    static void close() {
        if (debugInfo != null) {
            debugInfo.close();
        }
    }

    /** Lines "TAKE|GIVE case REG name hex", "... STACK hex", "... ARG i hex", "... VALUE|HIDDEN|AT_RAX hex". */
    private static void parse(String output) {
        for (String line : output.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 3 || !(f[0].equals("TAKE") || f[0].equals("GIVE"))) {
                continue;
            }
            Stop stop = (f[0].equals("TAKE") ? taken : given).computeIfAbsent(f[1], c -> new Stop());
            switch (f[2]) {
                case "REG" -> stop.registers.put(f[3], HEX.parseHex(f[4]));
                case "STACK" -> stop.stack = HEX.parseHex(f[3]);
                case "ARG" -> stop.values.put("a" + f[3], HEX.parseHex(f.length > 4 ? f[4] : ""));
                default -> stop.values.put(f[2], f.length > 3 ? HEX.parseHex(f[3]) : new byte[0]);
            }
        }
    }

    @Test
    void everyArgumentIsWhereGccPutsIt() throws Exception {
        assertThat(taken).hasSizeGreaterThan(50);
        for (Map.Entry<String, Stop> entry : taken.entrySet()) {
            String name = entry.getKey();
            Stop stop = entry.getValue();
            FunctionSignature callee = debugInfo.function("take_" + name).orElseThrow();
            List<CType> types = new ArrayList<>(callee.parameterTypes());
            if (callee.variadic()) {
                // pass_variadic passes (int, double, double, long): the promoted types of its globals.
                types.add(parameter("take_double"));
                types.add(parameter("take_double"));
                types.add(parameter("take_long"));
            }
            SysVCallLayout layout = SysVCallLayout.of(callee.returnType(), types);
            assertThat(layout.arguments()).as(name).hasSize(stop.values.size());
            for (int i = 0; i < types.size(); i++) {
                ArgumentLocation location = layout.arguments().get(i);
                byte[] value = stop.values.get("a" + i);
                String what = "take_" + name + " argument " + i + " ("
                        + types.get(i).name() + ", " + location.classification().eightbytes() + ")";
                assertThat(value).as(what).hasSize((int) types.get(i).byteSize());
                boolean[] significant = significantBytes(types.get(i));
                if (location.onStack()) {
                    // On entry the return address is at rsp; stack arguments start at rsp + 8.
                    int at = 8 + (int) location.stackOffset().getAsLong();
                    assertSameBytes(what + " on the stack", value, 0, stop.stack, at, value.length, significant);
                } else {
                    for (RegisterPiece piece : location.registers()) {
                        byte[] register = stop.registers.get(piece.register().gdbName());
                        assertSameBytes(
                                what + " in " + piece.register().gdbName(),
                                value,
                                (int) piece.valueOffset(),
                                register,
                                piece.registerOffset(),
                                piece.size(),
                                significant);
                    }
                }
            }
            if (callee.variadic()) {
                assertThat(stop.registers.get("rax")[0]).as("%al for " + name).isEqualTo((byte)
                        layout.vectorRegisters());
            }
        }
    }

    @Test
    void everyResultIsWhereGccPutsIt() throws Exception {
        assertThat(given).hasSizeGreaterThan(45);
        for (Map.Entry<String, Stop> entry : given.entrySet()) {
            String name = entry.getKey();
            Stop stop = entry.getValue();
            FunctionSignature callee = debugInfo.function("give_" + name).orElseThrow();
            ReturnLocation result = SysVCallLayout.of(callee).returnValue();
            byte[] value = stop.values.get("VALUE");
            boolean[] significant = significantBytes(callee.returnType());
            String what = "give_" + name + " (" + callee.returnType().name() + ", "
                    + result.classification().eightbytes() + ")";
            if (result.inMemory()) {
                assertThat(stop.registers.get("rax"))
                        .as(what + ": rax returns the buffer rdi passed")
                        .isEqualTo(stop.values.get("HIDDEN"));
                assertSameBytes(what + " in memory", value, 0, stop.values.get("AT_RAX"), 0, value.length, significant);
            } else {
                assertThat(result.registers()).as(what).isNotEmpty();
                for (RegisterPiece piece : result.registers()) {
                    assertSameBytes(
                            what + " in " + piece.register().gdbName(),
                            value,
                            (int) piece.valueOffset(),
                            stop.registers.get(piece.register().gdbName()),
                            piece.registerOffset(),
                            piece.size(),
                            significant);
                }
            }
        }
    }

    /** A case that takes a struct returned in memory: the hidden pointer takes rdi, the first argument rsi. */
    @Test
    void aResultInMemoryMovesTheArgumentsOneRegisterOn() throws Exception {
        SysVCallLayout layout =
                SysVCallLayout.of(debugInfo.function("take_big_with_args").orElseThrow());
        assertThat(layout.returnValue().inMemory()).isTrue();
        assertThat(layout.arguments().get(0).registers().get(0).register()).isEqualTo(SysVRegister.RSI);
        assertThat(taken).containsKey("big_with_args");
    }

    @Test
    void typesThatCannotBePlacedAreRefusedWithAReason() throws Exception {
        CType opaque = new StructType(StructType.Kind.STRUCT, "struct opaque", 0, 1, List.of(), false, false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SysVClassifier.classify(opaque))
                .isInstanceOf(AbiClassificationException.class)
                .hasMessageContaining("struct opaque is incomplete");
        CType ymm = new ArrayType(parameter("take_float"), java.util.OptionalLong.of(8), true, 32, "float [8]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SysVClassifier.classify(ymm))
                .isInstanceOf(AbiClassificationException.class)
                .hasMessageContaining("-mavx");
    }

    private static CType parameter(String function) throws Exception {
        return debugInfo.function(function).orElseThrow().parameterTypes().get(0);
    }

    private static void assertSameBytes(
            String what,
            byte[] value,
            int valueOffset,
            byte[] actual,
            int actualOffset,
            int size,
            boolean[] significant) {
        assertThat(actual).as(what).isNotNull();
        StringBuilder expectedHex = new StringBuilder();
        StringBuilder actualHex = new StringBuilder();
        for (int k = 0; k < size; k++) {
            if (significant[valueOffset + k]) {
                expectedHex.append(String.format("%02x", value[valueOffset + k]));
                actualHex.append(String.format("%02x", actual[actualOffset + k]));
            } else {
                expectedHex.append("..");
                actualHex.append("..");
            }
        }
        assertThat(actualHex.toString()).as(what).isEqualTo(expectedHex.toString());
    }

    /** The bytes of a value that hold data (not padding, not the unused 6 bytes of an x87 value). */
    static boolean[] significantBytes(CType type) {
        boolean[] mask = new boolean[(int) type.byteSize()];
        mark(type, 0, mask);
        return mask;
    }

    private static void mark(CType type, long offset, boolean[] mask) {
        if (type instanceof BaseType base && base.floatFormat() == FloatFormat.X87_EXTENDED) {
            long part = base.isComplex() ? base.byteSize() / 2 : base.byteSize();
            for (long p = 0; p < base.byteSize(); p += part) {
                fill(mask, offset + p, 10);
            }
        } else if (type instanceof StructType struct) {
            for (Member m : struct.members()) {
                if (m.isBitField()) {
                    long first = m.bitOffset() / 8;
                    long last = (m.bitOffset() + m.bitSize() - 1) / 8;
                    fill(mask, offset + first, last - first + 1);
                } else {
                    mark(m.type(), offset + m.offset(), mask);
                }
            }
        } else if (type instanceof ArrayType array && !array.vector()) {
            long size = array.element().byteSize();
            for (long i = 0; i < array.count().orElse(0); i++) {
                mark(array.element(), offset + i * size, mask);
            }
        } else {
            fill(mask, offset, type.byteSize());
        }
    }

    private static void fill(boolean[] mask, long from, long count) {
        for (long i = from; i < from + count && i < mask.length; i++) {
            mask[(int) i] = true;
        }
    }
}
