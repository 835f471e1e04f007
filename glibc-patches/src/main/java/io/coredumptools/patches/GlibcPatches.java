package io.coredumptools.patches;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.Hex;
import io.coredumptools.elfcore.symbols.Symbol;
import io.coredumptools.elfcore.symbols.SymbolKind;
import io.coredumptools.elfcore.symbols.SymbolLocation;
import io.coredumptools.patches.DynamicObject.Sym;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what the emulator patches in a core's image so glibc's code runs under Unicorn 2.0.1 (SSE up to 4.2;
 * no AVX, no xsave/xsavec/xrstor/xgetbv/movbe):
 * <ol>
 *   <li>IFUNC baseline: every resolver runs twice through the {@link CodeRunner}, as is and with the
 *       cpu_features block zeroed ({@link CpuFeatures}); where the answers differ, the chosen variant's entry
 *       jumps to the baseline one and GOT slots holding it are rewritten.</li>
 *   <li>Lazy binding: every JUMP_SLOT still unbound is bound up front as ld.so would bind it (IFUNC targets to
 *       their baseline variant), so ld.so's {@code _dl_runtime_resolve_xsavec} is never entered.</li>
 *   <li>Locks (bypass on): pthread_spin_lock takes the lock unconditionally, the pthread_rwlock_* lock and unlock
 *       entries return 0; mutexes and glibc's internal locks are handled by the futex emulation through the
 *       {@link LockPolicy}.</li>
 * </ol>
 * Works from .dynsym, dynamic sections, relocations and code bytes only; debug files only improve names.
 */
public final class GlibcPatches {
    private static final Logger log = LoggerFactory.getLogger(GlibcPatches.class);

    static final List<String> RWLOCK_ENTRIES = List.of(
            "pthread_rwlock_rdlock",
            "pthread_rwlock_wrlock",
            "pthread_rwlock_timedrdlock",
            "pthread_rwlock_timedwrlock",
            "pthread_rwlock_clockrdlock",
            "pthread_rwlock_clockwrlock",
            "pthread_rwlock_tryrdlock",
            "pthread_rwlock_trywrlock",
            "pthread_rwlock_unlock");
    private static final byte[] ENDBR64 = {(byte) 0xf3, 0x0f, 0x1e, (byte) 0xfa};

    private GlibcPatches() {}

    /**
     * Decides the patches for {@code core}.
     *
     * @param runner runs IFUNC resolvers; null when no code can run (then no IFUNC is redirected and IFUNC lazy
     *               slots are left unbound, with notes)
     * @param memory the live image; scratch writes are restored before this returns
     *
     * <p>Resolvers run through {@code runner} may write process memory themselves (glibc's are pure, but an
     * IFUNC resolver is arbitrary code): the emulator captures its memory state before calling plan() and
     * restores it afterwards, then applies {@link PatchPlan#patches()} to the base image.
     */
    public static PatchPlan plan(CoreDump core, CodeRunner runner, ProcessMemory memory, PatchOptions options) {
        long started = System.nanoTime();
        List<String> notes = new ArrayList<>();
        LockPolicy policy = new LockPolicy(options.lockBypass(), core.threads(), core.symbols());
        try (ProcessObjects objects = ProcessObjects.of(core, notes)) {
            Planner planner = new Planner(core, objects, runner, memory, options, notes);
            planner.ifuncs();
            planner.lazySlots();
            if (options.lockBypass()) {
                planner.lockEntries();
            }
            if (options.vdsoSyscalls()) {
                planner.patches.addAll(VdsoSyscalls.plan(core, memory, notes));
            }
            List<Patch> patches = withoutOverlaps(planner.patches, notes);
            log.debug("planned {} patches in {} ms", patches.size(), (System.nanoTime() - started) / 1_000_000);
            return new PatchPlan(patches, planner.redirects, planner.slots, planner.block, policy, notes);
        }
    }

    /** Drops a patch whose bytes overlap an earlier one's (by address), with a note. */
    private static List<Patch> withoutOverlaps(List<Patch> patches, List<String> notes) {
        List<Patch> sorted = new ArrayList<>(patches);
        sorted.sort(Comparator.comparingLong(Patch::address));
        List<Patch> kept = new ArrayList<>();
        long end = Long.MIN_VALUE;
        for (Patch p : sorted) {
            if (!kept.isEmpty() && Long.compareUnsigned(p.address(), end) < 0) {
                notes.add("skipped " + p.kind() + " at " + p.location() + ": overlaps the patch at "
                        + kept.get(kept.size() - 1).location());
                continue;
            }
            kept.add(p);
            end = p.address() + p.length();
        }
        return kept;
    }

    private static final class Planner {
        final CoreDump core;
        final ProcessObjects objects;
        final SymbolResolver resolver;
        final CodeRunner runner;
        final ProcessMemory memory;
        final PatchOptions options;
        final List<String> notes;
        final List<Patch> patches = new ArrayList<>();
        final List<IfuncRedirect> redirects = new ArrayList<>();
        List<LazySlot> slots = List.of();
        Optional<CpuFeaturesBlock> block = Optional.empty();
        /** resolver → the variant its IFUNC calls should reach (baseline, or chosen without a baseline). */
        final Map<Long, Long> finalTargets = new HashMap<>();

        Planner(
                CoreDump core,
                ProcessObjects objects,
                CodeRunner runner,
                ProcessMemory memory,
                PatchOptions options,
                List<String> notes) {
            this.core = core;
            this.objects = objects;
            this.resolver = new SymbolResolver(objects.modules());
            this.runner = runner;
            this.memory = memory;
            this.options = options;
            this.notes = notes;
        }

        void ifuncs() {
            IfuncInventory inventory = IfuncInventory.scan(objects, resolver, memory);
            List<Long> resolvers = new ArrayList<>();
            for (long r : inventory.resolvers()) {
                if (isInitialisationHook(inventory.sitesOf(r))) {
                    notes.add(inventory.resolverName(r) + " not run: its slot holds no code address (glibc's "
                            + "__x86_cacheinfo IRELATIVE runs cache-size initialisation for its side effects)");
                } else {
                    resolvers.add(r);
                }
            }
            if (resolvers.isEmpty()) {
                return;
            }
            if (runner == null) {
                notes.add(
                        "no code runner: " + resolvers.size() + " IFUNC resolvers not run, their chosen variants stay");
                return;
            }
            Map<Long, Long> chosen = new HashMap<>();
            Map<Long, Long> baseline = new HashMap<>();
            Map<Long, String> failures = new HashMap<>();
            runAll(resolvers, chosen, failures, "as is");
            if (options.ifuncBaseline()) {
                block = CpuFeatures.locate(core, objects, memory, notes);
                block.ifPresent(b -> runBaseline(b, resolvers, baseline, failures));
            }
            Set<Long> baselines = new HashSet<>(baseline.values());
            Set<Long> entryPoints = new TreeSet<>(Long::compareUnsigned);
            entryPoints.addAll(chosen.values());
            entryPoints.addAll(baselines);
            Map<Long, Long> codeRedirects = new LinkedHashMap<>();
            for (long r : resolvers) {
                decide(r, inventory, chosen, baseline, failures, baselines, entryPoints, codeRedirects);
            }
        }

        /**
         * An IRELATIVE whose bound value is not code (0, or outside every object): a function run at load for its
         * side effects, not a choice of variant. Running it again would rewrite globals (cache sizes) from the
         * zeroed features.
         */
        private boolean isInitialisationHook(List<IfuncSite> sites) {
            boolean named = sites.stream().anyMatch(s -> s.kind() != IfuncSite.Kind.IRELATIVE);
            List<Long> values = sites.stream()
                    .filter(s -> s.bound() && s.value().isPresent())
                    .map(s -> s.value().get())
                    .toList();
            return !named
                    && !values.isEmpty()
                    && values.stream()
                            .allMatch(v -> v == 0 || objects.containing(v).isEmpty());
        }

        private void runAll(List<Long> resolvers, Map<Long, Long> results, Map<Long, String> failures, String how) {
            for (long r : resolvers) {
                try {
                    results.put(r, runner.call(r));
                } catch (CodeRunException | RuntimeException e) {
                    failures.merge(r, how + ": " + e.getMessage(), (a, b) -> a + "; " + b);
                }
            }
        }

        private void runBaseline(
                CpuFeaturesBlock b, List<Long> resolvers, Map<Long, Long> results, Map<Long, String> failures) {
            Optional<byte[]> saved = memory.read(b.address(), b.length());
            if (saved.isEmpty()) {
                notes.add("cpu_features block at " + Hex.address(b.address()) + " is not readable: no baseline runs");
                return;
            }
            try {
                memory.write(b.address(), new byte[b.length()]);
                runAll(resolvers, results, failures, "with cpu_features zeroed");
            } finally {
                memory.write(b.address(), saved.get());
            }
            if (!memory.read(b.address(), b.length())
                    .map(now -> Arrays.equals(now, saved.get()))
                    .orElse(false)) {
                notes.add("cpu_features block at " + Hex.address(b.address()) + " did not read back as restored");
            }
        }

        private void decide(
                long r,
                IfuncInventory inventory,
                Map<Long, Long> chosenByResolver,
                Map<Long, Long> baselineByResolver,
                Map<Long, String> failures,
                Set<Long> baselines,
                Set<Long> entryPoints,
                Map<Long, Long> codeRedirects) {
            List<IfuncSite> sites = inventory.sitesOf(r);
            String name = inventory.resolverName(r);
            List<String> remarks = new ArrayList<>();
            Optional<Long> chosen = Optional.ofNullable(chosenByResolver.get(r));
            Optional<Long> boundValue = sites.stream()
                    .filter(s -> s.bound() && s.value().isPresent())
                    .map(s -> s.value().get())
                    .findFirst();
            if (chosen.isEmpty() && boundValue.isPresent()) {
                chosen = boundValue;
                remarks.add("chosen variant taken from a bound slot");
            }
            for (IfuncSite s : sites) {
                if (chosen.isPresent()
                        && s.bound()
                        && s.value().isPresent()
                        && !s.value().get().equals(chosen.get())) {
                    remarks.add("slot " + Hex.address(s.slot()) + " holds "
                            + name(s.value().get()) + ", the resolver returns " + name(chosen.get()));
                }
            }
            Optional<Long> baseline = Optional.ofNullable(baselineByResolver.get(r));
            if (failures.containsKey(r)) {
                remarks.add(0, failures.get(r));
            }
            IfuncRedirect.Status status;
            if (baseline.isEmpty()) {
                status = block.isEmpty() ? IfuncRedirect.Status.NO_BASELINE : IfuncRedirect.Status.FAILED;
                chosen.ifPresent(c -> finalTargets.put(r, c));
            } else {
                finalTargets.put(r, baseline.get());
                if (chosen.isEmpty() || chosen.get().equals(baseline.get()) || baselines.contains(chosen.get())) {
                    status = IfuncRedirect.Status.ALREADY_BASELINE;
                } else {
                    status = IfuncRedirect.Status.REDIRECTED;
                    redirectCode(name, chosen.get(), baseline.get(), entryPoints, codeRedirects);
                }
                rewriteSlots(name, sites, baseline.get(), baselines);
            }
            redirects.add(new IfuncRedirect(
                    r,
                    name,
                    chosen,
                    chosen.map(this::name).orElse(""),
                    baseline,
                    baseline.map(this::name).orElse(""),
                    sites,
                    status,
                    String.join("; ", remarks)));
        }

        private void redirectCode(
                String resolverName, long from, long to, Set<Long> entryPoints, Map<Long, Long> codeRedirects) {
            Long earlier = codeRedirects.get(from);
            if (earlier != null) {
                if (earlier != to) {
                    notes.add(resolverName + ": " + name(from) + " already redirected to " + name(earlier) + ", not to "
                            + name(to));
                }
                return;
            }
            byte[] jump = JumpEncoding.jump(from, to);
            for (long entry : entryPoints) {
                if (Long.compareUnsigned(entry, from) > 0 && Long.compareUnsigned(entry, from + jump.length) < 0) {
                    notes.add(resolverName + ": no code redirect at " + name(from) + ": the " + jump.length
                            + "-byte jump would cover the entry of " + name(entry) + "; its slots are still rewritten");
                    return;
                }
            }
            Optional<byte[]> old = memory.read(from, jump.length);
            if (old.isEmpty()) {
                notes.add(resolverName + ": no code redirect at " + name(from) + ": its code is not readable");
                return;
            }
            codeRedirects.put(from, to);
            patches.add(new Patch(
                    Patch.Kind.CODE_REDIRECT,
                    from,
                    old.get(),
                    jump,
                    location(from),
                    name(from),
                    name(to),
                    "IFUNC " + resolverName + " chose it for this CPU; the emulator runs the baseline variant"));
        }

        private void rewriteSlots(String resolverName, List<IfuncSite> sites, long baseline, Set<Long> baselines) {
            for (IfuncSite s : sites) {
                if (s.slot() == 0 || !s.bound() || s.value().isEmpty()) {
                    continue;
                }
                long value = s.value().get();
                if (value == baseline || baselines.contains(value)) {
                    continue;
                }
                patches.add(new Patch(
                        Patch.Kind.GOT_SLOT,
                        s.slot(),
                        Bytes.ofLong(value),
                        Bytes.ofLong(baseline),
                        slotLocation(s.module(), s.slot(), s.kind().name()),
                        name(value),
                        name(baseline),
                        s.kind() + " slot of IFUNC " + resolverName + " rewritten to the baseline variant"));
            }
        }

        void lazySlots() {
            slots = LazySlots.scan(objects, resolver, memory);
            Map<String, Integer> unresolved = new LinkedHashMap<>();
            for (LazySlot s : slots) {
                if (!options.bindLazySlots() || s.bound() || s.value().isEmpty()) {
                    continue;
                }
                if (s.target().isEmpty()) {
                    unresolved.merge(s.module() + " " + s.symbol(), 1, Integer::sum);
                    continue;
                }
                long target = s.target().get();
                String why = "lazy JUMP_SLOT bound up front to "
                        + s.definition().orElse("?") + ": ld.so's lazy-binding trampoline uses xsavec";
                if (s.ifunc()) {
                    Long variant = finalTargets.get(target);
                    if (variant == null) {
                        unresolved.merge(s.module() + " " + s.symbol() + " (IFUNC, resolver not run)", 1, Integer::sum);
                        continue;
                    }
                    why += ", IFUNC resolved to " + (block.isPresent() ? "its baseline variant" : "the CPU's variant");
                    target = variant;
                }
                patches.add(new Patch(
                        Patch.Kind.LAZY_BIND,
                        s.slot(),
                        Bytes.ofLong(s.value().get()),
                        Bytes.ofLong(target),
                        slotLocation(s.module(), s.slot(), s.symbol()),
                        name(s.value().get()),
                        name(target),
                        why));
            }
            unresolved.forEach((what, count) -> notes.add("lazy slot " + what + " left unbound: "
                    + "calls through it reach ld.so's xsavec trampoline and stop"));
            String state = !options.bindLazySlots()
                    ? "lazy slots are not bound (option off): calls through them stop there"
                    : unresolved.isEmpty()
                            ? "every slot that could reach it is bound"
                            : unresolved.size() + " slots left unbound can still reach it";
            for (LoadedModule m : objects.modules()) {
                long pltGot = m.object().pltGot();
                if (pltGot == 0 || m.object().pltRelocations().isEmpty()) {
                    continue;
                }
                memory.readLong(m.bias() + pltGot + 16)
                        .filter(v -> v != 0)
                        .ifPresent(v -> notes.add(m.shortName() + " GOT[2] = " + name(v)
                                + " (the lazy-binding trampoline): left as is, " + state));
            }
        }

        void lockEntries() {
            spinLock();
            Set<Long> done = new HashSet<>();
            for (String entry : RWLOCK_ENTRIES) {
                Optional<Function> f = function(entry);
                if (f.isEmpty() || !done.add(f.get().address())) {
                    continue;
                }
                lockEntry(
                        entry,
                        f.get(),
                        JumpEncoding.returnZero(),
                        "lock bypass: rwlocks wait on futex words no stopped thread will wake and do not give their "
                                + "holder; the entry returns 0 (success) at once");
            }
        }

        private void spinLock() {
            Optional<Function> lock = function("pthread_spin_lock");
            if (lock.isEmpty()) {
                return;
            }
            Optional<Function> unlock = function("pthread_spin_unlock");
            OptionalLong unlocked = unlock.flatMap(u -> memory.read(u.address(), 10))
                    .map(GlibcPatches::storedImmediate)
                    .orElse(OptionalLong.empty());
            if (unlocked.isEmpty() || (unlocked.getAsLong() != 0 && unlocked.getAsLong() != 1)) {
                notes.add("pthread_spin_lock not patched: pthread_spin_unlock does not start with movl $imm,(%rdi), "
                        + "so the locked value is unknown; a held spinlock spins until the call's time limit");
                return;
            }
            // x86-64 glibc: 1 is free and lock decl makes it 0; a generic glibc stores 0 to unlock and 1 to lock.
            int locked = unlocked.getAsLong() == 1 ? 0 : 1;
            lockEntry(
                    "pthread_spin_lock",
                    lock.get(),
                    JumpEncoding.storeToFirstArgumentAndReturnZero(locked),
                    "lock bypass: a spinlock held by a stopped thread would spin forever; the entry stores the locked "
                            + "value (" + locked + ") and returns 0");
        }

        private void lockEntry(String name, Function f, byte[] code, String reason) {
            if (f.size() != 0 && f.size() < code.length) {
                notes.add(name + " not patched: it is " + f.size() + " bytes, the patch " + code.length);
                return;
            }
            Optional<byte[]> old = memory.read(f.address(), code.length);
            if (old.isEmpty()) {
                notes.add(name + " not patched: its code is not readable");
                return;
            }
            patches.add(new Patch(
                    Patch.Kind.LOCK_ENTRY,
                    f.address(),
                    old.get(),
                    code,
                    location(f.address()),
                    "entry of " + name,
                    Hex.of(code),
                    reason));
        }

        record Function(long address, long size) {}

        /** A function by name: the global scope's .dynsym definition, else (static executable) the symbol index. */
        private Optional<Function> function(String name) {
            Optional<SymbolResolver.Definition> d = resolver.lookup(name);
            if (d.isPresent()) {
                Sym s = d.get().symbol();
                return s.type() == DynamicObject.STT_FUNC
                        ? Optional.of(new Function(d.get().address(), s.size()))
                        : Optional.empty();
            }
            if (objects.interpreter().isPresent()) {
                return Optional.empty();
            }
            Optional<Symbol> symbol = core.symbols().lookup(name);
            return symbol.filter(s -> s.kind() == SymbolKind.FUNCTION).map(s -> new Function(s.address(), s.size()));
        }

        /** {@code 0x7f…ac0 <__strlen_evex>} with a name only where a symbol starts exactly there. */
        String name(long address) {
            Optional<SymbolLocation> l = core.symbols().symbolize(address);
            if (l.isPresent() && l.get().symbol() != null && l.get().offset() == 0) {
                return Hex.address(address) + " <" + l.get().symbol().name() + ">";
            }
            return Hex.address(address)
                    + l.filter(x -> x.module() != null)
                            .map(x -> " <" + x.module() + "+0x" + Long.toHexString(x.moduleOffset()) + ">")
                            .orElse("");
        }

        String location(long address) {
            Optional<SymbolLocation> l = core.symbols().symbolize(address);
            if (l.isEmpty()) {
                return Hex.address(address);
            }
            if (l.get().symbol() != null && l.get().offset() == 0) {
                return l.get().toString();
            }
            return l.get().module() == null
                    ? Hex.address(address)
                    : l.get().module() + "+0x" + Long.toHexString(l.get().moduleOffset());
        }

        String slotLocation(String module, long slot, String what) {
            long start = objects.modules().stream()
                    .filter(m -> m.shortName().equals(module))
                    .findFirst()
                    .map(m -> m.image().start())
                    .orElse(0L);
            return module + "+0x" + Long.toHexString(slot - start) + " (" + what + ")";
        }
    }

    /** The immediate of a leading {@code movl $imm32, (%rdi)} (after an optional endbr64). */
    static OptionalLong storedImmediate(byte[] code) {
        int at = 0;
        if (code.length >= 4 && Arrays.equals(Arrays.copyOf(code, 4), ENDBR64)) {
            at = 4;
        }
        if (code.length >= at + 6 && (code[at] & 0xff) == 0xc7 && code[at + 1] == 0x07) {
            return OptionalLong.of(Integer.toUnsignedLong(Bytes.getInt(code, at + 2)));
        }
        return OptionalLong.empty();
    }
}
