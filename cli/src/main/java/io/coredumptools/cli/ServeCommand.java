package io.coredumptools.cli;

import ch.qos.logback.classic.Level;
import io.coredumptools.cli.catalog.CatalogCores;
import io.coredumptools.cli.monitor.MonitorCli;
import io.coredumptools.cli.remote.OpenedSource;
import io.coredumptools.cli.remote.RemoteOptionsMixin;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.memory.MemoryLimits;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.server.RspServer;
import io.coredumptools.rsp.target.TargetFactory;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code corestub serve CORE}: the GDB remote protocol server. gdb attaches with {@code target remote :1234}
 * and sees the core as a stopped process whose functions it can call.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Serves a core over the GDB remote protocol: gdb (target remote HOST:PORT) and IDEs see it as a "
                    + "stopped process; calls (print f(x)) run in the emulator, each connection in its own copy "
                    + "of the crash image.",
            "Prints 'corestub: listening on HOST:PORT' and a summary of the core, then serves until Ctrl-C."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped (Ctrl-C, or --once and the client left)",
            "1:unexpected error",
            "2:unusable input, usage error, or the address cannot be bound"
        })
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CORE",
            description = "The core: a local file, s3://BUCKET/KEY or http(s)://HOST/PATH (fetched lazily).")
    String core;

    @Mixin
    RemoteOptionsMixin remote;

    @Option(
            names = "--catalog",
            paramLabel = "PREFIX",
            order = 0,
            description = "Instead of one CORE: serve every core under a directory or s3://BUCKET/PREFIX/ for gdb's "
                    + "target extended-remote ('info os processes' lists them, 'attach PID' opens one, 'detach' "
                    + "closes it).")
    String catalog;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            order = 1,
            converter = ListenAddressConverter.class,
            description = "Where to listen (default 127.0.0.1:1234; port 0 picks a free one; loopback unless "
                    + "told otherwise).")
    ListenAddress listen = new ListenAddress("127.0.0.1", 1234);

    @Option(names = "--once", order = 2, description = "Exit when the first client disconnects.")
    boolean once;

    @Option(
            names = "--budget",
            paramLabel = "MS",
            order = 3,
            description = "Wall-time limit of one resume in milliseconds (default ${DEFAULT-VALUE}); a runaway call "
                    + "stops with SIGINT. 'monitor budget MS' changes it per connection.")
    long budgetMillis = 30_000;

    @Option(names = "--debug-protocol", order = 4, description = "Log every packet to stderr.")
    boolean debugProtocol;

    @Option(
            names = "--no-allocate-packets",
            order = 5,
            description = "Refuse lldb's _M/_m memory allocation packets: lldb then has the process call mmap "
                    + "(emulated) for the memory of its expressions. 'monitor allocate on|off' changes it per "
                    + "connection.")
    boolean noAllocatePackets;

    @Option(
            names = "--no-target-xml",
            order = 6,
            hidden = true,
            description = "Do not serve qXfer:features (tests lldb's qRegisterInfo path).")
    boolean noTargetXml;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            order = 7,
            description = "How many clients may be connected at once (default ${DEFAULT-VALUE}); one more is "
                    + "refused with a message saying so.")
    int maxConnections = RspServer.Options.DEFAULT_MAX_CONNECTIONS;

    @Option(
            names = "--idle-timeout",
            paramLabel = "SECONDS",
            order = 8,
            description = "Close a connection that sent nothing for this long while nothing ran for it (default "
                    + "${DEFAULT-VALUE}).")
    long idleTimeoutSeconds = RspServer.Options.DEFAULT_IDLE_TIMEOUT.toSeconds();

    @Option(
            names = "--max-breakpoints",
            paramLabel = "N",
            order = 9,
            description = "How many breakpoints and watchpoints one connection may set together (default "
                    + "${DEFAULT-VALUE}); more are refused.")
    int maxBreakpoints = DEFAULT_MAX_BREAKPOINTS;

    @Option(
            names = "--max-call-memory",
            paramLabel = "SIZE",
            order = 10,
            converter = ByteSizeConverter.class,
            description = "Per connection: memory the calls' mmap, brk and mremap may map at once (default 8G); a "
                    + "larger request fails in the call with ENOMEM, as on Linux (malloc returns NULL).")
    long maxCallMemory = MemoryLimits.defaults().callMemoryBytes();

    @Option(
            names = "--max-debugger-allocations",
            paramLabel = "SIZE",
            order = 11,
            converter = ByteSizeConverter.class,
            description = "Per connection: memory the debugger may allocate for itself (lldb's _M) (default 1G).")
    long maxDebuggerAllocations = MemoryLimits.defaults().debuggerAllocationBytes();

    @Option(
            names = "--max-snapshots",
            paramLabel = "N",
            order = 12,
            description = "Per connection: named snapshots ('monitor snapshot save') held at once (default "
                    + "${DEFAULT-VALUE}).")
    int maxSnapshots = MemoryLimits.defaults().snapshots();

    @Option(
            names = "--max-snapshot-memory",
            paramLabel = "SIZE",
            order = 13,
            converter = ByteSizeConverter.class,
            description = "Per connection: page copies all named snapshots may hold together (default 1G).")
    long maxSnapshotMemory = MemoryLimits.defaults().snapshotBytes();

    /** Enough for any debugging session; each watchpoint is checked on every memory access. */
    static final int DEFAULT_MAX_BREAKPOINTS = 4096;

    @Mixin
    CoreOptionsMixin coreOptions;

    /** {@code HOST:PORT}. */
    public record ListenAddress(String host, int port) {}

    public static final class ListenAddressConverter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            String host = colon < 0 ? "127.0.0.1" : value.substring(0, colon);
            String port = colon < 0 ? value : value.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
            try {
                int p = Integer.parseInt(port);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return new ListenAddress(host, p);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not HOST:PORT (port 0-65535)");
            }
        }
    }

    @Override
    public Integer call() throws CoreFormatException, UnusableInputException, InterruptedException {
        CoreOptions given = coreOptions.toCoreOptions();
        if ((core == null) == (catalog == null)) {
            throw new UnusableInputException("give either CORE or --catalog PREFIX");
        }
        if (core != null && !OpenedSource.isRemote(core)) {
            CoreOptionsMixin.requireRegularFile("", Path.of(core));
        }
        if (budgetMillis <= 0) {
            throw new UnusableInputException("--budget must be positive");
        }
        if (maxConnections < 1) {
            throw new UnusableInputException("--max-connections must be at least 1");
        }
        if (idleTimeoutSeconds <= 0) {
            throw new UnusableInputException("--idle-timeout must be positive");
        }
        if (maxBreakpoints < 1) {
            throw new UnusableInputException("--max-breakpoints must be at least 1");
        }
        if (maxSnapshots < 0) {
            throw new UnusableInputException("--max-snapshots cannot be negative");
        }
        MemoryLimits limits = new MemoryLimits(
                maxCallMemory,
                maxDebuggerAllocations,
                // The server's memory writes are undone by the next restore (copies of the core's own pages), so
                // the base-write limit, for Java API writes that stay, keeps its default.
                MemoryLimits.defaults().baseWriteBytes(),
                maxSnapshots,
                maxSnapshotMemory);
        if (debugProtocol
                && LoggerFactory.getLogger("io.coredumptools.rsp.protocol")
                        instanceof ch.qos.logback.classic.Logger protocol) {
            protocol.setLevel(Level.DEBUG);
        }
        CallBudget budget = new CallBudget(0, Duration.ofMillis(budgetMillis));
        RspServer.Options serverOptions = RspServer.Options.DEFAULTS
                .withTargetXml(!noTargetXml)
                .withMonitor(new MonitorCli())
                .withMaxConnections(maxConnections)
                .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds));
        if (catalog != null) {
            return serveCatalog(given, budget, limits, serverOptions);
        }
        OpenedSource source = OpenedSource.open(core, given, remote);
        CoreOptions options = source.options();
        EmulatorOptions emulatorOptions =
                EmulatorOptions.defaults().withCore(options).withBudget(budget).withLimits(limits);
        // The core is parsed on a thread of its own while this one starts the server (Netty's classes, the bind):
        // on a cold JVM each is about a tenth of a second (issue 13). Nothing is served, and "listening" is not
        // printed, before the core is loaded; a core that cannot be loaded closes the server and fails as before.
        CompletableFuture<LoadedCore> opening = new CompletableFuture<>();
        Thread opener = new Thread(
                () -> {
                    try {
                        opening.complete(LoadedCore.open(source.path(), emulatorOptions));
                    } catch (CoreFormatException | RuntimeException | Error e) {
                        opening.completeExceptionally(e);
                    }
                },
                "corestub-core-open");
        opener.setDaemon(true);
        opener.start();
        TargetFactory targets = EmulatedTarget.lazyFactory(opening::join, budget, !noAllocatePackets, maxBreakpoints);
        RspServer server = new RspServer(targets, once, serverOptions);
        Runnable closeServed = () -> {
            opening.handle((loaded, failed) -> {
                        if (loaded != null) {
                            loaded.close();
                        }
                        return null;
                    })
                    .join();
            source.close();
        };
        return listenAndServe(
                server,
                closeServed,
                () -> {
                    try {
                        opening.join();
                    } catch (CompletionException e) {
                        if (e.getCause() instanceof CoreFormatException format) {
                            throw format;
                        }
                        if (e.getCause() instanceof RuntimeException runtime) {
                            throw runtime;
                        }
                        if (e.getCause() instanceof Error error) {
                            throw error;
                        }
                        throw e;
                    }
                },
                out -> {
                    LoadedCore loaded = opening.join();
                    out.println("corestub: " + loaded.summary());
                    if (source.usesStorage()) {
                        out.println("corestub: " + source.progressLine());
                    }
                    // The patches are still being planned: LoadedCore logs their count when they are.
                    LOG.info("core {} loaded", source.location());
                });
    }

    /** {@code --catalog}: one extended-remote server in front of every core under the prefix. */
    private Integer serveCatalog(
            CoreOptions given, CallBudget budget, MemoryLimits limits, RspServer.Options serverOptions)
            throws UnusableInputException, InterruptedException, CoreFormatException {
        EmulatorOptions emulatorOptions =
                EmulatorOptions.defaults().withBudget(budget).withLimits(limits);
        CatalogCores cores =
                new CatalogCores(catalog, given, remote, emulatorOptions, budget, !noAllocatePackets, maxBreakpoints);
        RspServer server = new RspServer(cores, once, serverOptions);
        return listenAndServe(
                server,
                cores::close,
                () -> {},
                out -> out.println(
                        "corestub: catalog " + cores.describe() + " (gdb: target extended-remote, info os processes)"));
    }

    /** What must be ready before the server says it listens: the core loaded (its failure ends the command). */
    @FunctionalInterface
    private interface Readiness {
        void await() throws CoreFormatException;
    }

    /**
     * Starts {@code server} on --listen, waits for {@code ready}, prints where it listens and then {@code describe}'s
     * lines, and serves until it stops. What it serves closes with {@code closeServed}: when the start fails, at JVM
     * shutdown (with the server), and after the server stops.
     */
    private Integer listenAndServe(
            RspServer server, Runnable closeServed, Readiness ready, Consumer<PrintWriter> describe)
            throws UnusableInputException, InterruptedException, CoreFormatException {
        InetSocketAddress bound;
        try {
            bound = server.start(listen.host(), listen.port());
        } catch (Exception e) {
            server.close();
            closeServed.run();
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new UnusableInputException(
                    "cannot listen on " + listen.host() + ":" + listen.port() + ": " + e.getMessage());
        }
        try {
            ready.await();
        } catch (CoreFormatException | RuntimeException | Error e) {
            server.close();
            closeServed.run();
            throw e;
        }
        Thread hook = new Thread(
                () -> {
                    server.close();
                    closeServed.run();
                },
                "corestub-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String host = bound.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("corestub: listening on " + host + ":" + bound.getPort());
        describe.accept(out);
        out.flush();
        server.awaitStop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return Corestub.EXIT_OK;
        }
        closeServed.run();
        return Corestub.EXIT_OK;
    }
}
