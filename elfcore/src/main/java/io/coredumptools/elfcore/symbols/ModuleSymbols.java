package io.coredumptools.elfcore.symbols;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The symbols of one module, relocated to the process's addresses: its own .dynsym and .symtab merged with
 * its debug file's .symtab, without duplicates. Indexed by name and, for functions, by address.
 */
final class ModuleSymbols {
    /**
     * A symbol with what lookup ranks it by beyond {@link Symbol}.
     *
     * @param hiddenVersion defined as {@code name@VER}, not the default version
     * @param binding       st_bind of the definition
     */
    record Entry(Symbol symbol, boolean hiddenVersion, int binding) {
        boolean isGlobal() {
            return binding != ElfSymbol.STB_LOCAL;
        }
    }

    /**
     * Best first: what the dynamic linker would bind to (global, then default version), then what reads best
     * in a backtrace (sized, fewer leading underscores), then by name so the choice is stable.
     */
    static final Comparator<Entry> PREFERENCE = Comparator.comparing((Entry e) -> !e.isGlobal())
            .thenComparing(e -> e.binding() == ElfSymbol.STB_WEAK)
            .thenComparing(Entry::hiddenVersion)
            .thenComparing(e -> e.symbol().size() == 0)
            .thenComparingInt(e -> leadingUnderscores(e.symbol().name()))
            .thenComparing(e -> e.symbol().name());

    private final Map<String, List<Entry>> byName;
    /** Functions and IFUNC resolvers sorted by address; entries at one address are in {@link #PREFERENCE} order. */
    private final Entry[] functions;

    private final long[] functionAddresses;
    /** Bounds the backward walk looking for a sized function that covers an address. */
    private final long largestFunction;

    private final Optional<Path> debugFile;
    private final int symbolCount;

    private ModuleSymbols(
            Map<String, List<Entry>> byName, Entry[] functions, Optional<Path> debugFile, int symbolCount) {
        this.byName = byName;
        this.functions = functions;
        this.debugFile = debugFile;
        this.symbolCount = symbolCount;
        this.functionAddresses = new long[functions.length];
        long largest = 0;
        for (int i = 0; i < functions.length; i++) {
            functionAddresses[i] = functions[i].symbol().address();
            largest = Math.max(largest, functions[i].symbol().size());
        }
        this.largestFunction = largest;
    }

    static ModuleSymbols empty() {
        return new ModuleSymbols(Map.of(), new Entry[0], Optional.empty(), 0);
    }

    /**
     * Reads the module's symbol tables and those of its debug file. Problems with the debug file are added to
     * {@code problems} and cost only its symbols.
     */
    static ModuleSymbols load(ModuleImage module, DebugFileLocator locator, List<String> problems)
            throws CoreFormatException {
        List<ElfSymbol> raw = new ArrayList<>();
        Optional<Path> debugFile;
        try (ElfFile object = ElfFile.open(module.file())) {
            raw.addAll(SymbolTableReader.readAll(object));
            debugFile = locator.locate(object, problems);
        }
        if (debugFile.isPresent()) {
            try (ElfFile debug = ElfFile.open(debugFile.get())) {
                raw.addAll(SymbolTableReader.readAll(debug));
            } catch (CoreFormatException e) {
                problems.add("symbols of debug file not read: " + e.getMessage());
                debugFile = Optional.empty();
            }
        }
        return build(module, raw, debugFile);
    }

    static ModuleSymbols build(ModuleImage module, List<ElfSymbol> raw, Optional<Path> debugFile) {
        List<Entry> entries = new ArrayList<>();
        for (ElfSymbol s : deduplicate(raw)) {
            entries.add(new Entry(relocate(module, s), s.hiddenVersion(), s.binding()));
        }
        Map<String, List<Entry>> byName = new HashMap<>();
        List<Entry> functionList = new ArrayList<>();
        for (Entry e : entries) {
            byName.computeIfAbsent(e.symbol().name(), n -> new ArrayList<>()).add(e);
            SymbolKind kind = e.symbol().kind();
            if (kind == SymbolKind.FUNCTION || kind == SymbolKind.IFUNC) {
                functionList.add(e);
            }
        }
        byName.replaceAll((name, list) -> {
            list.sort(PREFERENCE);
            return List.copyOf(list);
        });
        Entry[] functions = functionList.toArray(new Entry[0]);
        Arrays.sort(
                functions,
                Comparator.comparingLong((Entry e) -> e.symbol().address()).thenComparing(PREFERENCE));
        return new ModuleSymbols(byName, functions, debugFile, entries.size());
    }

    /**
     * The object's tables and its debug file repeat most symbols. One entry is kept per name, version and value
     * (the global one when bindings differ), and an unversioned entry is dropped when a versioned one has the
     * same name and value: {@code .symtab} often names {@code strlen} where .dynsym has {@code strlen@@GLIBC_2.2.5}.
     */
    static List<ElfSymbol> deduplicate(List<ElfSymbol> raw) {
        record Key(String name, String version, long value) {}
        record NameAndValue(String name, long value) {}
        Map<Key, ElfSymbol> unique = new LinkedHashMap<>();
        Set<NameAndValue> versioned = new HashSet<>();
        for (ElfSymbol s : raw) {
            unique.merge(new Key(s.name(), s.version(), s.value()), s, ModuleSymbols::better);
            if (!s.version().isEmpty()) {
                versioned.add(new NameAndValue(s.name(), s.value()));
            }
        }
        List<ElfSymbol> result = new ArrayList<>(unique.size());
        for (ElfSymbol s : unique.values()) {
            if (s.version().isEmpty() && versioned.contains(new NameAndValue(s.name(), s.value()))) {
                continue;
            }
            result.add(s);
        }
        return result;
    }

    private static ElfSymbol better(ElfSymbol kept, ElfSymbol other) {
        if (!kept.isGlobal() && other.isGlobal()) {
            return other;
        }
        if (kept.size() == 0 && other.size() != 0 && kept.isGlobal() == other.isGlobal()) {
            return other;
        }
        return kept;
    }

    private static Symbol relocate(ModuleImage module, ElfSymbol s) {
        // TLS values are offsets in the module's TLS block, and SHN_ABS values are not addresses in the module.
        boolean relocated = s.kind() != SymbolKind.TLS && !s.absolute();
        long address = relocated ? s.value() + module.loadBias() : s.value();
        return new Symbol(s.name(), s.version(), address, s.size(), s.kind(), s.isGlobal(), module.recordedPath());
    }

    private static int leadingUnderscores(String name) {
        int n = 0;
        while (n < name.length() && name.charAt(n) == '_') {
            n++;
        }
        return n;
    }

    /** The symbols named {@code name} (any version), best first. */
    List<Entry> named(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /**
     * The innermost sized function covering {@code address}; failing that, the nearest function starting at or
     * before it.
     */
    Optional<Symbol> functionAt(long address) {
        int last = lastAtOrBefore(address);
        if (last < 0) {
            return Optional.empty();
        }
        int groupEnd = last;
        while (groupEnd >= 0 && address - functionAddresses[groupEnd] < largestFunction) {
            int groupStart = groupStart(groupEnd);
            for (int i = groupStart; i <= groupEnd; i++) {
                Symbol s = functions[i].symbol();
                if (s.size() > 0 && address - s.address() < s.size()) {
                    return Optional.of(s);
                }
            }
            groupEnd = groupStart - 1;
        }
        return Optional.of(functions[groupStart(last)].symbol());
    }

    private int lastAtOrBefore(long address) {
        int low = 0;
        int high = functionAddresses.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (functionAddresses[mid] <= address) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    private int groupStart(int index) {
        int start = index;
        while (start > 0 && functionAddresses[start - 1] == functionAddresses[index]) {
            start--;
        }
        return start;
    }

    Optional<Path> debugFile() {
        return debugFile;
    }

    int size() {
        return symbolCount;
    }
}
