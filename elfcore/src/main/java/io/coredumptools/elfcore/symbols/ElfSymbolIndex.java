package io.coredumptools.elfcore.symbols;

import io.coredumptools.elfcore.CoreFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SymbolIndex} over the ELF files of a process's modules. A module's tables (and its debug file's)
 * are read the first time a lookup needs them: a name lookup reads modules in load order until it finds the
 * name, an address lookup only the module containing the address. Safe for concurrent use.
 */
public final class ElfSymbolIndex implements SymbolIndex {
    private static final Logger log = LoggerFactory.getLogger(ElfSymbolIndex.class);

    private final List<ModuleImage> modules;
    private final List<LazyModule> lazyModules;
    private final DebugFileLocator locator;
    private final List<String> warnings = new ArrayList<>();

    private ElfSymbolIndex(List<ModuleImage> modules, DebugFileLocator locator) {
        this.modules = List.copyOf(modules);
        this.locator = locator;
        List<LazyModule> lazy = new ArrayList<>();
        for (ModuleImage m : this.modules) {
            lazy.add(new LazyModule(m));
        }
        this.lazyModules = List.copyOf(lazy);
    }

    /**
     * An index over {@code modules}, given in load order (main executable first, then the dynamic linker's
     * list); reads nothing yet.
     */
    public static ElfSymbolIndex build(List<ModuleImage> modules, DebugFileLocator locator) {
        return new ElfSymbolIndex(modules, locator);
    }

    @Override
    public List<ModuleImage> modules() {
        return modules;
    }

    /**
     * With a version, the first definition of that version in load order ({@code @@} requires it to be the
     * default). Without one: the first global (or weak) definition of the default version in load order, as
     * the dynamic linker would bind; else any global definition (a non-default version); else a local one.
     */
    @Override
    public Optional<Symbol> lookup(String name) {
        VersionedName query = VersionedName.parse(name);
        if (query.hasVersion()) {
            return first(query.name(), e -> matchesVersion(e, query));
        }
        Optional<Symbol> found = first(query.name(), e -> e.isGlobal() && !e.hiddenVersion());
        if (found.isEmpty()) {
            found = first(query.name(), ModuleSymbols.Entry::isGlobal);
        }
        if (found.isEmpty()) {
            found = first(query.name(), e -> true);
        }
        return found;
    }

    /** Every definition of {@code name} (of that version, when one is given), in load order; reads every module. */
    @Override
    public List<Symbol> lookupAll(String name) {
        VersionedName query = VersionedName.parse(name);
        List<Symbol> result = new ArrayList<>();
        for (LazyModule module : lazyModules) {
            for (ModuleSymbols.Entry e : module.symbols().named(query.name())) {
                if (!query.hasVersion() || matchesVersion(e, query)) {
                    result.add(e.symbol());
                }
            }
        }
        return result;
    }

    private static boolean matchesVersion(ModuleSymbols.Entry e, VersionedName query) {
        return e.symbol().version().equals(query.version()) && (!query.defaultRequired() || !e.hiddenVersion());
    }

    private Optional<Symbol> first(String name, Predicate<ModuleSymbols.Entry> accept) {
        for (LazyModule module : lazyModules) {
            // Entries are best first, so the first accepted one is the module's answer.
            for (ModuleSymbols.Entry e : module.symbols().named(name)) {
                if (accept.test(e)) {
                    return Optional.of(e.symbol());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The function containing {@code address} in the module whose [start, end) holds it; a location without
     * symbol when the module has no function before it; empty when no module holds the address.
     */
    @Override
    public Optional<SymbolLocation> symbolize(long address) {
        for (LazyModule module : lazyModules) {
            ModuleImage image = module.image;
            if (Long.compareUnsigned(address, image.start()) < 0 || Long.compareUnsigned(address, image.end()) >= 0) {
                continue;
            }
            String shortName = shortName(image.recordedPath());
            long moduleOffset = address - image.start();
            Optional<Symbol> function = module.symbols().functionAt(address);
            if (function.isEmpty()) {
                return Optional.of(new SymbolLocation(address, null, 0, shortName, moduleOffset));
            }
            Symbol s = function.get();
            return Optional.of(new SymbolLocation(address, s, address - s.address(), shortName, moduleOffset));
        }
        return Optional.empty();
    }

    /** The file name of a recorded path: {@code libc.so.6} for {@code /usr/lib/x86_64-linux-gnu/libc.so.6}. */
    static String shortName(String recordedPath) {
        int slash = recordedPath.lastIndexOf('/');
        return slash < 0 ? recordedPath : recordedPath.substring(slash + 1);
    }

    /** The separate debug file whose symbols were merged into {@code module}'s; reads the module's tables. */
    public Optional<Path> debugFile(ModuleImage module) {
        for (LazyModule lazy : lazyModules) {
            if (lazy.image.equals(module)) {
                return lazy.symbols().debugFile();
            }
        }
        return Optional.empty();
    }

    /** How many modules have had their tables read so far (lookups must not read them all). */
    public int loadedModuleCount() {
        int n = 0;
        for (LazyModule lazy : lazyModules) {
            if (lazy.isLoaded()) {
                n++;
            }
        }
        return n;
    }

    /** Problems met while reading symbol tables and debug files so far, one line each. */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    private void addWarnings(List<String> lines) {
        synchronized (warnings) {
            warnings.addAll(lines);
        }
    }

    /** One module's symbols, read on first use; a module that cannot be read has none (with a warning). */
    private final class LazyModule {
        private final ModuleImage image;
        private ModuleSymbols symbols;

        LazyModule(ModuleImage image) {
            this.image = image;
        }

        synchronized boolean isLoaded() {
            return symbols != null;
        }

        synchronized ModuleSymbols symbols() {
            if (symbols == null) {
                List<String> problems = new ArrayList<>();
                try {
                    symbols = ModuleSymbols.load(image, locator, problems);
                    log.debug("{}: {} symbols", image.file(), symbols.size());
                } catch (CoreFormatException | RuntimeException e) {
                    String problem = "symbols of " + image.recordedPath() + " not read: " + e.getMessage();
                    log.warn(problem);
                    problems.add(problem);
                    symbols = ModuleSymbols.empty();
                }
                addWarnings(problems);
            }
            return symbols;
        }
    }
}
