package io.coredumptools.patches;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.elfcore.symbols.ModuleImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The process's ELF objects in the dynamic linker's search order (the link_map list: the executable, preloads,
 * then DT_NEEDED breadth first), each with its dynamic-linking data read from its file. For a static
 * executable, the executable alone.
 */
final class ProcessObjects implements AutoCloseable {
    private final List<LoadedModule> modules;

    private ProcessObjects(List<LoadedModule> modules) {
        this.modules = List.copyOf(modules);
    }

    static ProcessObjects of(CoreDump core, List<String> notes) {
        List<LoadedObject> linkMap = core.loadedObjects();
        Optional<String> exePath = core.executable().map(ResolvedFile::recordedPath);
        long interpreterBase = core.auxvValue(AuxvEntry.AT_BASE).orElse(0L);
        List<LoadedModule> result = new ArrayList<>();
        for (ModuleImage image : core.symbols().modules()) {
            boolean executable = exePath.isPresent() && exePath.get().equals(image.recordedPath());
            boolean onLinkMap = linkMap.stream().anyMatch(o -> o.loadBias() == image.loadBias());
            if (!executable && !onLinkMap) {
                continue; // mapped but not loaded by ld.so (a data file, or a dlclose'd object): not in any scope
            }
            try {
                DynamicObject object = DynamicObject.open(image.file(), image.loadBias());
                boolean interpreter = interpreterBase != 0 && image.start() == interpreterBase;
                result.add(new LoadedModule(image, object, executable, interpreter));
            } catch (CoreFormatException | RuntimeException e) {
                notes.add(image.recordedPath() + ": dynamic data not read, its slots are left as they are: "
                        + e.getMessage());
            }
        }
        return new ProcessObjects(result);
    }

    /** In search order. */
    List<LoadedModule> modules() {
        return modules;
    }

    Optional<LoadedModule> interpreter() {
        return modules.stream().filter(LoadedModule::interpreter).findFirst();
    }

    Optional<LoadedModule> executable() {
        return modules.stream().filter(LoadedModule::executable).findFirst();
    }

    Optional<LoadedModule> containing(long address) {
        return modules.stream().filter(m -> m.contains(address)).findFirst();
    }

    @Override
    public void close() {
        modules.forEach(m -> m.object().close());
    }
}
