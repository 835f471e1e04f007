package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import io.coredumptools.testkit.fuzz.CoreMutator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corrupted-core mutator (issue 11): a real core with its headers, notes, NT_FILE, auxiliary vector or length
 * corrupted ({@link CoreMutator}, seeded: a failure names the seed that reproduces it), given to {@code info},
 * {@code call} and {@code serve} (a client asks qSupported and g). Each command exits 0 or 2, never 1 ("unexpected
 * error"), within a bound far above any normal run (never hangs), and leaves the core as it was (never writes its
 * input). The one exit 1 that is an answer is call's documented {@link CallCommand#EXIT_FAULT}: corrupted
 * permissions or sizes can make the called code fault (SIGSEGV), and call reports it as on any core.
 *
 * <p>{@value #DEFAULT_MUTATIONS} mutations in the test command; the long run is
 * {@code mvn -B verify -pl cli -am -Dtest=CorruptCoresTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcorrupt.cores=10000 [-Dcorrupt.seed=N]} (docs/reliability.md).
 */
class CorruptCoresTest {
    static final int DEFAULT_MUTATIONS = 200;
    /** A hang, not a slow machine: a normal run of any of these commands takes well under a second. */
    private static final long BOUND_SECONDS = 120;

    private static final ExecutorService COMMANDS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "corrupt-core-command");
        t.setDaemon(true);
        return t;
    });

    @TempDir
    Path dir;

    private static ch.qos.logback.classic.Level logLevel;

    /** Thousands of runs: their INFO lines (the test logging configuration's level) would fill the build log. */
    @BeforeAll
    static void quietLogs() {
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logLevel = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @AfterAll
    static void close() {
        COMMANDS.shutdownNow();
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(logLevel);
    }

    /** Seeds whose mutants found bugs in long runs, replayed in every run. */
    private static final long[] FOUND = {
        1132, // a PT_LOAD at a negative file offset: "Negative position" from FileChannel.read, exit 1
        1057, // a p_memsz of 2^63: the argv/envp search read gigabytes page by page, serve never answered
        5339, // mappings that cover the emulator's window for its call stack: IllegalStateException, exit 1
        5530, // an NT_FILE mapping from address 0: closing the engine unmapped it page by page, for minutes
    };

    @Test
    void theMutantsThatFoundBugsExitZeroOrTwo() throws Exception {
        for (long seed : FOUND) {
            assertMutantsExitZeroOrTwo(seed, 1);
        }
    }

    @Test
    void everyCommandExitsZeroOrTwoOnEveryCorruptCore() throws Exception {
        assertMutantsExitZeroOrTwo(
                Long.getLong("corrupt.seed", 1), Integer.getInteger("corrupt.cores", DEFAULT_MUTATIONS));
    }

    private void assertMutantsExitZeroOrTwo(long firstSeed, int mutations) throws Exception {
        CoreMutator mutator = CoreMutator.of(Fixtures.get(Fixture.DEMO_PIE).core());
        Path core = dir.resolve("core");
        List<String> failures = new ArrayList<>();
        int[] exits = new int[3]; // by exit code: 0, 1 (a call's fault), 2
        for (long seed = firstSeed; seed < firstSeed + mutations; seed++) {
            String mutation = mutator.writeMutant(core, CoreMutator.seeded(seed));
            Fingerprint before = Fingerprint.of(core);
            for (String command : List.of("info", "call", "serve")) {
                String outcome = run(command, core);
                boolean callFault = command.equals("call")
                        && outcome.startsWith(CallCommand.EXIT_FAULT + " ")
                        && !outcome.contains("unexpected error");
                if (outcome.startsWith("0") || outcome.startsWith("2") || callFault) {
                    exits[outcome.charAt(0) - '0']++;
                } else {
                    failures.add("seed " + seed + " (" + mutation + "): " + command + " " + outcome);
                    System.out.println("corrupt cores: FAILED " + failures.get(failures.size() - 1));
                }
            }
            if (!Fingerprint.of(core).equals(before)) {
                failures.add("seed " + seed + " (" + mutation + "): the core was written");
            }
            if (failures.size() >= 10) {
                break;
            }
            long done = seed - firstSeed + 1;
            if (done % 500 == 0) {
                // Progress of a long run (and its figures so far, should it be stopped).
                System.out.printf(
                        "corrupt cores: %d of %d mutations, exits 0/1(call fault)/2: %d/%d/%d, %d failures%n",
                        done, mutations, exits[0], exits[1], exits[2], failures.size());
            }
        }
        System.out.printf(
                "corrupt cores: %d mutations from seed %d, %d runs exited 0, %d exited 2, %d calls faulted%n",
                mutations, firstSeed, exits[0], exits[2], exits[1]);
        assertThat(failures).isEmpty();
        if (mutations >= DEFAULT_MUTATIONS) {
            // Both outcomes occur: the mutations reach the checks, and not every mutant is refused at the door.
            assertThat(exits[0]).isPositive();
            assertThat(exits[2]).isPositive();
        }
    }

    /** "EXIT stderr", or "hang ..." when the command ran past the bound. */
    private String run(String command, Path core) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        if (!command.equals("serve")) {
            List<String> args = new ArrayList<>(List.of(command, core.toString()));
            if (command.equals("call")) {
                args.add("next_id()");
            }
            Future<Integer> exit = COMMANDS.submit(() ->
                    Corestub.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true)));
            return outcome(exit, err);
        }
        // Port 0 and the port serve reports: a port chosen beforehand can be taken by another test JVM's server
        // meanwhile, and a client there sees that --once server end when its own client leaves.
        Future<Integer> exit = COMMANDS.submit(() -> Corestub.run(
                new String[] {"serve", "--listen", "127.0.0.1:0", "--once", core.toString()},
                new PrintWriter(out, true),
                new PrintWriter(err, true)));
        Future<String> client = COMMANDS.submit(() -> askQSupportedAndG(out, exit));
        try {
            String replies = client.get(BOUND_SECONDS, TimeUnit.SECONDS);
            if (replies.startsWith("no answer")) {
                return "9 " + replies;
            }
        } catch (TimeoutException e) {
            client.cancel(true);
            return "hang: no reply to qSupported/g within " + BOUND_SECONDS + " s";
        }
        return outcome(exit, err);
    }

    private static String outcome(Future<Integer> exit, StringWriter err) throws Exception {
        try {
            return exit.get(BOUND_SECONDS, TimeUnit.SECONDS) + " "
                    + err.toString().strip();
        } catch (TimeoutException e) {
            exit.cancel(true);
            return "hang: no exit within " + BOUND_SECONDS + " s";
        }
    }

    /**
     * Connects while the server runs (it may refuse the core and exit instead), asks qSupported and g, and
     * disconnects, which ends a {@code --once} server. "" when the server exited without listening.
     */
    private static String askQSupportedAndG(StringWriter serverOut, Future<Integer> server) throws Exception {
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
        while (!server.isDone()) {
            java.util.regex.Matcher bound = listening.matcher(serverOut.toString());
            if (!bound.find()) {
                Thread.sleep(5);
                continue;
            }
            int port = Integer.parseInt(bound.group(1));
            try (LoopbackRspClient client =
                    LoopbackRspClient.connect(port, java.time.Duration.ofSeconds(BOUND_SECONDS))) {
                String supported = client.exchange("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
                String registers = client.exchange("g");
                if (supported.isEmpty() || registers.isEmpty()) {
                    return "no answer: qSupported -> '" + supported + "', g -> '" + registers + "'";
                }
                // A write below the stack pointer: reads come from the crash image, a write builds the session's
                // engine (the first connection's is the one that planned the patches), so the mutant reaches it.
                String write = "";
                if (registers.length() >= 128 && registers.substring(112, 128).matches("[0-9a-f]{16}")) {
                    long rsp = Long.reverseBytes(Long.parseUnsignedLong(registers.substring(112, 128), 16));
                    write = client.exchange("M" + Long.toHexString(rsp - 64) + ",1:00");
                    if (write.isEmpty()) {
                        return "no answer: M below rsp after g -> '" + registers + "'";
                    }
                }
                return supported + " / " + registers + " / " + write;
            } catch (java.net.ConnectException notYet) {
                Thread.sleep(20);
            }
        }
        return "";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** What a write to the file would change: its length, modification time and contents. */
    private record Fingerprint(long size, FileTime modified, long crc) {
        static Fingerprint of(Path file) {
            try {
                CRC32 crc = new CRC32();
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        crc.update(buffer, 0, n);
                    }
                }
                return new Fingerprint(Files.size(file), Files.getLastModifiedTime(file), crc.getValue());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
