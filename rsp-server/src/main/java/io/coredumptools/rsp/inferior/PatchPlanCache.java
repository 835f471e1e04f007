package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.files.ResolvedFile;
import io.coredumptools.elfcore.symbols.ElfSymbolIndex;
import io.coredumptools.elfcore.symbols.ModuleImage;
import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.EmulatorOptions;
import io.coredumptools.patches.CpuFeaturesBlock;
import io.coredumptools.patches.GlibcPatches;
import io.coredumptools.patches.IfuncRedirect;
import io.coredumptools.patches.IfuncSite;
import io.coredumptools.patches.LazySlot;
import io.coredumptools.patches.LockPolicy;
import io.coredumptools.patches.Patch;
import io.coredumptools.patches.PatchPlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load-time patch plans kept on disk, so that serving the same core again plans nothing (no first engine, no IFUNC
 * runs: about 0.3 s of CPU at every start, issue 13). A plan is a function of the core's memory, the files the core
 * maps as found on this machine, the lock-bypass option and the planner's code; the key is a SHA-256 of all of
 * them: the core file's real path, size, modification time, file key and first 64 KiB (its headers and notes; a
 * local, complete core only), every mapped file's resolved path, size, modification time, file key and both
 * build-ids (the core's and the file's), the option, and the jars (or class files) of the planner by the same. Anything changed (a rebuilt
 * program, another libc, --sysroot, a new corestub) is another key, so a plan is never used for what it was not
 * made for; a different crash of the same program is another core, planned once.
 *
 * <p>Files live under {@code $XDG_CACHE_HOME/coredump-tools/patch-plans/} (else {@code
 * ~/.cache/coredump-tools/patch-plans/}), one per key, written to a temporary file and moved into place; one that
 * cannot be read (truncated, another format, a checksum that does not match) is ignored with a WARN and replaced.
 * {@code CORESTUB_PLAN_CACHE=0} turns the cache off.
 */
final class PatchPlanCache {
    private static final Logger log = LoggerFactory.getLogger(PatchPlanCache.class);

    /** The first bytes of a file; a change of the layout below changes it. */
    private static final String MAGIC = "corestub-patch-plan 1\n";

    private static final int CORE_HEAD = 64 << 10;

    /** Plans kept at most (tens of KiB each). */
    static final int MAX_FILES = 256;

    private final Optional<Path> directory;
    private static final AtomicBoolean unwritableReported = new AtomicBoolean();

    private PatchPlanCache(Optional<Path> directory) {
        this.directory = directory;
    }

    /** The cache in {@code directory} (created when first written). */
    static PatchPlanCache at(Path directory) {
        return new PatchPlanCache(Optional.of(directory));
    }

    /** No cache: every core is planned. */
    static PatchPlanCache off() {
        return new PatchPlanCache(Optional.empty());
    }

    /** The user's cache (see the class comment), or off when CORESTUB_PLAN_CACHE=0 or there is no home. */
    static PatchPlanCache userCache(Map<String, String> env) {
        if ("0".equals(env.get("CORESTUB_PLAN_CACHE"))) {
            return off();
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return at(Path.of(xdg, "coredump-tools", "patch-plans"));
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || home.equals("?")) {
            return off();
        }
        return at(Path.of(home, ".cache", "coredump-tools", "patch-plans"));
    }

    /** The file a key's plan is kept in. */
    Optional<Path> file(String key) {
        return directory.map(d -> d.resolve(key + ".plan"));
    }

    /**
     * The key of {@code core}'s plan with {@code options}; empty when the cache is off or the core is not a complete
     * local file (a remote core's local copy changes as it is fetched).
     */
    Optional<String> key(CoreDump core, EmulatorOptions options) {
        if (directory.isEmpty() || !core.source().isComplete()) {
            return Optional.empty();
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream key = new DataOutputStream(bytes);
            key.writeUTF(MAGIC);
            key.writeBoolean(options.lockBypass());
            for (Class<?> planner : List.of(GlibcPatches.class, Emulator.class, CoreDump.class, PatchPlanCache.class)) {
                writeCode(key, planner);
            }
            writeFile(key, core.path());
            writeHead(key, core.path());
            TreeMap<String, ResolvedFile> files = new TreeMap<>();
            core.executable().ifPresent(exe -> files.put(exe.recordedPath(), exe));
            for (FileMapping mapping : core.fileMappings()) {
                core.file(mapping.path()).ifPresent(file -> files.put(mapping.path(), file));
            }
            for (ResolvedFile file : files.values()) {
                key.writeUTF(file.recordedPath());
                key.writeUTF(file.resolution().name());
                key.writeUTF(file.coreBuildId().orElse("-"));
                key.writeUTF(file.fileBuildId().orElse("-"));
                if (file.path().isPresent()) {
                    writeFile(key, file.path().get());
                } else {
                    key.writeUTF("(missing)");
                }
            }
            writeDebugFiles(key, core);
            key.flush();
            return Optional.of(HexFormat.of().formatHex(sha.digest(bytes.toByteArray())));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            log.debug("{}: no patch-plan cache key: {}", core.path(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * The separate debug file of every module, or that it has none: the planner looks symbols up in them (a static
     * program's CPU-features block, the lock entry points), so a debug file installed or passed with --debug-dir
     * later is another plan. Reads the modules' symbol tables, on the planning thread.
     */
    private static void writeDebugFiles(DataOutputStream key, CoreDump core) throws IOException {
        if (!(core.symbols() instanceof ElfSymbolIndex index)) {
            throw new IOException(
                    "symbols of another kind: " + core.symbols().getClass().getName());
        }
        for (ModuleImage module : index.modules()) {
            key.writeUTF(module.recordedPath());
            Optional<Path> debugFile = index.debugFile(module);
            if (debugFile.isPresent()) {
                writeFile(key, debugFile.get());
            } else {
                key.writeUTF("(no debug file)");
            }
        }
    }

    /** A file by its real path, size, modification time and file key (inode). */
    private static void writeFile(DataOutputStream key, Path path) throws IOException {
        Path real = path.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        key.writeUTF(real.toString());
        key.writeLong(attributes.size());
        key.writeUTF(attributes.lastModifiedTime().toInstant().toString());
        key.writeUTF(String.valueOf(attributes.fileKey()));
    }

    /**
     * The first {@link #CORE_HEAD} bytes of the core: its ELF and program headers and, in the cores Linux and gdb
     * write, its notes (threads' registers, pids, auxv, the mapped files): another crash written at the same path
     * with the same size within one timestamp tick still differs there.
     */
    private static void writeHead(DataOutputStream key, Path core) throws IOException {
        try (var in = Files.newInputStream(core)) {
            byte[] head = in.readNBytes(CORE_HEAD);
            key.writeInt(head.length);
            key.write(head);
        }
    }

    /** The code of {@code type}: its jar, or every class file under its package when it runs from a directory. */
    private static void writeCode(DataOutputStream key, Class<?> type) throws IOException {
        Path location;
        try {
            location = Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("no code location of " + type.getName(), e);
        }
        if (Files.isRegularFile(location)) {
            writeFile(key, location);
            return;
        }
        Path packageDirectory = location.resolve(type.getPackageName().replace('.', '/'));
        try (Stream<Path> classes = Files.walk(packageDirectory)) {
            for (Path file : classes.filter(Files::isRegularFile).sorted().toList()) {
                writeFile(key, file);
            }
        }
    }

    /** The plan kept under {@code key}, when there is one that reads back whole; a damaged one is reported. */
    Optional<PatchPlan> load(String key, CoreDump core) {
        Optional<Path> file = file(key);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.get());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("patch-plan cache {} cannot be read, planning again: {}", file.get(), e.toString());
            return Optional.empty();
        }
        try {
            PatchPlan plan = decode(bytes, key, core);
            try {
                Files.setLastModifiedTime(file.get(), java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
            } catch (IOException | RuntimeException e) {
                log.debug("patch-plan cache {}: not touched: {}", file.get(), e.toString());
            }
            return Optional.of(plan);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "patch-plan cache {} is damaged or of another format, ignored (the patches are planned again "
                            + "and the file replaced): {}",
                    file.get(),
                    e.getMessage() == null ? e.toString() : e.getMessage());
            return Optional.empty();
        }
    }

    /** Keeps {@code plan} under {@code key}: a temporary file moved into place, so readers see all of it or none. */
    void store(String key, PatchPlan plan) {
        Optional<Path> file = file(key);
        if (file.isEmpty()) {
            return;
        }
        Path temporary = null;
        try {
            Files.createDirectories(file.get().getParent());
            temporary = Files.createTempFile(file.get().getParent(), key, ".tmp");
            Files.write(temporary, encode(plan, key));
            try {
                Files.move(temporary, file.get(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file.get(), StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
            prune(file.get().getParent());
        } catch (IOException | RuntimeException e) {
            // Once per process: a read-only home would repeat it at every core of a catalog.
            if (unwritableReported.compareAndSet(false, true)) {
                log.warn(
                        "patch-plan cache {} cannot be written (each start plans again; CORESTUB_PLAN_CACHE=0 turns the "
                                + "cache off): {}",
                        file.get(),
                        e.toString());
            } else {
                log.debug("patch-plan cache {} cannot be written: {}", file.get(), e.toString());
            }
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a stray temporary file in the cache directory is harmless
                }
            }
        }
    }

    /**
     * At most {@link #MAX_FILES} plans: the least recently used go (a hit touches its file); plans of one timestamp
     * are ordered by name, so none escapes the count. Temporary files older than a minute are a killed server's.
     */
    private static void prune(Path directory) throws IOException {
        record Aged(FileTime time, Path file) {}
        List<Aged> plans = new ArrayList<>();
        FileTime staleTemporary = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                try {
                    FileTime time = Files.getLastModifiedTime(file);
                    if (name.endsWith(".plan")) {
                        plans.add(new Aged(time, file));
                    } else if (name.endsWith(".tmp") && time.compareTo(staleTemporary) < 0) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException gone) {
                    // removed meanwhile (another server pruning)
                }
            }
        }
        if (plans.size() <= MAX_FILES) {
            return;
        }
        plans.sort(Comparator.comparing(Aged::time).thenComparing(Aged::file));
        for (Aged old : plans.subList(0, plans.size() - MAX_FILES)) {
            Files.deleteIfExists(old.file());
        }
    }

    // ---- the file: MAGIC, the key, the plan, then a SHA-256 of everything before it -----------------------------

    static byte[] encode(PatchPlan plan, String key) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeUTF(key);
        out.writeInt(plan.patches().size());
        for (Patch p : plan.patches()) {
            out.writeUTF(p.kind().name());
            out.writeLong(p.address());
            writeBytes(out, p.oldBytes());
            writeBytes(out, p.newBytes());
            out.writeUTF(p.location());
            out.writeUTF(p.from());
            out.writeUTF(p.to());
            out.writeUTF(p.reason());
        }
        out.writeInt(plan.ifuncs().size());
        for (IfuncRedirect r : plan.ifuncs()) {
            out.writeLong(r.resolver());
            out.writeUTF(r.resolverName());
            writeOptionalLong(out, r.chosen());
            out.writeUTF(r.chosenName());
            writeOptionalLong(out, r.baseline());
            out.writeUTF(r.baselineName());
            out.writeInt(r.sites().size());
            for (IfuncSite s : r.sites()) {
                out.writeUTF(s.kind().name());
                out.writeUTF(s.module());
                out.writeLong(s.slot());
                out.writeLong(s.resolver());
                out.writeUTF(s.symbol());
                writeOptionalLong(out, s.value());
                out.writeBoolean(s.bound());
            }
            out.writeUTF(r.status().name());
            out.writeUTF(r.note());
        }
        out.writeInt(plan.lazySlots().size());
        for (LazySlot s : plan.lazySlots()) {
            out.writeUTF(s.module());
            out.writeLong(s.slot());
            out.writeUTF(s.symbol());
            writeOptionalLong(out, s.value());
            out.writeBoolean(s.bound());
            out.writeBoolean(s.definition().isPresent());
            if (s.definition().isPresent()) {
                out.writeUTF(s.definition().get());
            }
            writeOptionalLong(out, s.target());
            out.writeBoolean(s.ifunc());
        }
        out.writeBoolean(plan.cpuFeatures().isPresent());
        if (plan.cpuFeatures().isPresent()) {
            CpuFeaturesBlock c = plan.cpuFeatures().get();
            out.writeLong(c.address());
            out.writeInt(c.length());
            out.writeUTF(c.container());
            out.writeInt(c.kind());
            out.writeInt(c.maxCpuid());
            out.writeInt(c.family());
            out.writeInt(c.model());
            out.writeInt(c.stepping());
        }
        out.writeBoolean(plan.lockPolicy().bypass());
        out.writeInt(plan.notes().size());
        for (String note : plan.notes()) {
            out.writeUTF(note);
        }
        out.flush();
        out.write(sha256(bytes.toByteArray()));
        out.flush();
        return bytes.toByteArray();
    }

    static PatchPlan decode(byte[] bytes, String key, CoreDump core) throws IOException {
        if (bytes.length < MAGIC.length() + 32) {
            throw new IOException("too short (" + bytes.length + " bytes)");
        }
        byte[] body = java.util.Arrays.copyOf(bytes, bytes.length - 32);
        if (!MessageDigest.isEqual(sha256(body), java.util.Arrays.copyOfRange(bytes, body.length, bytes.length))) {
            throw new IOException("its checksum does not match (truncated or overwritten?)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        byte[] magic = in.readNBytes(MAGIC.length());
        if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new IOException("not a patch plan of this format");
        }
        if (!key.equals(in.readUTF())) {
            throw new IOException("made for another key");
        }
        List<Patch> patches = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            patches.add(new Patch(
                    Patch.Kind.valueOf(in.readUTF()),
                    in.readLong(),
                    readBytes(in),
                    readBytes(in),
                    in.readUTF(),
                    in.readUTF(),
                    in.readUTF(),
                    in.readUTF()));
        }
        List<IfuncRedirect> ifuncs = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            long resolver = in.readLong();
            String resolverName = in.readUTF();
            Optional<Long> chosen = readOptionalLong(in);
            String chosenName = in.readUTF();
            Optional<Long> baseline = readOptionalLong(in);
            String baselineName = in.readUTF();
            List<IfuncSite> sites = new ArrayList<>();
            for (int j = count(in); j > 0; j--) {
                sites.add(new IfuncSite(
                        IfuncSite.Kind.valueOf(in.readUTF()),
                        in.readUTF(),
                        in.readLong(),
                        in.readLong(),
                        in.readUTF(),
                        readOptionalLong(in),
                        in.readBoolean()));
            }
            ifuncs.add(new IfuncRedirect(
                    resolver,
                    resolverName,
                    chosen,
                    chosenName,
                    baseline,
                    baselineName,
                    sites,
                    IfuncRedirect.Status.valueOf(in.readUTF()),
                    in.readUTF()));
        }
        List<LazySlot> slots = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            String module = in.readUTF();
            long slot = in.readLong();
            String symbol = in.readUTF();
            Optional<Long> value = readOptionalLong(in);
            boolean bound = in.readBoolean();
            Optional<String> definition = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
            slots.add(new LazySlot(
                    module, slot, symbol, value, bound, definition, readOptionalLong(in), in.readBoolean()));
        }
        Optional<CpuFeaturesBlock> cpuFeatures = Optional.empty();
        if (in.readBoolean()) {
            cpuFeatures = Optional.of(new CpuFeaturesBlock(
                    in.readLong(),
                    in.readInt(),
                    in.readUTF(),
                    in.readInt(),
                    in.readInt(),
                    in.readInt(),
                    in.readInt(),
                    in.readInt()));
        }
        boolean bypass = in.readBoolean();
        List<String> notes = new ArrayList<>();
        for (int i = count(in); i > 0; i--) {
            notes.add(in.readUTF());
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes after the plan");
        }
        // What GlibcPatches.plan builds the policy from: the option, the core's threads and symbols.
        LockPolicy policy = new LockPolicy(bypass, core.threads(), core.symbols());
        return new PatchPlan(patches, ifuncs, slots, cpuFeatures, policy, notes);
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("a count of " + n + " with " + in.available() + " bytes left");
        }
        return n;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return in.readNBytes(count(in));
    }

    private static void writeOptionalLong(DataOutputStream out, Optional<Long> value) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            out.writeLong(value.get());
        }
    }

    private static Optional<Long> readOptionalLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readLong()) : Optional.empty();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
