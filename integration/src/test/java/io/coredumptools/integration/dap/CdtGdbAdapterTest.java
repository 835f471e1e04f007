package io.coredumptools.integration.dap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.integration.gdb.GdbOutput;
import io.coredumptools.integration.gdb.GdbTranscript;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, acceptance: an IDE's debug adapter drives gdb to {@code corestub serve}. The npm package
 * {@code cdt-gdb-adapter} (the DAP adapter over gdb/MI of Eclipse CDT and Theia; scripts/setup.sh installs it) runs
 * under node as {@code debugTargetAdapter.js}: initialize, attach with a remote target, configurationDone, then
 * threads, stackTrace, scopes/variables and evaluate of a call give what gdb gives (gdb on the core file for the
 * state, gdb on the live process for the call).
 */
class CdtGdbAdapterTest {
    /** Where scripts/setup.sh installs the adapter (CDT_GDB_ADAPTER_HOME overrides, as for the script). */
    static final Path ADAPTER = Path.of(System.getenv()
                    .getOrDefault(
                            "CDT_GDB_ADAPTER_HOME",
                            System.getProperty("user.home") + "/.cache/coredump-tools/cdt-gdb-adapter-1.7.0"))
            .resolve("node_modules/cdt-gdb-adapter/dist/debugTargetAdapter.js");

    /** Generous: gdb reads the libraries over the remote protocol on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void theAdapterAttachesThroughGdbAndShowsTheCoresThreadsFramesVariablesAndCallResults() {
        assertThat(Files.isRegularFile(ADAPTER))
                .as("cdt-gdb-adapter is not installed at " + ADAPTER + ": run scripts/setup.sh")
                .isTrue();
        CoreFixture demo = Fixtures.get(Fixture.DEMO_PIE);
        GdbTranscript onCore = GdbTranscript.onCore(demo, "info threads", "bt", "frame 4", "info locals");
        String liveCall = Gdb.withTimeout(TIMEOUT).onLiveProcessAtAbort(demo.program(), "print next_id()", "print *gp");

        try (CorestubServer server = CorestubServer.serve(demo);
                DapSession dap = DapSession.start(List.of("node", ADAPTER.toString()), demo.directory())) {
            String context = "\n=== gdb on the core file:\n" + onCore.text() + "\n=== live:\n" + liveCall + "\n";

            ObjectNode initialize = DapSession.object()
                    .put("clientID", "coredump-tools-test")
                    .put("adapterID", "gdbtarget")
                    .put("linesStartAt1", true)
                    .put("columnsStartAt1", true)
                    .put("pathFormat", "path");
            JsonNode capabilities = dap.request("initialize", initialize, TIMEOUT);
            assertThat(capabilities
                            .path("body")
                            .path("supportsConfigurationDoneRequest")
                            .asBoolean())
                    .as(dap.describe())
                    .isTrue();

            ObjectNode attach = DapSession.object()
                    .put("gdb", "gdb")
                    .put("program", demo.program().toString())
                    .put("cwd", demo.directory().toString());
            attach.putArray("gdbArguments").add("-nx").add("-iex").add("set debuginfod enabled off");
            attach.putArray("preConnectCommands").add("set remotetimeout 60");
            ObjectNode target = attach.putObject("target").put("type", "remote");
            target.putArray("parameters").add("127.0.0.1:" + server.port());
            dap.request("attach", attach, TIMEOUT);
            dap.awaitEvent("initialized", TIMEOUT);
            dap.request("configurationDone", null, TIMEOUT);
            // The adapter resumes an attached target after configurationDone (-exec-continue); corestub runs the
            // crashed thread on, which raises its SIGABRT again and stops where the core stopped.
            JsonNode stopped = dap.awaitEvent("stopped", TIMEOUT);
            assertThat(dap.console()).as(dap.describe()).contains("received signal SIGABRT");
            assertThat(stopped.path("body").path("threadId").asInt())
                    .as(dap.describe())
                    .isPositive();

            // threads: as many as gdb on the core file shows, the crashing one first.
            JsonNode threads =
                    dap.request("threads", null, TIMEOUT).path("body").path("threads");
            List<GdbOutput.ThreadRow> coreThreads = GdbOutput.threads(onCore.section(0));
            assertThat(threads.size()).as(context + dap.describe()).isEqualTo(coreThreads.size());
            int threadId = threads.get(0).path("id").asInt();

            // stackTrace: the frames gdb's bt shows on the core file, by function name.
            ObjectNode stackArguments = DapSession.object()
                    .put("threadId", threadId)
                    .put("startFrame", 0)
                    .put("levels", 20);
            JsonNode frames = dap.request("stackTrace", stackArguments, TIMEOUT)
                    .path("body")
                    .path("stackFrames");
            List<String> names = new ArrayList<>();
            frames.forEach(f -> names.add(f.path("name").asText()));
            List<String> coreFunctions = GdbOutput.functions(onCore.section(1));
            assertThat(names).as(context + dap.describe()).hasSameSizeAs(coreFunctions);
            for (int i = 0; i < names.size(); i++) {
                assertThat(names.get(i))
                        .as("frame " + i + context + dap.describe())
                        .startsWith(coreFunctions.get(i));
            }

            // scopes/variables of main's frame: the locals gdb prints there on the core file.
            int mainIndex = coreFunctions.indexOf("main");
            assertThat(mainIndex).as(context).isGreaterThanOrEqualTo(0);
            int mainFrameId = frames.get(mainIndex).path("id").asInt();
            JsonNode scopes = dap.request("scopes", DapSession.object().put("frameId", mainFrameId), TIMEOUT)
                    .path("body")
                    .path("scopes");
            assertThat(scopes.size()).as(dap.describe()).isGreaterThan(0);
            Map<String, String> variables = new TreeMap<>();
            for (JsonNode scope : scopes) {
                int reference = scope.path("variablesReference").asInt();
                if (reference == 0) {
                    continue;
                }
                dap.request("variables", DapSession.object().put("variablesReference", reference), TIMEOUT)
                        .path("body")
                        .path("variables")
                        .forEach(v -> variables.put(
                                v.path("name").asText(), v.path("value").asText()));
            }
            assertThat(variables)
                    .as("main's variables" + context + dap.describe())
                    .isNotEmpty();
            for (String local : onCore.section(3).strip().lines().toList()) {
                String[] nameAndValue = local.split(" = ", 2);
                if (nameAndValue.length == 2 && !nameAndValue[1].startsWith("{")) {
                    assertThat(variables)
                            .as(local + context + dap.describe())
                            .containsEntry(nameAndValue[0], nameAndValue[1]);
                }
            }

            // evaluate: a call runs, and gives the live process's answer.
            ObjectNode evaluate = DapSession.object()
                    .put("expression", "next_id()")
                    .put("frameId", frames.get(0).path("id").asInt())
                    .put("context", "watch");
            JsonNode result = dap.request("evaluate", evaluate, TIMEOUT).path("body");
            assertThat(liveCall).contains("$1 = 43");
            assertThat(result.path("result").asText())
                    .as(context + dap.describe())
                    .isEqualTo("43");
            assertThat(server.isAlive()).as(server.describe()).isTrue();
        }
    }
}
