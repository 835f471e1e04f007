package io.coredumptools.integration.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * What one gdb session does at the stop point: {@code settings} run first on both sides and are not compared (print
 * settings such as {@code set print address off}); through corestub only, {@code remotePrelude} then runs after
 * {@code target remote} (e.g. {@code monitor restore-mode session}); then {@code commands}, each of whose output is
 * compared between live gdb and gdb through corestub.
 */
record GdbScript(String name, List<String> settings, List<String> remotePrelude, List<String> commands) {

    GdbScript {
        settings = List.copyOf(settings);
        remotePrelude = List.copyOf(remotePrelude);
        commands = List.copyOf(commands);
    }

    GdbScript(String name, List<String> settings, List<String> commands) {
        this(name, settings, List.of(), commands);
    }

    /**
     * A key per command: its text, with " [2]", " [3]"... on repeats, so each occurrence of a command that a script
     * runs several times ({@code backtrace}, {@code print add(4,5)}) can be listed on its own.
     */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            long earlier =
                    commands.subList(0, i).stream().filter(command::equals).count();
            keys.add(earlier == 0 ? command : command + " [" + (earlier + 1) + "]");
        }
        return keys;
    }
}
