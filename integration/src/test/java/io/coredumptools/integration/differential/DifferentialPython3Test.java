package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbTranscript;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, acceptance: a program nobody here wrote. Debian's python3, stopped in os.abort(), kernel core. Through gdb
 * on corestub, C-API calls that chain objects from one call into the next (inside one expression, and across
 * commands through gdb convenience variables), arithmetic on two created ints, PyOS_double_to_string, and
 * PyRun_SimpleString, whose output must appear in gdb's console: each prints what gdb prints on the live python3
 * stopped at the same point.
 *
 * <p>Debian's python3 has no debug info here (no python3.11-dbg), so gdb knows no return types: every call is
 * cast, as a user would have to (uncast, gdb refuses with "'PyLong_FromLong' has unknown return type", on both
 * sides alike).
 */
class DifferentialPython3Test {
    private static final List<String> SETTINGS = List.of("set print address off", "set width 0");

    /** Default restore mode. */
    private static final GdbScript CALLS = new GdbScript(
            "calls",
            SETTINGS,
            List.of(
                    "print (char*)PyUnicode_AsUTF8((void*)PyObject_Repr((void*)PyLong_FromLong(123456789)))",
                    "print (long)PyLong_AsLong((void*)PyNumber_Add((void*)PyLong_FromLong(40),"
                            + " (void*)PyLong_FromLong(2)))",
                    "set $a = (void*)PyLong_FromLong(1000)",
                    "set $b = (void*)PyLong_FromLong(234)",
                    "print (long)PyLong_AsLong((void*)PyNumber_Multiply($a, $b))",
                    "print (char*)PyUnicode_AsUTF8((void*)PyObject_Repr($a))",
                    "print (char*)PyOS_double_to_string(2.5, (char)114, 0, 0, (int*)0)",
                    "print (char*)PyOS_double_to_string(1.0/3, (char)103, 12, 0, (int*)0)",
                    "print (int)PyRun_SimpleString(\"print(6*7)\")",
                    "print (int)PyRun_SimpleString(\"import sys; print(sys.version_info[0] * 1000 + 7)\")"));

    /**
     * Session mode after {@code import json}, which calls getcwd for sys.path's "" entry: the core does not tell the
     * working directory (python3 runs in an empty environment, no PWD, started by its absolute path), so corestub
     * answers ENOENT and the import system skips that entry, as on a live process whose directory was removed. The
     * import still fails through corestub (it needs the host's files: see {@link #KNOWN}); the calls after it must
     * still give the live answers.
     */
    private static final GdbScript AFTER_A_FAILED_CALL = new GdbScript(
            "session-after-import",
            // gdb unwinds a call that stops with a signal, so every later call starts at the stop point again.
            List.of("set print address off", "set width 0", "set unwindonsignal on"),
            List.of("monitor restore-mode session"),
            List.of(
                    "print (int)PyRun_SimpleString(\"import json; print(json.dumps([1, 2]))\")",
                    "print (char*)PyUnicode_AsUTF8((void*)PyObject_Repr((void*)PyLong_FromLong(987654321)))",
                    "print (long)PyLong_AsLong((void*)PyNumber_Add((void*)PyLong_FromLong(40),"
                            + " (void*)PyLong_FromLong(2)))",
                    "print (char*)PyOS_double_to_string(2.5, (char)114, 0, 0, (int*)0)",
                    "print (int)PyRun_SimpleString(\"print(6*7)\")"));

    /** What fails today, with the defect observed. */
    private static final KnownMismatches KNOWN = KnownMismatches.none()
            .on(
                    "kernel",
                    "session-after-import: print (int)PyRun_SimpleString(\"import json; print(json.dumps([1, 2]))\")",
                    "issue 8: getcwd now answers (ENOENT: the core does not tell the cwd), but the import system then"
                            + " stats its sys.path directory: 'corestub: newfstatat (262) ... \"/usr/lib/python3.11\""
                            + " ...: only fd 0, 1 and 2 can be examined during a call (no file system)' (SIGSYS); an"
                            + " import needs the host's files (stat, open, read, getdents), which calls do not reach;"
                            + " live prints [1, 2]");

    @Test
    void cApiCallsOnAPython3CoreGiveTheLiveAnswers(@TempDir Path directory) {
        Path core = Python3Core.abortedIn(directory);
        List<GdbScript> scripts = List.of(CALLS, AFTER_A_FAILED_CALL);
        DifferentialCheck check = new DifferentialCheck("python3", "kernel", KNOWN, List.of());
        try (CorestubServer server = CorestubServer.start(
                List.of("serve", "--listen", "127.0.0.1:0", core.toString(), "--exe", Python3Core.PYTHON.toString()))) {
            for (GdbScript script : scripts) {
                GdbTranscript live = LiveGroundTruth.run(
                        Python3Core.PYTHON, Python3Core.ARGUMENTS, Python3Core.stop(directory), script);
                GdbTranscript remote = ThroughCorestub.run(server, Python3Core.PYTHON, directory, script);
                check.compare(script, live, remote);
            }
        }
        check.verify();
    }
}
