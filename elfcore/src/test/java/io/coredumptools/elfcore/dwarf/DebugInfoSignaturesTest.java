package io.coredumptools.elfcore.dwarf;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.SectionHeader;
import io.coredumptools.elfcore.dwarf.GdbTypes.Dump;
import io.coredumptools.elfcore.dwarf.GdbTypes.GdbFunction;
import io.coredumptools.elfcore.symbols.NativeTools;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every function of signatures.c and signatures_unit2.c, as the DWARF reader tells it, against gdb's view of the
 * same executable: the type as {@code whatis} spells it, the parameter names, the layouts of the return and
 * parameter types (sizes, encodings, struct members with bit positions), for DWARF 5, DWARF 4 and compressed
 * debug sections.
 */
class DebugInfoSignaturesTest {
    private static final List<String> ANCHORS = List.of("main", "unit2_scale");
    private static final List<String> TYPES = List.of(
            "struct opaque",
            "struct bits",
            "struct deep",
            "struct packed_s",
            "struct aligned16",
            "union ld_or_int",
            "anon_t",
            "struct list",
            "struct with_vec");
    private static final Map<Fixture, Dump> GDB = new ConcurrentHashMap<>();

    static Stream<Arguments> builds() {
        return Stream.of(Fixture.SIGNATURES, Fixture.SIGNATURES_DWARF4, Fixture.SIGNATURES_COMPRESSED)
                .map(Arguments::of);
    }

    /**
     * gdb reports the addresses of the process (a PIE, loaded at some base); the reader, the file's link-time
     * addresses. The difference comes from main: gdb's address against readelf's.
     */
    private static long loadBias(Fixture fixture) {
        long gdbMain = gdb(fixture).functions().stream()
                .filter(f -> f.name().equals("main"))
                .findFirst()
                .orElseThrow()
                .entry();
        long fileMain = NativeTools.readelfSymbols(Fixtures.get(fixture).program(), "--syms").stream()
                .filter(s -> s.name().equals("main"))
                .findFirst()
                .orElseThrow()
                .value();
        return gdbMain - fileMain;
    }

    private static Dump gdb(Fixture fixture) {
        return GDB.computeIfAbsent(
                fixture, f -> GdbTypes.dump(Fixtures.get(f), ANCHORS, TYPES, List.of("f_split.cold")));
    }

    @ParameterizedTest
    @MethodSource("builds")
    void everyFunctionIsWhatGdbSays(Fixture build) throws Exception {
        CoreFixture fixture = Fixtures.get(build);
        List<GdbFunction> expected = gdb(build).functions();
        long bias = loadBias(build);
        // signatures.c's own functions, unit2's, and the static twins: a short list would mean a broken dump.
        assertThat(expected).hasSizeGreaterThan(30);
        try (DebugInfo debugInfo = DebugInfo.open(fixture.program())) {
            for (GdbFunction gdbFunction : expected) {
                long entry = gdbFunction.entry() - bias;
                List<FunctionSignature> named = debugInfo.functions(gdbFunction.name()).stream()
                        .filter(f -> f.entryAddress().orElse(-1) == entry)
                        .toList();
                assertThat(named)
                        .as("definitions of %s at 0x%x", gdbFunction.name(), entry)
                        .hasSize(1);
                FunctionSignature f = named.get(0);
                String what = f.name() + " in " + f.compileUnit();
                assertThat(f.typeName()).as(what).isEqualTo(gdbFunction.whatis());
                assertThat(f.definition()).as(what).isTrue();
                assertThat(f.external()).as(what).isEqualTo(gdbFunction.external());
                assertThat(f.compileUnit()).as(what).endsWith(gdbFunction.file());
                assertThat(f.variadic()).as(what).isEqualTo(gdbFunction.whatis().endsWith("...)"));
                assertThat(f.parameters().stream().map(Parameter::name))
                        .as(what)
                        .containsExactlyElementsOf(gdbFunction.argumentNames());
                assertThat(GdbTypes.layout(f.returnType())).as(what).isEqualTo(gdbFunction.returnLayout());
                assertThat(f.parameterTypes().stream().map(GdbTypes::layout))
                        .as(what)
                        .containsExactlyElementsOf(gdbFunction.parameterLayouts());
                assertThat(debugInfo.functionAt(entry)).as(what).contains(f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("builds")
    void namedTypesAreLaidOutAsGdbSays(Fixture build) throws Exception {
        Map<String, String> expected = gdb(build).typeLayouts();
        assertThat(expected).hasSize(TYPES.size());
        try (DebugInfo debugInfo = DebugInfo.open(Fixtures.get(build).program())) {
            for (String name : TYPES) {
                CType type = debugInfo.type(name).orElseThrow(() -> new AssertionError(name + " not found"));
                assertThat(GdbTypes.layout(type)).as(name).isEqualTo(expected.get(name));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("builds")
    void declarationsAreResolvedToTheDefinitionInAnotherUnit(Fixture build) throws Exception {
        try (DebugInfo debugInfo = DebugInfo.open(Fixtures.get(build).program())) {
            FunctionSignature f = debugInfo.function("f_opaque").orElseThrow();
            PointerType pointer = (PointerType) f.parameters().get(0).type();
            assertThat(pointer.name()).isEqualTo("struct opaque *");
            // signatures.c only declares struct opaque; signatures_unit2.c defines it.
            assertThat(GdbTypes.layout(pointer.target()))
                    .isEqualTo(gdb(build).typeLayouts().get("struct opaque"));
            assertThat(((StructType) pointer.target()).complete()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("builds")
    void aFunctionSplitIntoHotAndColdCodeIsFoundFromBoth(Fixture build) throws Exception {
        Dump gdb = gdb(build);
        long cold = gdb.addresses().get("f_split.cold") - loadBias(build);
        assertThat(gdb.functionAtAddress().get("f_split.cold")).isEqualTo("f_split");
        try (DebugInfo debugInfo = DebugInfo.open(Fixtures.get(build).program())) {
            FunctionSignature f = debugInfo.function("f_split").orElseThrow();
            assertThat(f.ranges()).hasSize(2);
            assertThat(f.contains(cold)).isTrue();
            assertThat(debugInfo.functionAt(cold)).contains(f);
            assertThat(debugInfo.functionAt(cold + 1)).contains(f);
        }
    }

    @ParameterizedTest
    @MethodSource("builds")
    void staticFunctionsOfTheSameNameInTwoUnitsAreBothFound(Fixture build) throws Exception {
        try (DebugInfo debugInfo = DebugInfo.open(Fixtures.get(build).program())) {
            List<FunctionSignature> twins = debugInfo.functions("twin");
            assertThat(twins).hasSize(2).allMatch(f -> f.definition() && !f.external());
            assertThat(twins.stream().map(FunctionSignature::typeName))
                    .containsExactlyInAnyOrder("int (int)", "double (double)");
            assertThat(twins.stream().map(FunctionSignature::compileUnit))
                    .containsExactlyInAnyOrder("signatures.c", "signatures_unit2.c");
        }
    }

    /** gdb's whatis cannot tell a prototype from an old-style definition with parameters; the source can. */
    @ParameterizedTest
    @MethodSource("builds")
    void oldStyleDefinitionsHaveNoPrototype(Fixture build) throws Exception {
        try (DebugInfo debugInfo = DebugInfo.open(Fixtures.get(build).program())) {
            FunctionSignature knr = debugInfo.function("f_knr").orElseThrow();
            assertThat(knr.prototyped()).isFalse();
            // The DWARF gives the declared types; callers promote float to double for an unprototyped callee.
            assertThat(knr.parameters().stream().map(Parameter::typeName)).containsExactly("int", "float", "char");
            assertThat(debugInfo.function("f_unprototyped").orElseThrow().prototyped())
                    .isFalse();
            assertThat(debugInfo.function("f_integers").orElseThrow().prototyped())
                    .isTrue();
            assertThat(debugInfo.function("f_void").orElseThrow().prototyped()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("builds")
    void typesCarryWhatTheAbiNeeds(Fixture build) throws Exception {
        try (DebugInfo debugInfo = DebugInfo.open(Fixtures.get(build).program())) {
            FunctionSignature floats = debugInfo.function("f_floats").orElseThrow();
            assertThat(((BaseType) floats.parameterTypes().get(2)).floatFormat())
                    .isEqualTo(FloatFormat.X87_EXTENDED);
            FunctionSignature quad = debugInfo.function("f_quad").orElseThrow();
            assertThat(((BaseType) quad.returnType()).floatFormat()).isEqualTo(FloatFormat.QUAD);
            assertThat(((BaseType) quad.parameterTypes().get(1)).floatFormat()).isEqualTo(FloatFormat.HALF);
            FunctionSignature recursive = debugInfo.function("f_recursive").orElseThrow();
            PointerType list = (PointerType) recursive.parameterTypes().get(0);
            StructType node = (StructType) list.target();
            // The member "next" points back at struct list: resolved on demand, no cycle in memory.
            assertThat(((PointerType) node.members().get(1).type()).target()).isEqualTo(node);
            FunctionSignature typedefs = debugInfo.function("f_typedefs").orElseThrow();
            assertThat(typedefs.parameters().stream().map(Parameter::typeName))
                    .containsExactly("my_size", "cstr", "const my_size", "anon_t", "anon_u", "binary_op");
            assertThat(typedefs.parameters().get(1).type().name()).isEqualTo("const char *");
        }
    }

    @ParameterizedTest
    @MethodSource("builds")
    void theCompressedBuildReallyHasCompressedSections(Fixture build) throws Exception {
        try (ElfFile elf = ElfFile.open(Fixtures.get(build).program())) {
            SectionHeader info = elf.section(".debug_info").orElseThrow();
            boolean compressed = (info.flags() & 0x800) != 0;
            assertThat(compressed).isEqualTo(build == Fixture.SIGNATURES_COMPRESSED);
        }
    }
}
