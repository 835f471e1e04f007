package io.coredumptools.cli;

import io.coredumptools.cli.remote.OpenedSource;
import io.coredumptools.cli.remote.RemoteOptionsMixin;
import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.Hex;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.patches.Patch;
import io.coredumptools.patches.PatchPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code corestub info CORE}: what the core holds and which of the files it refers to were found. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Shows what a core holds: executable, command line, pid, signal, threads (pc with symbol, fs_base), "
                    + "mapped files and where they were found (or MISSING, or with a build-id mismatch), the "
                    + "dynamic linker's loaded objects, truncation and warnings."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:unexpected error", "2:unusable input or usage error"})
public final class InfoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(InfoCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "CORE",
            description = "The core: a local file, s3://BUCKET/KEY or http(s)://HOST/PATH (fetched lazily).")
    String core;

    @Mixin
    RemoteOptionsMixin remote;

    @Mixin
    CoreOptionsMixin coreOptions;

    @Option(names = "--json", order = 200, description = "Print one JSON document instead of text.")
    boolean json;

    @Option(
            names = "--patches",
            order = 210,
            description =
                    "Also load the core into the emulator and list the "
                            + "load-time patches (IFUNC baseline redirects, lazy bindings, lock entries, vDSO) and what was skipped.")
    boolean patches;

    @Override
    public Integer call() throws CoreFormatException, UnusableInputException {
        CoreOptions given = coreOptions.toCoreOptions();
        if (!OpenedSource.isRemote(core)) {
            CoreOptionsMixin.requireRegularFile("", Path.of(core));
        }
        try (OpenedSource source = OpenedSource.open(core, given, remote)) {
            return report(source);
        }
    }

    private int report(OpenedSource source) throws CoreFormatException {
        CoreOptions options = source.options();
        LOG.info("opening {} with {}", source.location(), options);
        InfoReport report;
        try (CoreDump dump = CoreDump.open(source.path(), options)) {
            report = InfoReport.of(dump);
            LOG.info(
                    "read {} bytes of the core's {} to make the report",
                    dump.coreBytesRead(),
                    report.truncation().fileSize());
        }
        PatchPlan plan = patches ? planPatches(source.path(), options) : null;
        PrintWriter out = spec.commandLine().getOut();
        if (source.usesStorage()) {
            spec.commandLine().getErr().println("corestub: " + source.progressLine());
        }
        if (json) {
            Map<String, Object> extra = new LinkedHashMap<>();
            if (plan != null) {
                extra.put(
                        "patches",
                        plan.patches().stream().map(InfoCommand::patchFields).toList());
                extra.put("patch_notes", plan.notes());
            }
            extra.putAll(source.jsonFields());
            InfoJson.write(report, extra, out);
        } else {
            InfoText.write(report, out);
            if (plan != null) {
                out.println();
                out.println("patches:   " + plan.listing());
            }
        }
        return Corestub.EXIT_OK;
    }

    /** Patches are decided by running IFUNC resolvers: only an emulator over the core can list them. */
    private PatchPlan planPatches(Path core, CoreOptions options) throws CoreFormatException {
        try (Emulator emulator = Emulator.open(core, EmulatorOptions.defaults().withCore(options))) {
            return emulator.patches();
        }
    }

    private static Map<String, Object> patchFields(Patch patch) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", patch.kind().name().toLowerCase(java.util.Locale.ROOT));
        fields.put("address", Hex.address(patch.address()));
        fields.put("location", patch.location());
        fields.put("from", patch.from());
        fields.put("to", patch.to());
        fields.put("reason", patch.reason());
        return fields;
    }
}
