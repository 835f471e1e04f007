package io.coredumptools.cli;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.dwarf.CType;
import io.coredumptools.elfcore.dwarf.DebugInfo;
import io.coredumptools.elfcore.dwarf.FunctionSignature;
import io.coredumptools.elfcore.symbols.DebugFileLocator;
import io.coredumptools.elfcore.symbols.ModuleImage;
import io.coredumptools.elfcore.symbols.SymbolIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the DWARF of the program and its libraries says about the functions and types a call names, found as
 * gdb finds it (each object's own .debug_info, or its separate debug file). Each object's DWARF is opened on
 * first need and kept until {@link #close}. Unreadable DWARF is logged and treated as absent: the call then
 * needs the casts it would need without debug info.
 */
final class ProgramTypes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramTypes.class);

    private final SymbolIndex symbols;
    private final DebugFileLocator locator;
    private final Map<ModuleImage, Optional<DebugInfo>> opened = new HashMap<>();

    ProgramTypes(SymbolIndex symbols, DebugFileLocator locator) {
        this.symbols = symbols;
        this.locator = locator;
    }

    /**
     * The signature of the function whose code starts at {@code entry} (a run-time address: for an IFUNC, the
     * implementation it resolved to, as gdb looks it up), or empty when no DWARF describes it.
     */
    Optional<FunctionSignature> functionAt(long entry) {
        for (ModuleImage module : symbols.modules()) {
            if (entry < module.start() || entry >= module.end()) {
                continue;
            }
            Optional<DebugInfo> dwarf = dwarf(module);
            if (dwarf.isEmpty()) {
                return Optional.empty();
            }
            long linkTime = entry - module.loadBias();
            try {
                return dwarf.get()
                        .functionAt(linkTime)
                        .filter(f ->
                                f.entryAddress().isPresent() && f.entryAddress().getAsLong() == linkTime);
            } catch (CoreFormatException e) {
                LOG.warn(
                        "{}: its DWARF cannot be read at 0x{} ({}): calling it as without debug info",
                        dwarf.get().file(),
                        Long.toHexString(linkTime),
                        e.getMessage());
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A struct, union, enum or typedef named {@code name}, from the first object whose DWARF defines it. */
    Optional<CType> type(String name) {
        for (ModuleImage module : symbols.modules()) {
            Optional<DebugInfo> dwarf = dwarf(module);
            if (dwarf.isEmpty()) {
                continue;
            }
            try {
                Optional<CType> type = dwarf.get().type(name);
                if (type.isPresent()) {
                    return type;
                }
            } catch (CoreFormatException e) {
                LOG.warn(
                        "{}: its DWARF cannot be read for type {} ({})",
                        dwarf.get().file(),
                        name,
                        e.getMessage());
            }
        }
        return Optional.empty();
    }

    private Optional<DebugInfo> dwarf(ModuleImage module) {
        return opened.computeIfAbsent(module, m -> {
            List<String> problems = new ArrayList<>();
            try {
                Optional<DebugInfo> found = DebugInfo.forObject(m.file(), locator, problems);
                if (found.isEmpty()) {
                    LOG.debug("{}: no DWARF{}", m.file(), problems.isEmpty() ? "" : " (" + problems + ")");
                }
                return found;
            } catch (CoreFormatException e) {
                LOG.warn(
                        "{}: its DWARF cannot be read ({}): calling its functions as without debug info",
                        m.file(),
                        e.getMessage());
                return Optional.empty();
            }
        });
    }

    @Override
    public void close() {
        opened.values().forEach(d -> d.ifPresent(DebugInfo::close));
        opened.clear();
    }
}
