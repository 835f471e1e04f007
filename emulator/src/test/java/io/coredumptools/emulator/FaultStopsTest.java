package io.coredumptools.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coredumptools.elfcore.LittleEndian;
import io.coredumptools.elfcore.abi.Signals;
import io.coredumptools.emulator.debug.RegisterFile;
import io.coredumptools.emulator.debug.ResumeRequest;
import io.coredumptools.emulator.debug.Stop;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A call that faults stops where the live process stops: the same signal, the pc at the same instruction
 * (function + offset, as gdb's {@code info symbol $pc} says on the live process stopped at the same abort), and
 * the registers of that instruction. Checked through the Java API (the fault report) and through a debugger
 * resume (the stop), on the FAULTS core.
 */
class FaultStopsTest {
    private static final Pattern SIGNAL = Pattern.compile("received signal (SIG\\w+)");
    private static final Pattern SYMBOL = Pattern.compile("^(\\S+) \\+ (\\d+) in section", Pattern.MULTILINE);
    private static final Pattern REGISTER = Pattern.compile("^(r\\w+)\\s+0x([0-9a-f]+)\\s", Pattern.MULTILINE);
    /** Below this a register value is no address (addresses differ between the live run and the core's run). */
    private static final long SMALL = 0x1000;

    /** What live gdb says at the stop inside the call. */
    private record LiveStop(
            String signal,
            String symbol,
            long offset,
            long pc,
            Map<String, Long> registersBefore,
            Map<String, Long> registers) {}

    private static LiveStop live(String expression) {
        CoreFixture faults = Fixtures.get(Fixture.FAULTS);
        String out = Gdb.onLiveProcessAtAbort(
                faults.program(),
                "info registers",
                "echo --- the call\\n",
                "print " + expression,
                "info symbol $pc",
                "p/x $pc",
                "info registers");
        String before = out.substring(0, out.indexOf("--- the call"));
        out = out.substring(out.indexOf("--- the call"));
        List<String> signals =
                SIGNAL.matcher(out).results().map(m -> m.group(1)).toList();
        assertThat(signals).as(out).hasSize(1); // the stop inside the call
        Matcher symbol = SYMBOL.matcher(out);
        Map<String, Long> registersBefore = registers(before);
        Map<String, Long> registers = registers(out);
        Matcher pc = Pattern.compile("^\\$1 = 0x([0-9a-f]+)", Pattern.MULTILINE).matcher(out);
        assertThat(pc.find()).as(out).isTrue();
        boolean named = symbol.find();
        return new LiveStop(
                signals.get(0),
                named ? symbol.group(1) : null,
                named ? Long.parseLong(symbol.group(2)) : 0,
                Long.parseUnsignedLong(pc.group(1), 16),
                registersBefore,
                registers);
    }

    private static Map<String, Long> registers(String gdbOutput) {
        Map<String, Long> registers = new LinkedHashMap<>();
        REGISTER.matcher(gdbOutput)
                .results()
                .forEach(m -> registers.put(m.group(1), Long.parseUnsignedLong(m.group(2), 16)));
        return registers;
    }

    private static Emulator open() throws Exception {
        return TestEmulators.open(Fixture.FAULTS);
    }

    private static void assertSamePlace(Emulator emu, LiveStop live, long pc, String what) {
        if (live.symbol() == null) {
            assertThat(pc)
                    .as(what + ": the pc live gdb shows outside every symbol")
                    .isEqualTo(live.pc());
            return;
        }
        long symbolAddress = emu.symbols().lookup(live.symbol()).orElseThrow().address();
        assertThat(pc)
                .as(what + ": pc 0x%x (%s) against live %s+%d", pc, emu.symbolize(pc), live.symbol(), live.offset())
                .isEqualTo(symbolAddress + live.offset());
    }

    /**
     * The registers the call changed on the live process and that hold no address (those differ between the live
     * run and the core's): the same values here. Registers the call left alone hold what the abort left, which
     * varies from run to run (rax is compared anyway).
     */
    private static void assertSameSmallRegisters(LiveStop live, Map<String, Long> ours, String what) {
        int compared = 0;
        for (var entry : live.registers().entrySet()) {
            boolean changedByTheCall =
                    !entry.getValue().equals(live.registersBefore().get(entry.getKey()))
                            || entry.getKey().equals("rax"); // a system call's result, or the last value computed
            if (changedByTheCall
                    && Long.compareUnsigned(entry.getValue(), SMALL) < 0
                    && ours.containsKey(entry.getKey())) {
                assertThat(ours.get(entry.getKey()))
                        .as(what + ": %s", entry.getKey())
                        .isEqualTo(entry.getValue());
                compared++;
            }
        }
        assertThat(compared).as(what + ": registers compared").isGreaterThan(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "segv_func(0), segv_func, 0, 0",
        "write_read_only(65), write_read_only, 65, 0",
        "bad_jump(16), bad_jump, 16, 0",
        "'divide(7, 0)', divide, 7, 0",
        "trap_ud2(1), trap_ud2, 1, 0",
        "abort_in_call(1), abort_in_call, 1, 0"
    })
    void aFaultingCallStopsWhereTheLiveProcessStops(String expression, String function, long a0, long a1)
            throws Exception {
        LiveStop live = live(expression);
        try (Emulator emu = open()) {
            long address = emu.resolveFunction(function);
            assertThatThrownBy(() -> emu.call(address, Argument.of(a0), Argument.of(a1)))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        EmulationFault fault = e.fault();
                        assertThat(Signals.name(fault.signal()))
                                .as(fault.report())
                                .isEqualTo(live.signal());
                        assertSamePlace(emu, live, fault.pc(), "the fault report");
                        assertThat(fault.registers().rip()).isEqualTo(fault.pc());
                        if (live.symbol() != null) {
                            assertThat(fault.disassembly())
                                    .as(fault.report())
                                    .filteredOn(l -> l.startsWith("=> "))
                                    .singleElement()
                                    .satisfies(l -> assertThat(l).startsWith("=> 0x" + Long.toHexString(fault.pc())));
                        }
                        assertSameSmallRegisters(live, fault.registers().byGdbName(), "the fault report");
                    });
            assertThat(emu.call("next_id").asInt()).as("the next call").isEqualTo(42);

            // The same call as a debugger makes it: registers set, a return address that is a breakpoint.
            long entry = emu.resolveFunction("next_id");
            RegisterFile r = RegisterFile.of(emu.threads().get(0));
            long sp = ((r.rsp() - 0x200) & ~0xfL) - 8;
            emu.write(sp, LittleEndian.ofLong(entry));
            r.general[7] = sp;
            r.general[5] = a0; // rdi
            r.general[4] = a1; // rsi
            r.rip = address;
            Stop stop = emu.resume(r, new ResumeRequest(false, Set.of(entry), List.of(), TestEmulators.GENEROUS));
            assertThat(stop.kind()).isEqualTo(Stop.Kind.SIGNAL);
            assertThat(Signals.name(stop.signal())).isEqualTo(live.signal());
            assertThat(stop.pc()).isEqualTo(r.rip);
            assertSamePlace(emu, live, stop.pc(), "the debugger stop");
            assertSameSmallRegisters(live, r.toGeneralRegisters().byGdbName(), "the debugger stop");
        }
    }

    @Test
    void theFaultReportMarksTheFaultingInstructionOfANullRead() throws Exception {
        try (Emulator emu = open()) {
            assertThatThrownBy(() -> emu.call("segv_func", Argument.of(0)))
                    .isInstanceOfSatisfying(CallFailedException.class, e -> {
                        String marked = e.fault().disassembly().stream()
                                .filter(l -> l.startsWith("=> "))
                                .findFirst()
                                .orElseThrow();
                        // return *p + 1: the load through p, not the function's first instruction.
                        assertThat(marked).contains("<segv_func+0xc").contains("mov eax, dword ptr [rax]");
                    });
        }
    }
}
