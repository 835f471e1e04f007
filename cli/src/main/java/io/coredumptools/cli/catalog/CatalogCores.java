package io.coredumptools.cli.catalog;

import io.coredumptools.cli.UnusableInputException;
import io.coredumptools.cli.remote.LazyFileSource;
import io.coredumptools.cli.remote.OpenedSource;
import io.coredumptools.cli.remote.RemoteOptionsMixin;
import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.ProcessInfo;
import io.coredumptools.emulator.CallBudget;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.rsp.inferior.EmulatedTarget;
import io.coredumptools.rsp.inferior.LoadedCore;
import io.coredumptools.rsp.request.Feature;
import io.coredumptools.rsp.target.CatalogTarget;
import io.coredumptools.rsp.target.Target;
import io.coredumptools.storage.Location;
import io.coredumptools.storage.Storage;
import io.coredumptools.storage.StorageException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --catalog PREFIX}: the cores under a local directory or an {@code s3://BUCKET/PREFIX/}, as
 * extended-remote processes. Listing reads only each core's headers and notes (through the storage layer's lazy
 * file, a few chunks per core); attaching opens that core as {@code serve CORE} does, for that connection alone.
 */
public final class CatalogCores implements CatalogTarget, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CatalogCores.class);

    private final Location prefix;
    private final Storage storage;
    private final CoreOptions coreOptions;
    private final RemoteOptionsMixin remote;
    private final EmulatorOptions emulatorOptions;
    private final CallBudget budget;
    private final boolean allocationAllowed;
    private final int breakpointLimit;

    public CatalogCores(
            String prefix,
            CoreOptions coreOptions,
            RemoteOptionsMixin remote,
            EmulatorOptions emulatorOptions,
            CallBudget budget,
            boolean allocationAllowed,
            int breakpointLimit)
            throws UnusableInputException {
        try {
            this.prefix = Location.parse(prefix);
            this.storage = Storage.create(remote.toStorageConfig());
        } catch (StorageException e) {
            throw new UnusableInputException(e.getMessage());
        }
        this.coreOptions = coreOptions;
        this.remote = remote;
        this.emulatorOptions = emulatorOptions;
        this.budget = budget;
        this.allocationAllowed = allocationAllowed;
        this.breakpointLimit = breakpointLimit;
    }

    /** Where the catalog is, for messages. */
    public String describe() {
        return prefix.describe();
    }

    @Override
    public List<Process> list() {
        List<String> locations;
        try {
            locations = storage.list(prefix);
        } catch (StorageException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        List<Process> processes = new ArrayList<>();
        Set<Integer> pids = new HashSet<>();
        for (String location : locations) {
            try (CoreDump core = CoreDump.open(new LazyFileSource(storage.open(location)), CoreOptions.defaults())) {
                int pid = core.pid();
                if (!pids.add(pid)) {
                    log.warn("{}: pid {} is listed already (an earlier core): left out of the catalog", location, pid);
                    continue;
                }
                processes.add(new Process(pid, command(core), signal(core), location));
            } catch (CoreFormatException | StorageException e) {
                log.info("{}: not listed: {}", location, e.getMessage());
            }
        }
        return processes;
    }

    private static String command(CoreDump core) {
        return core.process()
                .map(ProcessInfo::commandLine)
                .filter(c -> !c.isBlank())
                .or(() -> core.process().map(ProcessInfo::fileName))
                .orElse("")
                .trim();
    }

    private static int signal(CoreDump core) {
        if (core.signal().isPresent()) {
            return core.signal().get().signo();
        }
        return core.threads().isEmpty() ? 0 : core.threads().get(0).signal();
    }

    @Override
    public Target open(Process process) {
        String location = process.location();
        int pid = process.pid();
        OpenedSource source;
        try {
            source = OpenedSource.open(location, coreOptions, remote);
        } catch (UnusableInputException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try {
            LoadedCore loaded = LoadedCore.open(source.path(), emulatorOptions.withCore(source.options()));
            log.info("attached {} (pid {}): {}", location, pid, loaded.summary());
            return new AttachedCore(
                    EmulatedTarget.factory(loaded, budget, allocationAllowed, breakpointLimit)
                            .create(),
                    loaded,
                    source);
        } catch (CoreFormatException | RuntimeException e) {
            source.close();
            throw new IllegalStateException(location + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Set<Feature> features() {
        return EmulatedTarget.FEATURES;
    }

    @Override
    public void close() {
        storage.close();
    }
}
