package io.coredumptools.elfcore;

import io.coredumptools.elfcore.symbols.Symbol;
import io.coredumptools.elfcore.symbols.SymbolIndex;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Where a thread's thread-local variable lives, computed as glibc's libthread_db does
 * ({@code nptl_db/td_thr_tlsbase.c}), with the structure offsets glibc itself exports for that purpose: the
 * {@code _thread_db_*} descriptors ({@code {u32 bits, u32 count, u32 offset}}, GLIBC_PRIVATE, in libc.so.6 since
 * glibc 2.34, in libpthread.so.0 before, in the executable's symbol table when static). So no offset is
 * hard-coded and no debug info is needed. This is what gdbserver answers {@code qGetTLSAddr} with, and what gdb
 * needs to print a {@code __thread} variable by name over the remote protocol (gdb never uses libthread_db on a
 * remote target).
 *
 * <p>The memory read is whatever view of the process the caller gives: the debugger's view (the image, with
 * calls' writes), and the descriptors themselves live in libc's read-only data, so a view that maps files.
 */
public final class ThreadLocalStorage {
    /** glibc's TLS_DTV_UNALLOCATED: a DTV slot whose block is not allocated yet. */
    private static final long DTV_UNALLOCATED = -1;
    /** glibc's NO_TLS_OFFSET (0 on x86-64) and FORCED_DYNAMIC_TLS_OFFSET (-1 when NO_TLS_OFFSET is 0). */
    private static final long NO_TLS_OFFSET = 0;

    private static final long FORCED_DYNAMIC_TLS_OFFSET = -1;
    /** A slotinfo list longer than this is corrupt. */
    private static final int MAX_SLOTINFO_LISTS = 4096;

    /** Why an address could not be computed; {@link #code} is the E number the protocol replies with. */
    public static final class UnavailableException extends Exception {
        /** The module has no TLS block (l_tls_modid 0). */
        public static final int NO_TLS = 0x01;
        /** The thread has not allocated the module's block yet (libthread_db's TD_TLSDEFER). */
        public static final int NOT_ALLOCATED = 0x02;
        /** The layout or the memory it needs is not available. */
        public static final int UNKNOWN = 0x03;

        private final int code;

        UnavailableException(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** One descriptor: a field's size in bits, its element count (arrays), its byte offset in its structure. */
    private record Field(int bits, int count, int offset) {
        long read(CoreMemory memory, long base, int index, String what) throws UnavailableException {
            long address = base + offset + (long) index * (bits / 8);
            Optional<ByteBuffer> bytes = memory.read(address, bits / 8);
            if (bytes.isEmpty()) {
                throw new UnavailableException(
                        UnavailableException.UNKNOWN, what + " at 0x" + Long.toHexString(address) + " is not readable");
            }
            return bits == 32 ? bytes.get().getInt() & 0xffffffffL : bytes.get().getLong();
        }
    }

    private final Field linkMapModid;
    private final Field linkMapTlsOffset;
    private final Field pthreadDtvp;
    private final Field dtvSlots;
    private final Field dtvCounter;
    private final Field dtvPointer;
    private final Field slotinfoListLen;
    private final Field slotinfoListNext;
    private final Field slotinfoListSlots;
    private final Field slotinfoGen;
    /** Where the pointer to the first dtv_slotinfo_list is (in _rtld_global, or glibc's own variable when static). */
    private final Optional<Long> slotinfoListHead;

    private ThreadLocalStorage(
            Field linkMapModid,
            Field linkMapTlsOffset,
            Field pthreadDtvp,
            Field dtvSlots,
            Field dtvCounter,
            Field dtvPointer,
            Field slotinfoListLen,
            Field slotinfoListNext,
            Field slotinfoListSlots,
            Field slotinfoGen,
            Optional<Long> slotinfoListHead) {
        this.linkMapModid = linkMapModid;
        this.linkMapTlsOffset = linkMapTlsOffset;
        this.pthreadDtvp = pthreadDtvp;
        this.dtvSlots = dtvSlots;
        this.dtvCounter = dtvCounter;
        this.dtvPointer = dtvPointer;
        this.slotinfoListLen = slotinfoListLen;
        this.slotinfoListNext = slotinfoListNext;
        this.slotinfoListSlots = slotinfoListSlots;
        this.slotinfoGen = slotinfoGen;
        this.slotinfoListHead = slotinfoListHead;
    }

    /**
     * The layout from glibc's descriptors, found by name in {@code symbols} and read through {@code memory}; the
     * reason when the process's glibc does not export them (or they are unreadable).
     */
    public static ThreadLocalStorage of(SymbolIndex symbols, CoreMemory memory) throws UnavailableException {
        Optional<Long> head = symbols.lookup("_rtld_global")
                .flatMap(rtld -> optionalField(symbols, memory, "rtld_global__dl_tls_dtv_slotinfo_list")
                        .map(f -> rtld.address() + f.offset()))
                .or(() -> symbols.lookup("_dl_tls_dtv_slotinfo_list").map(Symbol::address));
        return new ThreadLocalStorage(
                field(symbols, memory, "link_map_l_tls_modid"),
                field(symbols, memory, "link_map_l_tls_offset"),
                field(symbols, memory, "pthread_dtvp"),
                field(symbols, memory, "dtv_dtv"),
                field(symbols, memory, "dtv_t_counter"),
                field(symbols, memory, "dtv_t_pointer_val"),
                field(symbols, memory, "dtv_slotinfo_list_len"),
                field(symbols, memory, "dtv_slotinfo_list_next"),
                field(symbols, memory, "dtv_slotinfo_list_slotinfo"),
                field(symbols, memory, "dtv_slotinfo_gen"),
                head);
    }

    private static Field field(SymbolIndex symbols, CoreMemory memory, String name) throws UnavailableException {
        return optionalField(symbols, memory, name)
                .orElseThrow(() -> new UnavailableException(
                        UnavailableException.UNKNOWN,
                        "glibc's TLS descriptor _thread_db_" + name
                                + " is not found or not readable (a libc without libthread_db support, or missing)"));
    }

    private static Optional<Field> optionalField(SymbolIndex symbols, CoreMemory memory, String name) {
        return symbols.lookup("_thread_db_" + name)
                .flatMap(s -> memory.read(s.address(), 12))
                .map(b -> new Field(b.getInt(), b.getInt(), b.getInt()))
                .filter(f -> f.bits() == 32 || f.bits() == 64 || f.bits() == 128);
    }

    /**
     * The address of the byte at {@code offset} in the TLS block of the module whose link_map is at
     * {@code linkMap} (0: the executable of a static program, module 1), for the thread whose thread pointer
     * (fs_base) is {@code threadPointer}.
     */
    public long address(CoreMemory memory, long threadPointer, long linkMap, long offset) throws UnavailableException {
        long modid = linkMap == 0 ? 1 : linkMapModid.read(memory, linkMap, 0, "link_map.l_tls_modid");
        if (modid == 0) {
            throw new UnavailableException(
                    UnavailableException.NO_TLS,
                    "the module of link_map 0x" + Long.toHexString(linkMap) + " has no thread-local storage");
        }
        long dtv = pthreadDtvp.read(memory, threadPointer, 0, "the thread's dtv pointer");
        long generation = dtvCounter.read(memory, dtv, 0, "the dtv generation");
        if (slotinfoListHead.isPresent()) {
            long moduleGeneration = moduleGeneration(memory, slotinfoListHead.get(), modid);
            if (generation >= moduleGeneration) {
                long block = dtvPointer.read(memory, dtv + (long) (dtvSlots.bits() / 8) * modid, 0, "dtv slot");
                if (block != DTV_UNALLOCATED && (block & 1) == 0) {
                    return block + offset;
                }
            }
        }
        // Not (yet) in this thread's dtv: a module of the static TLS area is still at its fixed offset below the
        // thread pointer (x86-64 puts the TCB at the thread pointer).
        if (linkMap != 0) {
            long tlsOffset = linkMapTlsOffset.read(memory, linkMap, 0, "link_map.l_tls_offset");
            if (tlsOffset != NO_TLS_OFFSET && tlsOffset != FORCED_DYNAMIC_TLS_OFFSET) {
                return threadPointer - tlsOffset + offset;
            }
        } else if (slotinfoListHead.isEmpty()) {
            long block = dtvPointer.read(memory, dtv + dtvSlots.bits() / 8, 0, "dtv slot 1");
            if (block != DTV_UNALLOCATED && (block & 1) == 0) {
                return block + offset;
            }
        }
        throw new UnavailableException(
                UnavailableException.NOT_ALLOCATED,
                "the thread has not allocated the TLS block of module " + modid + " yet");
    }

    /** The generation at which module {@code modid} was last (re)loaded, from the slotinfo lists. */
    private long moduleGeneration(CoreMemory memory, long headAddress, long modid) throws UnavailableException {
        long list = readPointer(memory, headAddress);
        long index = modid;
        for (int lists = 0; list != 0 && lists < MAX_SLOTINFO_LISTS; lists++) {
            long length = slotinfoListLen.read(memory, list, 0, "dtv_slotinfo_list.len");
            if (index < length) {
                long entry = list + slotinfoListSlots.offset() + index * (slotinfoListSlots.bits() / 8);
                return slotinfoGen.read(memory, entry, 0, "dtv_slotinfo.gen");
            }
            index -= length;
            list = slotinfoListNext.read(memory, list, 0, "dtv_slotinfo_list.next");
        }
        throw new UnavailableException(
                UnavailableException.NOT_ALLOCATED,
                "module " + modid + " is not in the dynamic linker's slotinfo list");
    }

    private static long readPointer(CoreMemory memory, long address) throws UnavailableException {
        return memory.readLong(address)
                .orElseThrow(() -> new UnavailableException(
                        UnavailableException.UNKNOWN,
                        "the slotinfo list head at 0x" + Long.toHexString(address) + " is not readable"));
    }
}
