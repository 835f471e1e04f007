package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.rsp.target.DocumentsTarget;
import java.util.List;
import java.util.Optional;

/** The documents the loaded core made once (auxv, the library lists, the memory map), shared by every session. */
final class CoreDocuments implements DocumentsTarget {
    private final LoadedCore core;
    private byte[] librariesWithoutMainProgram;

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

    /**
     * lldb (DynamicLoaderPOSIXDYLD, ProcessGDBRemote::LoadModules) makes the first ET_EXEC module of every library
     * list its executable, and Target::SetExecutableModule first clears every section load address: with a
     * non-PIE main program listed, each later list would put every library back at 0. lldb-16 takes its
     * executable from the first list it reads, before it loads the libraries; later lists are lldb-server's,
     * without the main program. A PIE main program (ET_DYN) is not an executable to lldb: it stays listed.
     */
    @Override
    public byte[] librariesForLldbAfterTheFirst() {
        List<LoadedObject> objects = core.core().loadedObjects();
        boolean fixedAddressMain = !objects.isEmpty()
                && objects.get(0).name().isEmpty()
                && objects.get(0).loadBias() == 0;
        if (!fixedAddressMain) {
            return core.librariesXmlForLldb();
        }
        if (librariesWithoutMainProgram == null) {
            librariesWithoutMainProgram = LoadedCore.librariesXmlForLldb(core.core(), false);
        }
        return librariesWithoutMainProgram;
    }

    @Override
    public byte[] memoryMap() {
        return core.memoryMapXml();
    }
}
