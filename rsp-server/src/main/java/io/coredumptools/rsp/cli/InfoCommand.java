package io.coredumptools.rsp.cli;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
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
@Command(name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Shows what a core holds: executable, command line, pid, signal, threads (pc with symbol, fs_base), "
                    + "mapped files and where they were found (or MISSING, or with a build-id mismatch), the "
                    + "dynamic linker's loaded objects, truncation and warnings."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:unexpected error", "2:unusable input or usage error"})
public final class InfoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(InfoCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CORE", description = "The core file.")
    Path core;

    @Mixin
    CoreOptionsMixin coreOptions;

    @Option(names = "--json", order = 200, description = "Print one JSON document instead of text.")
    boolean json;

    @Override
    public Integer call() throws CoreFormatException, UnusableInputException {
        CoreOptions options = coreOptions.toCoreOptions();
        CoreOptionsMixin.requireRegularFile("", core);
        LOG.info("opening {} with {}", core, options);
        InfoReport report;
        try (CoreDump dump = CoreDump.open(core, options)) {
            report = InfoReport.of(dump);
            LOG.info("read {} bytes of the core's {} to make the report", dump.coreBytesRead(),
                    report.truncation().fileSize());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            InfoJson.write(report, out);
        } else {
            InfoText.write(report, out);
        }
        return Corestub.EXIT_OK;
    }
}
