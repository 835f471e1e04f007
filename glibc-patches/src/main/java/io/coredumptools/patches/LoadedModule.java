package io.coredumptools.patches;

import io.coredumptools.elfcore.symbols.ModuleImage;

/**
 * One object of the process as glibc-patches sees it: where it is and its dynamic-linking data.
 *
 * @param image       where the core shows it mapped
 * @param object      its dynamic section, symbols and relocations, read from the file
 * @param executable  the main program
 * @param interpreter the dynamic linker (mapped at AT_BASE)
 */
record LoadedModule(ModuleImage image, DynamicObject object, boolean executable, boolean interpreter) {
    String shortName() {
        String path = image.recordedPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    long bias() {
        return image.loadBias();
    }

    boolean contains(long address) {
        return Long.compareUnsigned(address, image.start()) >= 0 && Long.compareUnsigned(address, image.end()) < 0;
    }
}
