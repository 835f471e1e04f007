package io.coredumptools.integration.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbTranscript;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, acceptance "data files": python3 started in a UTF-8 locale maps the locale's data files (not ELF), and
 * Python code run by a call reads them. They must come from their files, so PyRun_SimpleString prints what it prints
 * on the live python3 stopped at the same point (it once faulted reading /usr/lib/locale/C.utf8/LC_CTYPE).
 */
class DifferentialPython3LocaleTest {
    private static final String UTF8_LOCALE = "LANG=C.UTF-8";
    private static final Path LOCALE_DATA = Path.of("/usr/lib/locale/C.utf8/LC_CTYPE");

    private static final GdbScript CALLS = new GdbScript(
            "utf8-locale",
            List.of("set print address off", "set width 0"),
            List.of(
                    "print (int)PyRun_SimpleString(\"print(6*7)\")",
                    // Builtin modules only: an import from the library directory needs the host's file system.
                    "print (int)PyRun_SimpleString(\"import _locale; print(_locale.setlocale(_locale.LC_CTYPE))\")",
                    "print (int)PyRun_SimpleString(\"print(('stra' + chr(223) + 'e').upper(), chr(233).isalpha())\")"));

    @Test
    void callsReadTheLocaleDataFilesTheCoreMapped(@TempDir Path directory) throws Exception {
        Path core = Python3Core.abortedIn(directory, UTF8_LOCALE);
        try (CoreDump dump = CoreDump.open(core, CoreOptions.defaults())) {
            assertThat(dump.fileMappings())
                    .as("python3 in %s maps its locale data", UTF8_LOCALE)
                    .extracting(FileMapping::path)
                    .contains(LOCALE_DATA.toString());
        }
        DifferentialCheck check =
                new DifferentialCheck("python3 utf-8 locale", "kernel", KnownMismatches.none(), List.of());
        try (CorestubServer server = CorestubServer.start(
                List.of("serve", "--listen", "127.0.0.1:0", core.toString(), "--exe", Python3Core.PYTHON.toString()))) {
            GdbTranscript live = LiveGroundTruth.run(
                    Python3Core.PYTHON, Python3Core.ARGUMENTS, Python3Core.stop(directory, UTF8_LOCALE), CALLS);
            GdbTranscript remote = ThroughCorestub.run(server, Python3Core.PYTHON, directory, CALLS);
            check.compare(CALLS, live, remote);
        }
        check.verify();
    }
}
