package io.coredumptools.elfcore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the dynamic linker's {@code r_debug.r_map} list in core memory, as gdb does: the executable's
 * program headers are found through AT_PHDR, its dynamic section through PT_DYNAMIC, r_debug through DT_DEBUG.
 */
final class LinkMapReader {
    private static final long DT_NULL = 0;
    private static final long DT_DEBUG = 21;
    private static final int R_DEBUG_R_MAP = 8;
    private static final int LINK_MAP_L_NAME = 8;
    private static final int LINK_MAP_L_LD = 16;
    private static final int LINK_MAP_L_NEXT = 24;
    private static final int MAX_OBJECTS = 100_000;
    private static final int MAX_DYNAMIC_ENTRIES = 4096;
    private static final int MAX_NAME = 4096;
    /** e_phnum is 16 bits: an AT_PHNUM above it is corruption (and would overflow the table's size). */
    private static final long MAX_PROGRAM_HEADERS = 0xffff;

    /** The list, or the reason there is none. */
    record Result(List<LoadedObject> objects, Optional<String> problem) {
        static Result none(String why) {
            return new Result(List.of(), Optional.of(why));
        }
    }

    private LinkMapReader() {}

    static Result read(CoreMemory memory, List<AuxvEntry> auxv) {
        long phdr = value(auxv, AuxvEntry.AT_PHDR);
        long phnum = value(auxv, AuxvEntry.AT_PHNUM);
        if (phdr == 0 || phnum == 0) {
            return Result.none("the core has no AT_PHDR in NT_AUXV: cannot find the executable's program headers");
        }
        if (Long.compareUnsigned(phnum, MAX_PROGRAM_HEADERS) > 0) {
            return Result.none("AT_PHNUM in NT_AUXV is " + Long.toUnsignedString(phnum)
                    + ", more program headers than ELF allows: the auxiliary vector is corrupt");
        }
        Optional<ByteBuffer> table = memory.read(phdr, (int) phnum * ProgramHeader.SIZE);
        if (table.isEmpty()) {
            return Result.none("the executable's program headers at " + Hex.address(phdr) + " are not in the core");
        }
        long bias = 0;
        long dynamicVaddr = -1;
        boolean hasInterpreter = false;
        for (int i = 0; i < phnum; i++) {
            ProgramHeader header = ProgramHeader.parse(table.get(), i * ProgramHeader.SIZE);
            if (header.type() == ProgramHeader.PT_PHDR) {
                bias = phdr - header.vaddr();
            } else if (header.type() == ProgramHeader.PT_DYNAMIC) {
                dynamicVaddr = header.vaddr();
            } else if (header.type() == ProgramHeader.PT_INTERP) {
                hasInterpreter = true;
            }
        }
        if (dynamicVaddr < 0 || !hasInterpreter) {
            return Result.none("static executable: no dynamic linker, no shared libraries");
        }
        long rDebug = findDebugEntry(memory, bias + dynamicVaddr);
        if (rDebug == 0) {
            return Result.none(
                    "DT_DEBUG is not set in the executable's dynamic section: the dynamic linker had not started");
        }
        Optional<Long> first = memory.readLong(rDebug + R_DEBUG_R_MAP);
        if (first.isEmpty()) {
            return Result.none("r_debug at " + Hex.address(rDebug) + " is not in the core");
        }
        return walk(memory, first.get());
    }

    private static long findDebugEntry(CoreMemory memory, long dynamic) {
        for (int i = 0; i < MAX_DYNAMIC_ENTRIES; i++) {
            Optional<ByteBuffer> entry = memory.read(dynamic + 16L * i, 16);
            if (entry.isEmpty()) {
                return 0;
            }
            long tag = entry.get().getLong(0);
            if (tag == DT_NULL) {
                return 0;
            }
            if (tag == DT_DEBUG) {
                return entry.get().getLong(8);
            }
        }
        return 0;
    }

    private static Result walk(CoreMemory memory, long head) {
        List<LoadedObject> objects = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long map = head;
        while (map != 0 && objects.size() < MAX_OBJECTS) {
            if (!seen.add(map)) {
                return new Result(objects, Optional.of("the link_map list loops at " + Hex.address(map)));
            }
            Optional<ByteBuffer> entry = memory.read(map, LINK_MAP_L_NEXT + 8);
            if (entry.isEmpty()) {
                return new Result(
                        objects, Optional.of("link_map entry at " + Hex.address(map) + " is not in the core"));
            }
            ByteBuffer e = entry.get();
            long nameAddress = e.getLong(LINK_MAP_L_NAME);
            String name = nameAddress == 0
                    ? ""
                    : memory.readCString(nameAddress, MAX_NAME).orElse("");
            objects.add(new LoadedObject(name, e.getLong(0), e.getLong(LINK_MAP_L_LD), map));
            map = e.getLong(LINK_MAP_L_NEXT);
        }
        return new Result(List.copyOf(objects), Optional.empty());
    }

    private static long value(List<AuxvEntry> auxv, long type) {
        for (AuxvEntry e : auxv) {
            if (e.type() == type) {
                return e.value();
            }
        }
        return 0;
    }
}
