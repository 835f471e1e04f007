package io.coredumptools.patches;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.patches.DynamicObject.Rela;
import io.coredumptools.patches.DynamicObject.Sym;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every IFUNC the process uses, found without names or debug files: IRELATIVE relocations, GLOB_DAT / JUMP_SLOT
 * / R_X86_64_64 relocations bound to an STT_GNU_IFUNC definition, and the IFUNC symbols of each .dynsym.
 * Decidable from the core and the files alone (no code runs).
 */
public final class IfuncInventory {
    private final List<IfuncSite> sites;
    private final Map<Long, String> names;

    private IfuncInventory(List<IfuncSite> sites, Map<Long, String> names) {
        this.sites = List.copyOf(sites);
        this.names = Collections.unmodifiableMap(names);
    }

    /** Scans a core's objects; slot values are read through {@code memory}. */
    public static IfuncInventory scan(CoreDump core, ProcessMemory memory) {
        List<String> ignored = new ArrayList<>();
        try (ProcessObjects objects = ProcessObjects.of(core, ignored)) {
            return scan(objects, new SymbolResolver(objects.modules()), memory);
        }
    }

    static IfuncInventory scan(ProcessObjects objects, SymbolResolver resolver, ProcessMemory memory) {
        List<IfuncSite> sites = new ArrayList<>();
        Map<Long, String> names = new TreeMap<>(Long::compareUnsigned);
        for (LoadedModule module : objects.modules()) {
            DynamicObject object = module.object();
            List<Rela> all = new ArrayList<>(object.relocations());
            all.addAll(object.pltRelocations());
            for (Rela r : all) {
                long slot = module.bias() + r.offset();
                if (r.type() == DynamicObject.R_X86_64_IRELATIVE) {
                    long resolverAddress = module.bias() + r.addend();
                    sites.add(new IfuncSite(
                            IfuncSite.Kind.IRELATIVE,
                            module.shortName(),
                            slot,
                            resolverAddress,
                            "",
                            memory.readLong(slot),
                            true));
                    names.putIfAbsent(
                            resolverAddress,
                            "IRELATIVE resolver at " + module.shortName() + "+0x" + Long.toHexString(r.addend()));
                    continue;
                }
                IfuncSite.Kind kind = switch (r.type()) {
                    case DynamicObject.R_X86_64_JUMP_SLOT -> IfuncSite.Kind.JUMP_SLOT;
                    case DynamicObject.R_X86_64_GLOB_DAT -> IfuncSite.Kind.GLOB_DAT;
                    case DynamicObject.R_X86_64_64 -> r.addend() == 0 ? IfuncSite.Kind.ABS64 : null;
                    default -> null;
                };
                if (kind == null || r.symbol() == 0) {
                    continue;
                }
                Optional<SymbolResolver.Definition> definition = resolver.resolve(module, r.symbol());
                if (definition.isEmpty() || !definition.get().isIfunc()) {
                    continue;
                }
                Optional<Long> value = memory.readLong(slot);
                boolean bound = kind != IfuncSite.Kind.JUMP_SLOT || !LazySlots.isUnbound(module, r, value);
                sites.add(new IfuncSite(
                        kind,
                        module.shortName(),
                        slot,
                        definition.get().address(),
                        definition.get().symbol().name(),
                        value,
                        bound));
                names.put(definition.get().address(), definition.get().symbol().name());
            }
            Map<Long, String> dynsymResolvers = new LinkedHashMap<>();
            for (Sym s : object.symbols()) {
                if (s.isDefined() && s.isIfunc() && s.bind() != DynamicObject.STB_LOCAL) {
                    dynsymResolvers.merge(module.bias() + s.value(), s.name(), IfuncInventory::preferredName);
                }
            }
            dynsymResolvers.forEach((address, name) -> {
                sites.add(new IfuncSite(
                        IfuncSite.Kind.DYNSYM, module.shortName(), 0, address, name, Optional.empty(), false));
                names.merge(address, name, IfuncInventory::preferredName);
            });
        }
        return new IfuncInventory(sites, names);
    }

    /** Of two names for one resolver, the one with fewer leading underscores (strlen over __strlen). */
    private static String preferredName(String a, String b) {
        if (a.startsWith("IRELATIVE")) {
            return b;
        }
        if (b.startsWith("IRELATIVE")) {
            return a;
        }
        return leadingUnderscores(b) < leadingUnderscores(a) ? b : a;
    }

    private static int leadingUnderscores(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(n) == '_') {
            n++;
        }
        return n;
    }

    public List<IfuncSite> sites() {
        return sites;
    }

    /** Resolver addresses, ascending, each once. */
    public List<Long> resolvers() {
        return List.copyOf(names.keySet());
    }

    /** A .dynsym name of the resolver, or "IRELATIVE resolver at libc.so.6+0x…" when it has none. */
    public String resolverName(long resolver) {
        return names.getOrDefault(resolver, "resolver at 0x" + Long.toHexString(resolver));
    }

    /** The sites using {@code resolver}. */
    public List<IfuncSite> sitesOf(long resolver) {
        return sites.stream().filter(s -> s.resolver() == resolver).toList();
    }
}
