package io.coredumptools.elfcore.dwarf;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Gdb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * gdb's own view of the functions and types of a program, as ground truth for the DWARF reader: a Python script
 * run in {@code gdb -batch} on the fixture's program and core lists every function of the compile units that
 * hold the given anchor functions, with gdb's spelling of its type ({@code whatis}), its parameter names and the
 * layout of its return and parameter types; and the layout of named types. {@link #layout(CType)} writes the
 * same layout notation from the reader's types, so the two can be compared as strings.
 *
 * <p>Layout notation: {@code sint4}, {@code uint8}, {@code bool1}, {@code float16}, {@code complex8},
 * {@code enum4u}, {@code ptr8(const char *)}, {@code array12[3](float4)}, {@code void}, {@code func},
 * {@code struct8{x@0:0:sint4;y@32:0:sint4}} (member name @ bit position : bit size : layout).
 */
final class GdbTypes {

    /** One function as gdb sees it. */
    record GdbFunction(
            String name,
            String file,
            long entry,
            boolean external,
            String whatis,
            List<String> argumentNames,
            String returnLayout,
            List<String> parameterLayouts) {}

    private static final String SCRIPT = """
            import gdb

            def u64(v):
                return int(v) & 0xffffffffffffffff

            def resolved(t):
                for _ in range(64):
                    t = t.unqualified().strip_typedefs()
                    if t.code != gdb.TYPE_CODE_TYPEDEF and str(t) == str(t.unqualified()):
                        break
                return t

            def layout(t):
                t = resolved(t)
                c = t.code
                if c == gdb.TYPE_CODE_PTR:
                    # A fresh pointer to the target: gdb keeps "restrict" through unqualified().
                    return "ptr%d(%s)" % (t.sizeof, str(t.target().pointer()))
                if c in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR):
                    return ("sint" if t.is_signed else "uint") + str(t.sizeof)
                if c == gdb.TYPE_CODE_BOOL:
                    return "bool%d" % t.sizeof
                if c == gdb.TYPE_CODE_FLT or c == gdb.TYPE_CODE_DECFLOAT:
                    return "float%d" % t.sizeof
                if c == gdb.TYPE_CODE_COMPLEX:
                    return "complex%d" % t.sizeof
                if c == gdb.TYPE_CODE_ENUM:
                    return "enum%d%s" % (t.sizeof, "s" if t.is_signed else "u")
                if c == gdb.TYPE_CODE_ARRAY:
                    low, high = t.range()
                    return "array%d[%d](%s)" % (t.sizeof, max(0, high - low + 1), layout(t.target()))
                if c in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                    kind = "struct" if c == gdb.TYPE_CODE_STRUCT else "union"
                    fields = ";".join("%s@%d:%d:%s" % (f.name or "", f.bitpos, f.bitsize, layout(f.type))
                                      for f in t.fields())
                    return "%s%d{%s}" % (kind, t.sizeof, fields)
                if c == gdb.TYPE_CODE_FUNC:
                    return "func"
                if c == gdb.TYPE_CODE_VOID:
                    return "void"
                return "code%d" % c

            def emit(sym, external):
                entry = u64(sym.value().address)
                block = gdb.block_for_pc(entry)
                while block is not None and block.function is None:
                    block = block.superblock
                arguments = [s.name for s in block if s.is_argument] if block is not None else []
                parameters = [layout(f.type) for f in sym.type.fields()]
                print("\\t".join(["FUNC", sym.name, sym.symtab.filename, "%x" % entry, str(external),
                                  str(sym.type), ",".join(arguments), layout(sym.type.target())] + parameters))

            seen = set()
            for anchor in ANCHORS:
                unit = gdb.block_for_pc(u64(gdb.parse_and_eval("&" + anchor)))
                for block, external in ((unit.global_block, True), (unit.static_block, False)):
                    for sym in block:
                        key = (sym.name, sym.symtab.filename)
                        if sym.is_function and key not in seen:
                            seen.add(key)
                            emit(sym, external)
            for name in TYPES:
                print("TYPE\\t%s\\t%s" % (name, layout(gdb.lookup_type(name))))
            for name in ADDRESSES:
                address = u64(gdb.parse_and_eval("&'%s'" % name))
                function = gdb.block_for_pc(address).function
                print("ADDRESS\\t%s\\t%x\\t%s" % (name, address, function.name if function else ""))
            print("GDB TYPES DONE")
            """;

    /** What one gdb run told. */
    record Dump(
            List<GdbFunction> functions,
            Map<String, String> typeLayouts,
            Map<String, Long> addresses,
            Map<String, String> functionAtAddress) {}

    private GdbTypes() {}

    /**
     * @param anchors   functions whose compile units to list
     * @param types     type names to lay out, e.g. "struct point"
     * @param addresses symbols (such as "f_split.cold") whose address and enclosing function to report
     */
    static Dump dump(CoreFixture fixture, List<String> anchors, List<String> types, List<String> addresses) {
        Path script = null;
        try {
            script = Files.createTempFile("gdb-types-", ".py");
            Files.writeString(
                    script,
                    "ANCHORS = " + pythonList(anchors) + "\nTYPES = " + pythonList(types) + "\nADDRESSES = "
                            + pythonList(addresses) + "\n" + SCRIPT);
            String output = Gdb.onCore(fixture.program(), fixture.core(), "source " + script);
            if (!output.contains("GDB TYPES DONE")) {
                throw new AssertionError("gdb's type dump did not finish:\n" + output);
            }
            return parse(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (script != null) {
                script.toFile().delete();
            }
        }
    }

    private static Dump parse(String output) {
        List<GdbFunction> functions = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        Map<String, Long> addresses = new HashMap<>();
        Map<String, String> functionAt = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "FUNC" ->
                    functions.add(new GdbFunction(
                            f[1],
                            f[2],
                            Long.parseUnsignedLong(f[3], 16),
                            Boolean.parseBoolean(f[4].toLowerCase()),
                            f[5],
                            f[6].isEmpty() ? List.of() : List.of(f[6].split(",")),
                            f[7],
                            List.of(Arrays.copyOfRange(f, 8, f.length))));
                case "TYPE" -> types.put(f[1], f[2]);
                case "ADDRESS" -> {
                    addresses.put(f[1], Long.parseUnsignedLong(f[2], 16));
                    functionAt.put(f[1], f[3]);
                }
                default -> {
                    // gdb's own messages about loading the core.
                }
            }
        }
        return new Dump(functions, types, addresses, functionAt);
    }

    private static String pythonList(List<String> values) {
        return values.stream().map(v -> "'" + v.replace("'", "\\'") + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    /** The reader's type in gdb's layout notation (see the class comment). */
    static String layout(CType type) {
        if (type instanceof BaseType base) {
            return switch (base.encoding()) {
                case BOOLEAN -> "bool" + base.byteSize();
                case FLOAT, DECIMAL_FLOAT, IMAGINARY_FLOAT -> "float" + base.byteSize();
                case COMPLEX_FLOAT -> "complex" + base.byteSize();
                default -> (base.encoding().isSigned() ? "sint" : "uint") + base.byteSize();
            };
        }
        if (type instanceof EnumType e) {
            return "enum" + e.byteSize() + (e.signed() ? "s" : "u");
        }
        if (type instanceof PointerType p) {
            return "ptr" + p.byteSize() + "(" + p.name() + ")";
        }
        if (type instanceof ArrayType a) {
            return "array" + a.byteSize() + "[" + a.count().orElse(0) + "](" + layout(a.element()) + ")";
        }
        if (type instanceof StructType s) {
            String members = s.members().stream()
                    .map(m -> m.name() + "@" + m.bitOffset() + ":" + m.bitSize() + ":" + layout(m.type()))
                    .collect(Collectors.joining(";"));
            return (s.isUnion() ? "union" : "struct") + s.byteSize() + "{" + members + "}";
        }
        if (type instanceof FunctionType) {
            return "func";
        }
        if (type instanceof VoidType) {
            return "void";
        }
        return "unsupported(" + type + ")";
    }
}
