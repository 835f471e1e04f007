package io.coredumptools.integration.differential;

import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live answers the table tests compare with, per fixture: one live gdb session each, in this order (so the
 * second next_id() is the live process's second call, and counter is set only at the end).
 */
final class DemoAnswers {
    /** Both sides: addresses differ between a live run and the core of another run; gdb unwinds failed calls. */
    static final List<String> SETTINGS = List.of("set print address off", "set width 0", "set unwindonsignal on");

    /** demo.c (Fixture.DEMO_PIE), live at its abort. */
    static Map<String, String> demo() {
        LinkedHashMap<String, String> commands = new LinkedHashMap<>();
        commands.put("next_id()", "print next_id()");
        commands.put("next_id() again", "print next_id()");
        commands.put("strlen(greet)", "print (int)strlen(greet(\"bob\"))");
        commands.put("greet", "print greet(\"bob\")");
        commands.put("greet's bytes", "print *$@11");
        commands.put("malloc 1 MB", "print/x (long)malloc(1000000)");
        commands.put("its first words", "x/2xg $");
        commands.put("memset 400 MB", "print (long)memset(malloc(400000000), 1, 400000000)");
        commands.put("its last byte", "print ((char*)$)[399999999]");
        commands.put("malloc 1 TiB", "print (long)malloc(1099511627776)");
        commands.put("set counter", "set var counter = 100");
        commands.put("next_id() after set var", "print next_id()");
        return LiveAnswers.of(core(Fixture.DEMO_PIE), "table", SETTINGS, commands);
    }

    /** callmodel.c (Fixture.CALL_MODEL), live at its abort. */
    static Map<String, String> callModel() {
        LinkedHashMap<String, String> commands = new LinkedHashMap<>();
        commands.put("strcmp(make_str)", "print (int)strcmp(make_str(3), \"abd\")");
        commands.put("holder_len(make_holder)", "print holder_len(make_holder(5))");
        return LiveAnswers.of(core(Fixture.CALL_MODEL), "table", SETTINGS, commands);
    }

    /** quiet.c (Fixture.QUIET_STDOUT), live at its abort, on a terminal. */
    static Map<String, String> quiet() {
        LinkedHashMap<String, String> commands = new LinkedHashMap<>();
        commands.put("printf", "print (int)printf(\"x=%d\\n\", 5)");
        commands.put("puts", "print (int)puts(\"hello\")");
        return LiveAnswers.of(core(Fixture.QUIET_STDOUT), "table", SETTINGS, commands);
    }

    /** faults.c (Fixture.FAULTS), live at its abort, calls from thread 2: its worker, which never allocated. */
    static Map<String, String> faultsThreadTwo() {
        LinkedHashMap<String, String> commands = new LinkedHashMap<>();
        // Only the calling thread runs (as under corestub), else live gdb resumes the aborted thread too, which then
        // dies of its pending SIGABRT. Set once the program runs: gdb refuses it before.
        commands.put("scheduler-locking", "set scheduler-locking on");
        commands.put("thread 2", "thread 2");
        commands.put("malloc from thread 2", "print (int)((long)malloc(64) != 0)");
        commands.put("usable size", "print (long)malloc_usable_size((void*)malloc(100))");
        return LiveAnswers.of(core(Fixture.FAULTS), "thread 2", SETTINGS, commands);
    }

    static CoreFixture core(Fixture fixture) {
        return Fixtures.get(fixture);
    }
}
