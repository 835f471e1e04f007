package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.elfcore.ProcessInfo;
import io.coredumptools.emulator.memory.ImageRegion;
import io.coredumptools.emulator.unicorn.MemoryProtection;
import io.coredumptools.rsp.target.LldbTarget;
import io.coredumptools.rsp.target.StopEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lldb's extensions over the emulator: memory regions with lldb's names, {@code _M}/{@code _m} allocations,
 * QSaveRegisterState/QRestoreRegisterState (each pair also a call bracket for the {@link ImageRestorer}; when the
 * call was lldb's own {@code mmap}, the mapping it returned is kept across restores), and where r_debug's
 * pointer lives.
 */
final class LldbSupport implements LldbTarget {
    private static final Logger log = LoggerFactory.getLogger(LldbSupport.class);
    /** lldb nests a save per expression in progress; more than this are abandoned ones. */
    static final int MAX_SAVED_STATES = 64;

    private static final long DT_NULL = 0;
    private static final long DT_DEBUG = 21;
    private static final int MAX_DYNAMIC_ENTRIES = 512;

    private record SavedState(int thread, byte[] registers, byte[] siginfo, StopEvent lastStop, int lastStopThread) {}

    private final LoadedCore core;
    private final SessionEngine engine;
    private final ThreadStates states;
    private final ImageRestorer restorer;
    private final EmulatorControls controls;
    private final EmulatedMemory memory;
    /** By id, oldest first. */
    private final Map<Integer, SavedState> savedStates = new TreeMap<>();

    private int nextSaveId = 1;
    private TreeMap<Long, MemoryRegion> coreRegions;
    private Set<Long> mmapAddresses;

    LldbSupport(
            LoadedCore core,
            SessionEngine engine,
            ThreadStates states,
            ImageRestorer restorer,
            EmulatorControls controls,
            EmulatedMemory memory) {
        this.core = core;
        this.engine = engine;
        this.states = states;
        this.restorer = restorer;
        this.controls = controls;
        this.memory = memory;
    }

    @Override
    public int saveRegisterState(int thread) {
        if (savedStates.size() >= MAX_SAVED_STATES) {
            // Saves lldb never restored (an abandoned expression): forget the oldest.
            savedStates.remove(savedStates.keySet().iterator().next());
        }
        restorer.stateSaved(savedStates.size());
        int id = nextSaveId++;
        savedStates.put(
                id,
                new SavedState(
                        thread,
                        RegisterLayout.readAll(states.registers[thread]),
                        states.siginfo[thread].clone(),
                        states.lastStop,
                        states.lastStopThread));
        states.callEntryPc = -1;
        return id;
    }

    @Override
    public boolean restoreRegisterState(int id) {
        SavedState saved = savedStates.remove(id);
        if (saved == null) {
            return false;
        }
        // Saves made after this one and never restored belong to calls lldb abandoned.
        savedStates.keySet().removeIf(newer -> newer > id);
        keepMmapResult(saved.thread());
        RegisterLayout.writeAll(states.registers[saved.thread()], saved.registers());
        states.siginfo[saved.thread()] = saved.siginfo();
        states.lastStop = saved.lastStop();
        states.lastStopThread = saved.lastStopThread();
        states.setUpThread = -1;
        restorer.stateRestored(savedStates.size());
        states.callEntryPc = -1;
        return true;
    }

    /** Forgets every save (the process was killed). */
    void forgetSavedStates() {
        savedStates.clear();
    }

    private void keepMmapResult(int thread) {
        StopEvent last = states.lastStop;
        if (states.callEntryPc == -1 || last.reason() != StopEvent.Reason.SWBREAK || last.thread() != thread) {
            return;
        }
        if (mmapAddresses == null) {
            mmapAddresses = new HashSet<>();
            for (String name : List.of("mmap", "mmap64", "__mmap", "__mmap64")) {
                core.core().symbols().lookup(name).ifPresent(symbol -> mmapAddresses.add(symbol.address()));
            }
        }
        if (mmapAddresses.contains(states.callEntryPc)) {
            long address = states.registers[thread].general[0];
            if (engine.get().keepMapping(address)) {
                log.debug("lldb's mmap at 0x{} kept across restores", Long.toHexString(address));
            }
        }
    }

    @Override
    public boolean allocationAllowed() {
        return controls.allocationAllowed();
    }

    @Override
    public long allocate(long size, int permissions) {
        return engine.get().allocate(size, permissions);
    }

    @Override
    public boolean deallocate(long address) {
        return engine.ifBuilt().map(e -> e.deallocate(address)).orElse(false); // nothing allocated yet
    }

    @Override
    public MemoryRegion memoryRegion(long address) {
        if (coreRegions == null) {
            coreRegions = coreRegions();
        }
        TreeMap<Long, MemoryRegion> map = new TreeMap<>(coreRegions);
        for (ImageRegion r : engine.ifBuilt().map(e -> e.regions()).orElse(List.of())) {
            if (!r.partOfBase()) {
                map.put(
                        r.start(),
                        new MemoryRegion(
                                r.start(),
                                r.end(),
                                MemoryProtection.toRwx(r.basePerms()).replace("-", ""),
                                ""));
            }
        }
        long gapStart = 0;
        for (MemoryRegion r : map.values()) {
            if (Long.compareUnsigned(address, r.start()) < 0) {
                return new MemoryRegion(gapStart, r.start(), "", "");
            }
            if (Long.compareUnsigned(address, r.end()) < 0) {
                return r.permissions().isEmpty() ? new MemoryRegion(r.start(), r.end(), "-", r.name()) : r;
            }
            // Overlapping segments of a corrupt core must not move the gap backwards.
            gapStart = Long.compareUnsigned(r.end(), gapStart) > 0 ? r.end() : gapStart;
        }
        return new MemoryRegion(gapStart, 0, "", ""); // to the end of the address space
    }

    /** The core's own regions with lldb's names, computed once: lldb asks for a region at every unwind step. */
    private TreeMap<Long, MemoryRegion> coreRegions() {
        TreeMap<Long, MemoryRegion> map = new TreeMap<>(Long::compareUnsigned);
        long vdso = core.core().auxvValue(AuxvEntry.AT_SYSINFO_EHDR).orElse(-1L);
        long sp = core.threads().isEmpty()
                ? -1
                : core.threads().get(0).registers().rsp();
        long interpreter = core.core().auxvValue(AuxvEntry.AT_BASE).orElse(-1L);
        for (LoadSegment segment : core.core().segments()) {
            if (segment.memorySize() <= 0) {
                continue;
            }
            String perms = segment.permissions().replace("-", "");
            String name = "";
            for (FileMapping m : core.core().fileMappings()) {
                if (m.contains(segment.vaddr())) {
                    name = core.lldbRegionName(m.path());
                    break;
                }
            }
            if (segment.vaddr() == vdso) {
                name = "[vdso]";
            } else if (segment.vaddr() == interpreter) {
                // No name at the dynamic linker's base: lldb would load it a second time by that name (beside
                // the library list's entry) and lose its symbols. lldb-on-a-core sees no names at all.
                name = "";
            } else if (name.isEmpty()
                    && Long.compareUnsigned(sp, segment.vaddr()) >= 0
                    && Long.compareUnsigned(sp, segment.end()) < 0) {
                name = "[stack]";
            }
            map.put(segment.vaddr(), new MemoryRegion(segment.vaddr(), segment.end(), perms, name));
        }
        return map;
    }

    @Override
    public long debugPointerAddress() {
        List<LoadedObject> objects = core.core().loadedObjects();
        if (objects.isEmpty()
                || !objects.get(0).name().isEmpty()
                || objects.get(0).dynamic() == 0) {
            return 0;
        }
        long dynamic = objects.get(0).dynamic();
        byte[] bytes = memory.read(dynamic, 16 * MAX_DYNAMIC_ENTRIES);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 16 <= bytes.length; at += 16) {
            long tag = b.getLong(at);
            if (tag == DT_NULL) {
                break;
            }
            if (tag == DT_DEBUG) {
                return dynamic + at + 8;
            }
        }
        return 0;
    }

    @Override
    public ProcessInfo process() {
        return core.core().process().orElse(new ProcessInfo(core.pid(), 0, 0, 0, 0, 0, 'R', "", ""));
    }
}
