package io.coredumptools.rsp.handlers;

import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.call.InstructionTrace;
import io.coredumptools.rsp.inferior.DebugTarget;
import io.coredumptools.rsp.inferior.Hex;
import io.coredumptools.rsp.inferior.RestoreMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code monitor ...} (qRcmd): the emulator's own controls. Output goes to the console, then OK. */
public final class MonitorHandler implements PacketHandler {
    static final String HELP = """
            corestub monitor commands:
              monitor help                          this list
              monitor info                          the core: pid, signal, threads, executable
              monitor snapshot save NAME            remember the memory as it is now
              monitor snapshot restore [NAME]       back to a saved memory state (no NAME: the crash image)
              monitor snapshot list                 saved states
              monitor snapshot delete NAME          forget one
              monitor restore-mode per-call|session|manual
                                                    when memory goes back to the crash image: after each
                                                    call from gdb (default), never, or only on snapshot restore
              monitor budget [MS]                   wall-time limit of one resume (calls); a runaway stops
                                                    with SIGINT
              monitor trace on|off                  record executed instructions
              monitor trace                         show the last recorded instructions
              monitor patches                       the load-time patches of glibc code
              monitor lock-bypass on|off            let calls take locks other threads held at crash time
              monitor allocate on|off               answer lldb's _M/_m memory allocation packets (off: lldb
                                                    has the process call mmap instead)
            """;

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("qRcmd,", (p, s) -> {
            String command = new String(Hex.decode(p.substring("qRcmd,".length())), StandardCharsets.UTF_8).strip();
            String output;
            try {
                output = run(command, s.target());
            } catch (IllegalArgumentException e) {
                output = "corestub: " + e.getMessage() + "\n";
            }
            if (!output.isEmpty()) {
                s.console(output.endsWith("\n") ? output : output + "\n");
            }
            return Reply.OK;
        });
    }

    static String run(String command, DebugTarget target) {
        List<String> words = List.of(command.split("\\s+"));
        String verb = words.get(0);
        String arg = words.size() > 1 ? words.get(1) : "";
        return switch (verb) {
            case "", "help" -> HELP;
            case "info" -> info(target);
            case "snapshot" -> snapshot(words, target);
            case "restore-mode" -> {
                if (arg.isEmpty()) {
                    yield "restore-mode " + target.restoreMode().label() + "\n";
                }
                target.setRestoreMode(RestoreMode.parse(arg));
                yield "restore-mode " + target.restoreMode().label() + "\n";
            }
            case "budget" -> {
                if (!arg.isEmpty()) {
                    long ms;
                    try {
                        ms = Long.parseLong(arg);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("budget takes milliseconds: " + arg);
                    }
                    if (ms <= 0) {
                        throw new IllegalArgumentException("budget must be positive");
                    }
                    target.setBudget(new CallBudget(target.budget().instructions(), Duration.ofMillis(ms)));
                }
                yield "budget " + target.budget().time().toMillis() + " ms\n";
            }
            case "trace" -> trace(arg, target);
            case "patches" -> target.emulator().patches().listing();
            case "lock-bypass" -> {
                boolean on = onOff(arg);
                target.emulator().setLockBypass(on);
                yield "lock-bypass " + (on ? "on" : "off") + "\n";
            }
            case "allocate" -> {
                if (!arg.isEmpty()) {
                    target.setAllocationAllowed(onOff(arg));
                }
                yield "allocate " + (target.allocationAllowed() ? "on" : "off") + "\n";
            }
            default -> throw new IllegalArgumentException("unknown monitor command '" + verb + "' (try: monitor help)");
        };
    }

    private static String info(DebugTarget target) {
        StringBuilder s = new StringBuilder();
        s.append("core: ").append(target.core().core().path()).append('\n');
        s.append(target.core().summary()).append('\n');
        for (int i = 0; i < target.threadCount(); i++) {
            s.append(String.format("  thread %d: LWP %d, pc 0x%x%n", i + 1, target.tid(i), target.registers(i).rip));
        }
        s.append("restore-mode ")
                .append(target.restoreMode().label())
                .append(", budget ")
                .append(target.budget().time().toMillis())
                .append(" ms, calls in progress ")
                .append(target.brackets().depth())
                .append('\n');
        return s.toString();
    }

    private static String snapshot(List<String> words, DebugTarget target) {
        String sub = words.size() > 1 ? words.get(1) : "list";
        String name = words.size() > 2 ? words.get(2) : "";
        switch (sub) {
            case "save" -> {
                requireName(name);
                target.emulator().saveSnapshot(name);
                return "snapshot '" + name + "' saved\n";
            }
            case "restore" -> {
                if (name.isEmpty()) {
                    target.restore();
                    return "memory restored to the crash image\n";
                }
                if (!target.emulator().snapshots().contains(name)) {
                    throw new IllegalArgumentException("no snapshot '" + name + "' (monitor snapshot list)");
                }
                target.emulator().restoreSnapshot(name);
                return "memory restored to snapshot '" + name + "'\n";
            }
            case "list" -> {
                List<String> names = target.emulator().snapshots();
                return names.isEmpty() ? "no snapshots\n" : String.join("\n", names) + "\n";
            }
            case "delete" -> {
                requireName(name);
                return target.emulator().deleteSnapshot(name)
                        ? "snapshot '" + name + "' deleted\n"
                        : "no snapshot '" + name + "'\n";
            }
            default -> throw new IllegalArgumentException("snapshot save NAME | restore [NAME] | list | delete NAME");
        }
    }

    private static void requireName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a snapshot needs a NAME");
        }
    }

    private static String trace(String arg, DebugTarget target) {
        if (arg.isEmpty()) {
            Optional<InstructionTrace> trace = target.emulator().trace();
            if (trace.isEmpty()) {
                return "trace is off (monitor trace on)\n";
            }
            List<String> lines = trace.get().lines();
            StringBuilder s = new StringBuilder();
            int from = Math.max(0, lines.size() - 200);
            if (from > 0) {
                s.append("(last 200 of ").append(lines.size()).append(" lines)\n");
            }
            lines.subList(from, lines.size()).forEach(l -> s.append(l).append('\n'));
            s.append(trace.get().executed()).append(" instructions executed\n");
            return s.toString();
        }
        boolean on = onOff(arg);
        target.setTracing(on);
        return "trace " + (on ? "on" : "off") + "\n";
    }

    private static boolean onOff(String arg) {
        return switch (arg) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("expected on or off, not '" + arg + "'");
        };
    }
}
