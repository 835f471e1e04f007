package io.coredumptools.patches;

import io.coredumptools.patches.DynamicObject.Sym;
import io.coredumptools.patches.DynamicObject.VersionNeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds a symbol reference as ld.so's {@code _dl_lookup_symbol_x} does for objects loaded at startup: the first
 * acceptable definition in the global scope (link_map order; the referring object first when it is
 * DT_SYMBOLIC), honouring the version the reference requires (.gnu.version / .gnu.version_r). Acceptable: a
 * defined, non-local, default- or protected-visibility symbol with a non-zero value (or TLS), of the required
 * version; an unversioned reference takes the default (non-hidden) version.
 * Not modelled: dlopen'ed objects' local scopes (RTLD_LOCAL), LD_DYNAMIC_WEAK, audit modules.
 */
final class SymbolResolver {
    /** A definition the reference binds to. */
    record Definition(LoadedModule module, Sym symbol) {
        long address() {
            return module.bias() + symbol.value();
        }

        boolean isIfunc() {
            return symbol.isIfunc();
        }

        String describe() {
            String version = module.object().versionName(symbol.versionIndex());
            return symbol.name() + (version.isEmpty() ? "" : (symbol.hiddenVersion() ? "@" : "@@") + version) + " in "
                    + module.shortName();
        }
    }

    private final List<LoadedModule> scope;

    SymbolResolver(List<LoadedModule> scope) {
        this.scope = List.copyOf(scope);
    }

    /** The definition that {@code referrer}'s .dynsym entry {@code symbolIndex} binds to. */
    Optional<Definition> resolve(LoadedModule referrer, int symbolIndex) {
        List<Sym> symbols = referrer.object().symbols();
        if (symbolIndex <= 0 || symbolIndex >= symbols.size()) {
            return Optional.empty();
        }
        Sym reference = symbols.get(symbolIndex);
        if (reference.isDefined() && (reference.bind() == DynamicObject.STB_LOCAL || reference.visibility() != 0)) {
            return Optional.of(new Definition(referrer, reference)); // binds within its own object
        }
        Optional<VersionNeed> need = referrer.object().versionNeed(reference.versionIndex());
        List<LoadedModule> order = scope;
        if (referrer.object().symbolic()) {
            order = new ArrayList<>(scope);
            order.remove(referrer);
            order.add(0, referrer);
        }
        return lookup(reference.name(), need, reference.hiddenVersion(), order);
    }

    /** The definition of {@code name} of the default version, as an unversioned reference would bind. */
    Optional<Definition> lookup(String name) {
        return lookup(name, Optional.empty(), false, scope);
    }

    private static Optional<Definition> lookup(
            String name, Optional<VersionNeed> need, boolean hiddenReference, List<LoadedModule> order) {
        for (LoadedModule module : order) {
            Sym fallback = null;
            for (Sym s : module.object().defined(name)) {
                if (s.bind() == DynamicObject.STB_LOCAL
                        || s.visibility() == DynamicObject.STV_HIDDEN
                        || s.visibility() == DynamicObject.STV_INTERNAL
                        || (s.value() == 0 && s.type() != DynamicObject.STT_TLS)) {
                    continue;
                }
                DynamicObject object = module.object();
                if (need.isPresent()) {
                    if (!object.hasVersions()
                            || object.versionName(s.versionIndex())
                                    .equals(need.get().name())) {
                        return Optional.of(new Definition(module, s));
                    }
                    if (s.versionIndex() < 2 && !s.hiddenVersion() && !hiddenReference && fallback == null) {
                        fallback = s; // an unversioned definition satisfies a versioned reference
                    }
                } else if (s.versionIndex() < 2 || !s.hiddenVersion()) {
                    return Optional.of(new Definition(module, s));
                }
            }
            if (fallback != null) {
                return Optional.of(new Definition(module, fallback));
            }
        }
        return Optional.empty();
    }
}
