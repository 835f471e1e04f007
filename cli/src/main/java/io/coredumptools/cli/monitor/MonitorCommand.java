package io.coredumptools.cli.monitor;

import io.coredumptools.emulator.call.InstructionTrace;
import io.coredumptools.emulator.scope.RestoreMode;
import io.coredumptools.rsp.target.MonitorTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code monitor} command tree: its subcommands act on one session's {@link MonitorTarget}. */
@Command(
        name = "monitor",
        synopsisHeading = "",
        customSynopsis = "corestub monitor commands (monitor COMMAND [ARGS]):",
        commandListHeading = "",
        subcommands = {
            MonitorCommand.Help.class,
            MonitorCommand.Info.class,
            MonitorCommand.Snapshot.class,
            MonitorCommand.RestoreModeCommand.class,
            MonitorCommand.Budget.class,
            MonitorCommand.Trace.class,
            MonitorCommand.Patches.class,
            MonitorCommand.LockBypass.class,
            MonitorCommand.Allocate.class
        })
final class MonitorCommand implements Callable<Integer> {
    /** How many trace lines {@code monitor trace} shows. */
    static final int TRACE_LINES_SHOWN = 200;

    final MonitorTarget target;

    @Spec
    CommandSpec spec;

    MonitorCommand(MonitorTarget target) {
        this.target = target;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    enum OnOff {
        on,
        off;

        boolean value() {
            return this == on;
        }

        static String of(boolean value) {
            return value ? "on" : "off";
        }
    }

    /** Base of the subcommands: the target and the output. */
    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        MonitorCommand parent;

        @Spec
        CommandSpec spec;

        MonitorTarget target() {
            return parent.target;
        }

        void say(String text) {
            spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
        }
    }

    @Command(name = "help", description = "this list; help COMMAND: that command's arguments")
    static final class Help extends Sub {
        @Parameters(paramLabel = "COMMAND", arity = "0..1")
        String command;

        @Override
        public Integer call() {
            CommandLine of = command == null
                    ? parent.spec.commandLine()
                    : parent.spec.commandLine().getSubcommands().get(command);
            if (of == null) {
                throw new IllegalArgumentException("no monitor command '" + command + "' (try: monitor help)");
            }
            of.usage(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "info", description = "the core: pid, signal, threads, executable")
    static final class Info extends Sub {
        @Override
        public Integer call() {
            say(target().info());
            return 0;
        }
    }

    @Command(
            name = "snapshot",
            description = "save NAME | restore [NAME] | list | delete NAME: saved memory states (restore without "
                    + "NAME: the crash image)",
            subcommands = {
                Snapshot.Save.class,
                Snapshot.Restore.class,
                Snapshot.ListSnapshots.class,
                Snapshot.Delete.class
            })
    static final class Snapshot extends Sub {
        @Override
        public Integer call() {
            return list(target(), this);
        }

        static int list(MonitorTarget target, Sub out) {
            List<String> names = target.snapshots();
            out.say(names.isEmpty() ? "no snapshots" : String.join("\n", names));
            return 0;
        }

        abstract static class SnapshotSub implements Callable<Integer> {
            @CommandLine.ParentCommand
            Snapshot snapshot;

            MonitorTarget target() {
                return snapshot.target();
            }
        }

        @Command(name = "save", description = "remember the memory as it is now")
        static final class Save extends SnapshotSub {
            @Parameters(paramLabel = "NAME")
            String name;

            @Override
            public Integer call() {
                target().saveSnapshot(name);
                snapshot.say("snapshot '" + name + "' saved");
                return 0;
            }
        }

        @Command(name = "restore", description = "back to a saved memory state (no NAME: the crash image)")
        static final class Restore extends SnapshotSub {
            @Parameters(paramLabel = "NAME", arity = "0..1")
            String name;

            @Override
            public Integer call() {
                target().restoreSnapshot(Optional.ofNullable(name));
                snapshot.say(
                        name == null
                                ? "memory restored to the crash image"
                                : "memory restored to snapshot '" + name + "'");
                return 0;
            }
        }

        @Command(name = "list", description = "saved states")
        static final class ListSnapshots extends SnapshotSub {
            @Override
            public Integer call() {
                return list(target(), snapshot);
            }
        }

        @Command(name = "delete", description = "forget one")
        static final class Delete extends SnapshotSub {
            @Parameters(paramLabel = "NAME")
            String name;

            @Override
            public Integer call() {
                snapshot.say(
                        target().deleteSnapshot(name)
                                ? "snapshot '" + name + "' deleted"
                                : "no snapshot '" + name + "'");
                return 0;
            }
        }
    }

    @Command(
            name = "restore-mode",
            description =
                    "what a call starts from: auto (the default) continues the calls before it when it runs inside"
                            + " another or an input points into memory they wrote or allocated, else starts from the base;"
                            + " per-call always starts from the base; session never goes back; manual only on snapshot"
                            + " restore. With no argument: the mode, and how many calls continued and started from the base")
    static final class RestoreModeCommand extends Sub {
        @Parameters(paramLabel = "auto|per-call|session|manual", arity = "0..1")
        String mode;

        @Override
        public Integer call() {
            if (mode != null) {
                target().setRestoreMode(RestoreMode.parse(mode));
                say("restore-mode " + target().restoreMode().label());
                return 0;
            }
            say("restore-mode " + target().restoreMode().label() + " (calls: " + target().callScopeCounts() + ")");
            return 0;
        }
    }

    @Command(name = "budget", description = "wall-time limit of one resume (calls); a runaway stops with SIGINT")
    static final class Budget extends Sub {
        @Parameters(paramLabel = "MS", arity = "0..1")
        Long millis;

        @Override
        public Integer call() {
            if (millis != null) {
                if (millis <= 0) {
                    throw new IllegalArgumentException("budget must be positive");
                }
                target().setBudget(Duration.ofMillis(millis));
            }
            say("budget " + target().budget().toMillis() + " ms");
            return 0;
        }
    }

    @Command(name = "trace", description = "on|off: record executed instructions; without an argument: show them")
    static final class Trace extends Sub {
        @Parameters(paramLabel = "on|off", arity = "0..1")
        OnOff on;

        @Override
        public Integer call() {
            if (on != null) {
                target().setTracing(on.value());
                say("trace " + on);
                return 0;
            }
            Optional<InstructionTrace> trace = target().trace();
            if (trace.isEmpty()) {
                say("trace is off (monitor trace on)");
                return 0;
            }
            List<String> lines = trace.get().lines();
            StringBuilder s = new StringBuilder();
            int from = Math.max(0, lines.size() - TRACE_LINES_SHOWN);
            if (from > 0) {
                s.append("(last ")
                        .append(TRACE_LINES_SHOWN)
                        .append(" of ")
                        .append(lines.size())
                        .append(" lines)\n");
            }
            lines.subList(from, lines.size()).forEach(l -> s.append(l).append('\n'));
            s.append(trace.get().executed()).append(" instructions executed");
            say(s.toString());
            return 0;
        }
    }

    @Command(name = "patches", description = "the load-time patches of glibc code")
    static final class Patches extends Sub {
        @Override
        public Integer call() {
            say(target().patches());
            return 0;
        }
    }

    @Command(name = "lock-bypass", description = "on|off: let calls take locks other threads held at crash time")
    static final class LockBypass extends Sub {
        @Parameters(paramLabel = "on|off")
        OnOff on;

        @Override
        public Integer call() {
            target().setLockBypass(on.value());
            say("lock-bypass " + on);
            return 0;
        }
    }

    @Command(
            name = "allocate",
            description = "on|off: answer lldb's _M/_m memory allocation packets (off: lldb has the process call mmap)")
    static final class Allocate extends Sub {
        @Parameters(paramLabel = "on|off", arity = "0..1")
        OnOff on;

        @Override
        public Integer call() {
            if (on != null) {
                target().setAllocationAllowed(on.value());
            }
            say("allocate " + OnOff.of(target().allocationAllowed()));
            return 0;
        }
    }
}
