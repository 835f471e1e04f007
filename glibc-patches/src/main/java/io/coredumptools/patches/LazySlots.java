package io.coredumptools.patches;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.patches.DynamicObject.Rela;
import io.coredumptools.patches.DynamicObject.Sym;
import io.coredumptools.patches.DynamicObject.VersionNeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JUMP_SLOT relocations of every object and how the dynamic linker would bind each, decided from the files
 * and the core alone (no code runs).
 */
public final class LazySlots {
    private LazySlots() {}

    /** Every JUMP_SLOT of the core's objects, in search order. */
    public static List<LazySlot> scan(CoreDump core, ProcessMemory memory) {
        List<String> ignored = new ArrayList<>();
        try (ProcessObjects objects = ProcessObjects.of(core, ignored)) {
            return scan(objects, new SymbolResolver(objects.modules()), memory);
        }
    }

    static List<LazySlot> scan(ProcessObjects objects, SymbolResolver resolver, ProcessMemory memory) {
        List<LazySlot> result = new ArrayList<>();
        for (LoadedModule module : objects.modules()) {
            DynamicObject object = module.object();
            for (Rela r : object.pltRelocations()) {
                if (r.type() != DynamicObject.R_X86_64_JUMP_SLOT
                        || r.symbol() <= 0
                        || r.symbol() >= object.symbols().size()) {
                    continue;
                }
                long slot = module.bias() + r.offset();
                Optional<Long> value = memory.readLong(slot);
                Sym reference = object.symbols().get(r.symbol());
                Optional<VersionNeed> need = object.versionNeed(reference.versionIndex());
                String symbol = reference.name() + need.map(n -> "@" + n.name()).orElse("");
                Optional<SymbolResolver.Definition> definition = resolver.resolve(module, r.symbol());
                result.add(new LazySlot(
                        module.shortName(),
                        slot,
                        symbol,
                        value,
                        !isUnbound(module, r, value),
                        definition.map(SymbolResolver.Definition::describe),
                        definition.map(d -> d.address() + r.addend()),
                        definition.map(SymbolResolver.Definition::isIfunc).orElse(false)));
            }
        }
        return result;
    }

    /**
     * A JUMP_SLOT still holds its lazy initial value: ld.so's lazy setup only adds the load bias to what the file
     * has there (the address of the PLT entry's push), so the slot equals file value + bias until first called.
     */
    static boolean isUnbound(LoadedModule module, Rela r, Optional<Long> value) {
        if (value.isEmpty() || module.object().bindNow()) {
            return false;
        }
        Optional<Long> initial = module.object().fileLong(r.offset());
        return initial.isPresent() && initial.get() != 0 && value.get() == initial.get() + module.bias();
    }
}
