package io.coredumptools.rsp.inferior;

import io.coredumptools.rsp.target.DocumentsTarget;
import java.util.Optional;

/** The documents the loaded core made once (auxv, the library lists, the memory map), shared by every session. */
final class CoreDocuments implements DocumentsTarget {
    private final LoadedCore core;

    CoreDocuments(LoadedCore core) {
        this.core = core;
    }

    @Override
    public byte[] auxv() {
        return core.auxv();
    }

    @Override
    public Optional<String> executablePath() {
        return core.executablePath();
    }

    @Override
    public byte[] libraries(boolean lldb) {
        return lldb ? core.librariesXmlForLldb() : core.librariesXml();
    }

    @Override
    public byte[] memoryMap() {
        return core.memoryMapXml();
    }
}
