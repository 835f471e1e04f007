package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls into glibc on cores taken on this AVX-512 machine: IFUNC'd string functions by name, malloc and
 * snprintf, a first call through an unbound PLT slot, stdio output, and locks held by the other thread.
 * Each runs with libc6-dbg's debug files found and with debug lookup pointed at an empty directory (Debian's
 * libc is stripped: nothing may depend on names from debug files).
 */
class GlibcCallsTest {
    @TempDir
    static Path emptyDebugDir;

    private static Emulator open(Fixture fixture, boolean debugFiles, boolean lockBypass) throws Exception {
        return TestEmulators.open(fixture, debugFiles, emptyDebugDir, lockBypass);
    }

    private static long string(Emulator emu, String text) {
        return emu.reserve(text.length() + 1).writeCString(text);
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void stringFunctionsByName(boolean debugFiles) throws Exception {
        try (Emulator emu = open(Fixture.DEMO_PIE, debugFiles, true)) {
            assertThat(emu.symbols().lookup("strlen").orElseThrow().isIfunc()).isTrue();
            assertThat(emu.call("strlen", Argument.of(string(emu, "hello"))).rax())
                    .isEqualTo(5);
            assertThat(emu.call("strcmp", Argument.of(string(emu, "a")), Argument.of(string(emu, "b")))
                            .asInt())
                    .isNegative();
            assertThat(emu.call("strcmp", Argument.of(string(emu, "same")), Argument.of(string(emu, "same")))
                            .asInt())
                    .isZero();
            assertThat(emu.call(
                                    "memcmp",
                                    Argument.of(string(emu, "abcd")),
                                    Argument.of(string(emu, "abce")),
                                    Argument.of(4))
                            .asInt())
                    .isNegative();
            long haystack = string(emu, "find the x here");
            assertThat(emu.call("strchr", Argument.of(haystack), Argument.of('x'))
                            .rax())
                    .isEqualTo(haystack + 9);

            ScratchMemory buffer = emu.reserve(64);
            long source = string(emu, "copied bytes");
            assertThat(emu.call("memcpy", Argument.of(buffer.address()), Argument.of(source), Argument.of(13))
                            .rax())
                    .isEqualTo(buffer.address());
            assertThat(emu.readCString(buffer.address(), 64)).isEqualTo("copied bytes");
            emu.call("memset", Argument.of(buffer.address()), Argument.of('z'), Argument.of(5));
            assertThat(emu.readCString(buffer.address(), 64)).isEqualTo("zzzzzd bytes");
        }
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void greetMallocsAndFormatsAsOnTheLiveProcess(boolean debugFiles) throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        String live = Gdb.onLiveProcessAtAbort(f.program(), "print greet(\"bob\")");
        Matcher quoted = Pattern.compile("\"(hello, [^\"]*)\"").matcher(live);
        assertThat(quoted.find()).as(live).isTrue();
        try (Emulator emu = open(Fixture.DEMO_PIE, debugFiles, true)) {
            long greeting = emu.call("greet", Argument.of(string(emu, "bob"))).rax();
            assertThat(emu.readCString(greeting, 100))
                    .isEqualTo(quoted.group(1))
                    .isEqualTo("hello, bob!");
        }
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void firstCallThroughAnUnboundPltSlot(boolean debugFiles) throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_LAZY);
        String live = Gdb.onLiveProcessAtAbort(f.program(), "print call_cbrt(27.0)");
        double expected = Double.parseDouble(live.replaceAll("(?s).*\\$1 = ([-0-9.e]+).*", "$1"));
        try (Emulator emu = open(Fixture.DEMO_LAZY, debugFiles, true)) {
            assertThat(emu.call("call_cbrt", Argument.of(27.0)).xmm0()).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void printedTextIsCaptured(boolean debugFiles) throws Exception {
        try (Emulator emu = open(Fixture.DEMO_LAZY, debugFiles, true)) {
            CallResult result = emu.call("say_hi");
            assertThat(result.asInt()).isEqualTo(7);
            assertThat(result.outputText()).isEqualTo("hi from demo\n");
            CallResult printf = emu.call(
                    "printf",
                    Argument.of(string(emu, "%d-%s|%g\n")),
                    Argument.of(42),
                    Argument.of(string(emu, "x")),
                    Argument.of(2.5));
            assertThat(printf.outputText()).isEqualTo("42-x|2.5\n");
        }
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void aMutexHeldByTheOtherThreadIsBypassedOrReported(boolean debugFiles) throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_PIE);
        String gdb = f.gdb("p lock.__data.__owner", "info threads");
        int owner = Integer.parseInt(gdb.replaceAll("(?s).*\\$1 = (\\d+).*", "$1"));
        try (Emulator emu = open(Fixture.DEMO_PIE, debugFiles, true)) {
            assertThat(emu.threads().get(1).tid()).isEqualTo(owner);
            assertThat(emu.call("lock_and_get").asInt()).isEqualTo(42);
        }
        try (Emulator emu = open(Fixture.DEMO_PIE, debugFiles, false)) {
            assertThatThrownBy(() -> emu.call("lock_and_get")).isInstanceOfSatisfying(CallFailedException.class, e -> {
                assertThat(e.fault().kind()).isEqualTo(FaultKind.LOCK_WAIT);
                assertThat(e.fault().detail()).contains("LWP " + owner);
                assertThat(e.fault().address())
                        .isEqualTo(emu.symbols().lookup("lock").orElseThrow().address());
            });
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
        }
    }

    @ParameterizedTest(name = "debug files: {0}")
    @ValueSource(booleans = {true, false})
    void staticExecutableCallsLibcThroughItsIrelativeSlots(boolean debugFiles) throws Exception {
        try (Emulator emu = open(Fixture.DEMO_STATIC, debugFiles, true)) {
            long greeting =
                    emu.call("greet", Argument.of(string(emu, "static"))).rax();
            assertThat(emu.readCString(greeting, 100)).isEqualTo("hello, static!");
            assertThat(emu.call("next_id").asInt()).isEqualTo(43);
        }
    }
}
