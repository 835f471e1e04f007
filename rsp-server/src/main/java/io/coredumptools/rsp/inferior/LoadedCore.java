package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.elfcore.ProcessInfo;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.elfcore.UnusableCoreException;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.emulator.memory.CrashImage;
import io.coredumptools.patches.PatchPlan;
import io.coredumptools.rsp.reply.Xml;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A core loaded once for the server and shared by every connection: the parsed core, the load-time patch plan,
 * and the documents the protocol serves from it (target description, auxv, libraries, memory map, files), and the
 * crash image read-only ({@link #crashImage()}), which answers every session's reads until it needs an engine. A
 * connection that needs one gets its own {@link Emulator} over it ({@link #newEmulator()}).
 */
public final class LoadedCore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadedCore.class);

    private final CoreDump core;
    private final EmulatorOptions options;
    private final int pid;
    private final String processName;
    private final byte[] auxv;
    private final byte[] librariesXml;
    private final byte[] memoryMapXml;
    private final byte[] librariesXmlForLldb;
    private final java.util.Map<String, String> lldbRegionNames;
    private final Optional<String> executablePath;
    private final HostFiles hostFiles;
    private final CrashImage crashImage;
    private final AtomicLong enginesMade = new AtomicLong();

    /**
     * The load-time patches, decided on a thread of their own while the server already answers: planning runs the
     * IFUNC resolvers in a first engine (loading unicorn, capstone and the emulator, mapping the image), about 0.3 s
     * of a cold start's CPU that no read needs (issue 13), or read from {@link #planCache}. Completes with the engine
     * that planned them (null for a kept plan); whatever needs the plan or an engine waits for it.
     */
    private final CompletableFuture<Emulator> planning = new CompletableFuture<>();

    private final PatchPlanCache planCache;

    /** Whether the plan was read from {@link #planCache} (set before {@link #planning} completes). */
    private volatile boolean planFromCache;

    /** Set once {@link #planning} completed: the plan and the patches a debugger must not see. */
    private volatile Planned planned;

    private record Planned(PatchPlan plan, PatchedLocations locations) {}

    /**
     * The engine that decided the patches, kept for the first connection: closing it unmaps the whole image, which
     * is unicorn's tb_flush_jmp_cache over every page (0.22 s at 8 GiB, 0.67 s at 24 GiB, measured for issue 13),
     * and the first connection would then map it all again. It is at the crash image with the patches applied,
     * as a new engine is.
     */
    private final AtomicReference<Emulator> planningEngine = new AtomicReference<>();

    private LoadedCore(CoreDump core, EmulatorOptions options, PatchPlanCache planCache) {
        this.core = core;
        this.options = options;
        this.planCache = planCache;
        ProcessInfo process = core.process().orElse(null);
        this.pid = process != null
                ? process.pid()
                : (core.threads().isEmpty() ? 1 : core.threads().get(0).tid());
        this.processName = process != null && !process.fileName().isEmpty() ? process.fileName() : "core";
        this.auxv = auxvBytes(core.auxv());
        this.librariesXml = librariesXml(core);
        this.memoryMapXml = memoryMapXml(core);
        this.librariesXmlForLldb = librariesXmlForLldb(core);
        this.lldbRegionNames = lldbRegionNames(core);
        this.executablePath = core.executable().map(ResolvedFile::recordedPath);
        this.hostFiles = new HostFiles(core, pid);
        try {
            this.crashImage = CrashImage.of(core);
        } catch (RuntimeException e) {
            // open() closes the core; a catalog attach that fails must not leak the host files either.
            hostFiles.close();
            throw e;
        }
    }

    /**
     * Runs on the planning thread: the plan kept in {@link #planCache} for this very core and its files, else the
     * first engine, which decides the patches (and is kept for the first connection).
     */
    private void planPatches() {
        try {
            prepareAttachDocuments();
            planOrLoadPatches();
        } catch (Throwable e) {
            // Whatever went wrong, everything that waits for the plan (requests, close) must be let go.
            fail(e);
        }
    }

    private void planOrLoadPatches() {
        long started = System.nanoTime();
        Emulator first = null;
        try {
            Optional<String> key = planCache.key(core, options);
            Optional<PatchPlan> cached = key.flatMap(k -> planCache.load(k, core));
            if (cached.isPresent()) {
                planFromCache = true;
                planned = new Planned(cached.get(), new PatchedLocations(cached.get(), crashImage));
                log.info(
                        "{}: {} load-time patches, from the cache {} in {} ms",
                        core.path(),
                        cached.get().patches().size(),
                        planCache.file(key.get()).orElseThrow(),
                        (System.nanoTime() - started) / 1_000_000);
                planning.complete(null);
                return;
            }
            first = Emulator.openShared(core, null, options);
            PatchPlan plan = first.patches();
            // The engine first: a newEmulator() that sees the plan must find the engine too.
            planningEngine.set(first);
            planned = new Planned(plan, new PatchedLocations(plan, crashImage));
            log.info(
                    "{}: {} load-time patches, planned in {} ms",
                    core.path(),
                    plan.patches().size(),
                    (System.nanoTime() - started) / 1_000_000);
            planning.complete(first);
            key.ifPresent(k -> planCache.store(k, plan));
        } catch (RuntimeException | Error e) {
            if (planning.isDone()) {
                return; // after the plan was handed over: nothing is lost
            }
            fail(e);
            if (first != null && planningEngine.compareAndSet(first, null)) {
                try {
                    first.close();
                } catch (Throwable closing) {
                    log.debug("{}: closing the planning engine: {}", core.path(), closing.toString());
                }
            }
        }
    }

    /** The plan cannot be made: said once, and every request that needs it fails with the reason. */
    private void fail(Throwable e) {
        if (planning.isDone()) {
            return;
        }
        log.warn(
                "{}: the load-time patches could not be planned, so nothing can run in this core (reads still work): "
                        + "{}",
                core.path(),
                e.getMessage() == null ? e.toString() : e.getMessage());
        planning.completeExceptionally(e);
    }

    /** While the debugger starts: the documents it reads first (a failure is the request's, when it comes). */
    private void prepareAttachDocuments() {
        try {
            if (!core.threads().isEmpty()) {
                hostFiles.prepareAttachDocuments(pid, core.threads().get(0).tid());
            }
        } catch (RuntimeException e) {
            log.debug("{}: attach documents not prepared: {}", core.path(), e.toString());
        }
    }

    /**
     * Opens the core and starts deciding the load-time patches (running the IFUNC resolvers in a first engine) on a
     * thread of its own: reads are answered meanwhile; {@link #plan()}, {@link #newEmulator()} and what needs them
     * wait. A core no code can run on (no thread, a segment that is not whole pages, ...) is refused here, as before.
     */
    public static LoadedCore open(Path path, EmulatorOptions options) throws CoreFormatException {
        return open(path, options, LoadedCore::startPlanningThread, PatchPlanCache.userCache(System.getenv()));
    }

    /**
     * {@link #open(Path, EmulatorOptions)} with the planning run by {@code planning} (tests hold it back) and plans
     * kept in {@code planCache}.
     */
    static LoadedCore open(Path path, EmulatorOptions options, Executor planning, PatchPlanCache planCache)
            throws CoreFormatException {
        CoreDump core = CoreDump.open(path, options.core());
        try {
            core.checkUsableForExecution();
        } catch (CoreFormatException e) {
            core.close();
            throw new UnusableCoreException(e);
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        LoadedCore loaded;
        try {
            loaded = new LoadedCore(core, options, planCache);
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        try {
            planning.execute(loaded::planPatches);
        } catch (RuntimeException | Error e) {
            // No thread to plan on (out of threads): nothing may wait for a plan that never comes.
            loaded.fail(e);
            loaded.close();
            throw e;
        }
        return loaded;
    }

    private static void startPlanningThread(Runnable planning) {
        Thread thread = new Thread(planning, "corestub-patch-planning");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * An engine of its own for one connection, starting at the crash image: the engine that decided the patches
     * for the first caller, a new one for every other. Waits for the planning.
     */
    public Emulator newEmulator() {
        awaitPlanning();
        enginesMade.incrementAndGet();
        Emulator spare = planningEngine.getAndSet(null);
        if (spare != null) {
            spare.restoreCrashImage();
            return spare;
        }
        return Emulator.openShared(core, plan(), options);
    }

    /**
     * The planning's outcome, once it is done. Its failure (an unusable core, no libunicorn) is thrown to each
     * request that needs an engine, as the failure of that request, naming the core.
     */
    private Planned awaitPlanning() {
        Planned done = planned;
        if (done != null) {
            return done;
        }
        try {
            planning.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(
                    core.path() + ": the load-time patches could not be planned: "
                            + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
                    cause);
        }
        return planned;
    }

    /** Whether the patches came from the plan cache rather than a planning engine (waits for the planning). */
    boolean planFromCache() {
        awaitPlanning();
        return planFromCache;
    }

    /** How many engines {@link #newEmulator()} handed out: sessions that only read make none. */
    public long enginesMade() {
        return enginesMade.get();
    }

    /** The crash image without the load-time patches, shared and read-only: what sessions read before an engine. */
    public CrashImage crashImage() {
        return crashImage;
    }

    /** The load-time patches an engine holds and a debugger must not see (waits for the planning). */
    PatchedLocations patchedLocations() {
        return awaitPlanning().locations();
    }

    public CoreDump core() {
        return core;
    }

    public EmulatorOptions options() {
        return options;
    }

    /** The load-time patches (waits for the planning). */
    public PatchPlan plan() {
        return awaitPlanning().plan();
    }

    public int pid() {
        return pid;
    }

    public String processName() {
        return processName;
    }

    public List<ThreadState> threads() {
        return core.threads();
    }

    public byte[] auxv() {
        return auxv;
    }

    public byte[] librariesXml() {
        return librariesXml;
    }

    /** The library list for lldb: see {@link #librariesXmlForLldb(CoreDump)}. */
    public byte[] librariesXmlForLldb() {
        return librariesXmlForLldb;
    }

    public byte[] memoryMapXml() {
        return memoryMapXml;
    }

    /** The executable's path as the process knew it (served through vFile). */
    public Optional<String> executablePath() {
        return executablePath;
    }

    public HostFiles hostFiles() {
        return hostFiles;
    }

    /** The crash signal: NT_SIGINFO's, else the first thread's pr_cursig. */
    public int crashSignal() {
        if (core.signal().isPresent()) {
            return core.signal().get().signo();
        }
        return core.threads().isEmpty() ? 0 : core.threads().get(0).signal();
    }

    /** {@code pid 1234, SIGABRT, 2 threads, /tmp/demo} */
    public String summary() {
        int signal = crashSignal();
        String exe = core.executable()
                .map(f -> f.path().map(Path::toString).orElse(f.recordedPath() + " (missing)"))
                .orElse("(executable unknown)");
        return "pid " + pid + ", " + (signal == 0 ? "no signal" : io.coredumptools.elfcore.abi.Signals.name(signal))
                + ", " + core.threads().size() + (core.threads().size() == 1 ? " thread, " : " threads, ") + exe;
    }

    /** NT_AUXV as the kernel wrote it: (type, value) pairs, ending with AT_NULL. */
    static byte[] auxvBytes(List<AuxvEntry> entries) {
        ByteBuffer b = ByteBuffer.allocate(16 * (entries.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (AuxvEntry e : entries) {
            if (e.type() == AuxvEntry.AT_NULL) {
                break;
            }
            b.putLong(e.type()).putLong(e.value());
        }
        b.putLong(0).putLong(0);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** gdbserver's svr4 library list: the link_map entries, the main program's as main-lm. */
    static byte[] librariesXml(CoreDump core) {
        List<LoadedObject> objects = core.loadedObjects();
        return Xml.document(false, null, xml -> {
            xml.writeStartElement("library-list-svr4");
            xml.writeAttribute("version", "1.0");
            if (!objects.isEmpty() && objects.get(0).name().isEmpty()) {
                xml.writeAttribute(
                        "main-lm", "0x" + Long.toHexString(objects.get(0).linkMapAddress()));
            }
            for (int i = 0; i < objects.size(); i++) {
                LoadedObject o = objects.get(i);
                if (i == 0 && o.name().isEmpty()) {
                    continue;
                }
                library(xml, o.name(), o, true);
            }
            xml.writeEndElement();
        });
    }

    /**
     * The svr4 library list as lldb reads it: no {@code main-lm} (lldb would take the main link_map for the
     * address of the r_debug pointer), and the main program listed first under its file's path, so that lldb
     * (which loads every listed object and makes the executable one its target's executable) finds the
     * program without {@code target create} and without a live process of that pid. Paths are where the
     * server found each file (--sysroot/--map applied), else as recorded.
     */
    static byte[] librariesXmlForLldb(CoreDump core) {
        return librariesXmlForLldb(core, true);
    }

    /**
     * @param withMainProgram whether the main program is listed (lldb-server never lists it; an ET_EXEC one must
     *     be listed only in the first document of a connection, see {@link CoreDocuments})
     */
    static byte[] librariesXmlForLldb(CoreDump core, boolean withMainProgram) {
        List<LoadedObject> objects = core.loadedObjects();
        long vdso = core.auxvValue(AuxvEntry.AT_SYSINFO_EHDR).orElse(-1L);
        return Xml.document(false, null, xml -> {
            xml.writeStartElement("library-list-svr4");
            xml.writeAttribute("version", "1.0");
            for (int i = 0; i < objects.size(); i++) {
                LoadedObject o = objects.get(i);
                if (!withMainProgram && i == 0 && o.name().isEmpty()) {
                    continue;
                }
                String name = lldbName(core, o, i, vdso);
                if (!name.isEmpty()) {
                    library(xml, name, o, false);
                }
            }
            xml.writeEndElement();
        });
    }

    /** One {@code <library …/>} element (gdbserver adds lmid). */
    private static void library(XMLStreamWriter xml, String name, LoadedObject o, boolean lmid)
            throws XMLStreamException {
        xml.writeEmptyElement("library");
        xml.writeAttribute("name", name);
        xml.writeAttribute("lm", "0x" + Long.toHexString(o.linkMapAddress()));
        xml.writeAttribute("l_addr", "0x" + Long.toHexString(o.loadBias()));
        xml.writeAttribute("l_ld", "0x" + Long.toHexString(o.dynamic()));
        if (lmid) {
            xml.writeAttribute("lmid", "0x0");
        }
    }

    /**
     * The name lldb gets for a loaded object: the executable's path for the main program, {@code [vdso]} for
     * the vDSO (lldb reads it from memory), else where the server found the file, else the recorded name.
     */
    private static String lldbName(CoreDump core, LoadedObject o, int index, long vdso) {
        if (index == 0 && o.name().isEmpty()) {
            return core.executable()
                    .map(exe -> exe.path().map(Path::toString).orElse(exe.recordedPath()))
                    .orElse("");
        }
        if (vdso != -1
                && (o.loadBias() == vdso
                        || o.name().startsWith("linux-vdso")
                        || o.name().startsWith("linux-gate"))) {
            return "[vdso]";
        }
        return core.file(o.name())
                .flatMap(ResolvedFile::path)
                .map(Path::toString)
                .orElse(o.name());
    }

    /**
     * The name a file-backed region gets in qMemoryRegionInfo for lldb: the name the library list gives the
     * same file (lldb loads an object by both and must see one module), else the NT_FILE path.
     */
    public String lldbRegionName(String mappedPath) {
        return lldbRegionNames.getOrDefault(mappedPath, mappedPath);
    }

    private static java.util.Map<String, String> lldbRegionNames(CoreDump core) {
        java.util.Map<String, String> byRealPath = new java.util.HashMap<>();
        List<LoadedObject> objects = core.loadedObjects();
        long vdso = core.auxvValue(AuxvEntry.AT_SYSINFO_EHDR).orElse(-1L);
        for (int i = 0; i < objects.size(); i++) {
            String name = lldbName(core, objects.get(i), i, vdso);
            if (name.startsWith("[")) {
                continue;
            }
            realPath(Path.of(name)).ifPresent(real -> byRealPath.putIfAbsent(real, name));
        }
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (FileMapping m : core.fileMappings()) {
            core.file(m.path())
                    .flatMap(ResolvedFile::path)
                    .or(() -> Optional.of(Path.of(m.path())))
                    .flatMap(LoadedCore::realPath)
                    .map(byRealPath::get)
                    .ifPresent(name -> names.put(m.path(), name));
        }
        return names;
    }

    private static Optional<String> realPath(Path path) {
        try {
            return Optional.of(path.toRealPath().toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The top of user space: calls map memory anywhere below it (brk after the executable, mmap in a free window), and
     * gdb reads the map once, at connect, then refuses every access outside it.
     */
    static final long USER_SPACE_END = 0x7fff_ffff_f000L;

    /**
     * Every address range the core has memory for (its segments and mapped files), merged, as RAM, with the user
     * address space below {@link #USER_SPACE_END} where calls create memory (a brk heap, an mmap): gdb must be able to
     * read and write what a call mapped, such as the malloc'd room of a string literal. Unmapped addresses in it get an
     * error reply, as from gdbserver, which sends no map.
     */
    static byte[] memoryMapXml(CoreDump core) {
        List<long[]> ranges = new ArrayList<>();
        ranges.add(new long[] {0, USER_SPACE_END});
        for (LoadSegment s : core.segments()) {
            if (s.memorySize() > 0) {
                ranges.add(new long[] {s.vaddr(), s.end()});
            }
        }
        for (FileMapping m : core.fileMappings()) {
            if (m.size() > 0) {
                ranges.add(new long[] {m.start(), m.end()});
            }
        }
        ranges.sort((a, b) -> a[0] != b[0] ? Long.compareUnsigned(a[0], b[0]) : Long.compareUnsigned(a[1], b[1]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            if (!merged.isEmpty() && Long.compareUnsigned(r[0], merged.get(merged.size() - 1)[1]) <= 0) {
                long[] last = merged.get(merged.size() - 1);
                if (Long.compareUnsigned(r[1], last[1]) > 0) {
                    last[1] = r[1];
                }
            } else {
                merged.add(r.clone());
            }
        }
        return Xml.document(
                true,
                "<!DOCTYPE memory-map PUBLIC \"+//IDN gnu.org//DTD GDB Memory Map V1.0//EN\" "
                        + "\"http://sourceware.org/gdb/gdb-memory-map.dtd\">",
                xml -> {
                    xml.writeStartElement("memory-map");
                    xml.writeCharacters("\n");
                    for (long[] r : merged) {
                        xml.writeEmptyElement("memory");
                        xml.writeAttribute("type", "ram");
                        xml.writeAttribute("start", "0x" + Long.toHexString(r[0]));
                        xml.writeAttribute("length", "0x" + Long.toHexString(r[1] - r[0]));
                        xml.writeCharacters("\n");
                    }
                    xml.writeEndElement();
                });
    }

    @Override
    public void close() {
        // The planning engine maps the image from the core: it is done (or failed) before the core closes.
        planning.handle((engine, failure) -> null).join();
        Emulator spare = planningEngine.getAndSet(null);
        if (spare != null) {
            spare.close();
        }
        hostFiles.close();
        crashImage.close();
        core.close();
    }
}
