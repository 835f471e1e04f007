package io.coredumptools.emulator.scope;

import io.coredumptools.emulator.Emulator;
import io.coredumptools.emulator.debug.RegisterFile;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the scope of the debugger's calls on one emulator (one connection): what each call starts from, and when memory
 * goes back to the base. The base is the crash image plus the debugger's writes outside calls; it lasts until an
 * explicit restore. In {@link RestoreMode#AUTO} a call continues the calls before it when it starts inside another
 * call, or when one of its inputs (the integer argument registers gdb set, the words of the memory the debugger wrote
 * for it) points into memory the earlier calls wrote or allocated since the last restore; any other call starts from
 * the base. The decision is made when the call resumes, since only then are its inputs known; the debugger's writes
 * for that call survive the restore. Until then, what the last call returned or changed stays readable.
 *
 * <p>There is one per emulator ({@link Emulator#scope()}), and every call goes through it. The protocol side tells it
 * where calls begin and end (gdb's siginfo brackets, lldb's register-state saves) as a depth: how many calls are in
 * progress ({@link #beforeResume}, {@link #afterResume}, {@link #callsEnded}). A call of the Java API ({@link
 * Emulator#call}) is one whole call, decided before it runs from its arguments ({@link #beforeCall}, {@link
 * #afterCall}). Not thread-safe, like the emulator.
 */
public final class CallScope {
    private static final Logger log = LoggerFactory.getLogger(CallScope.class);

    /** rdi, rsi, rdx, rcx, r8, r9 as {@link RegisterFile#general} indices, and their names. */
    private static final int[] ARGUMENT_REGISTERS = {5, 4, 3, 2, 8, 9};

    private static final String[] ARGUMENT_NAMES = {"rdi", "rsi", "rdx", "rcx", "r8", "r9"};

    /** How many words of the debugger's writes are checked as inputs; how many above a struct result. */
    private static final int MAX_WORDS = 4096;

    private static final int MAX_RESULT_WORDS = 32;

    private static final int MAX_RESULTS = 64;

    private final Emulator emulator;
    private final RegisterFile[] crashRegisters;
    private final DebuggerWrites writes = new DebuggerWrites();
    private RestoreMode mode;

    /** The outermost call in progress has been decided (at its first resume). */
    private boolean decided;
    /** A call ran since the last restore: memory may hold its effects. */
    private boolean callRanSinceRestore;
    /** What the last failed call stopped with, until the next restore. */
    private Optional<String> failure = Optional.empty();
    /** rax at the last successful stop of the call in progress. */
    private Optional<Long> result = Optional.empty();

    /**
     * What the calls since the last restore returned, newest first (at most {@link #MAX_RESULTS}): gdb may hold any of
     * them ({@code $1}, {@code set $a = ...}) and pass it to a later call.
     */
    private final java.util.ArrayDeque<Long> results = new java.util.ArrayDeque<>();

    private Optional<ScopeDecision> lastDecision = Optional.empty();
    private long continued;
    private long fromBase;

    /** The emulator's own scope, made by the emulator: use {@link Emulator#scope()}. */
    public CallScope(Emulator emulator, RestoreMode mode) {
        this.emulator = emulator;
        this.mode = mode;
        this.crashRegisters = new RegisterFile[emulator.threads().size()];
    }

    public RestoreMode mode() {
        return mode;
    }

    public void setMode(RestoreMode mode) {
        this.mode = mode;
    }

    /** How many calls continued the calls before them. */
    public long continuedCount() {
        return continued;
    }

    /** How many calls started from the base. */
    public long fromBaseCount() {
        return fromBase;
    }

    public Optional<ScopeDecision> lastDecision() {
        return lastDecision;
    }

    // ---- what the debugger does ----------------------------------------------------------------------

    /**
     * A debugger memory write. Outside a call ({@code callDepth} 0) it becomes part of the base; inside one it belongs
     * to that call (and survives the restore if the call starts from the base).
     */
    public void debuggerWrite(long address, byte[] bytes, int callDepth) {
        writes.beforeWrite(emulator, address, bytes.length);
        if (callDepth == 0) {
            emulator.writeBase(address, bytes);
        } else {
            emulator.write(address, bytes);
        }
        writes.written(address, bytes, callDepth > 0 && !decided);
    }

    /**
     * A resume of {@code thread} from {@code registers} is about to run, with {@code callDepth} calls in progress.
     * Decides and applies the scope of a call at its first resume; a resume outside a call undoes the calls' effects
     * as a call starting from the base would. Empty when nothing was decided (a later resume of a decided call).
     */
    public Optional<ScopeDecision> beforeResume(int thread, RegisterFile registers, int callDepth) {
        if (callDepth > 0 && decided) {
            return Optional.empty();
        }
        boolean outside = callDepth == 0;
        boolean inputsUnknown = callDepth > 1;
        Optional<String> dataFlow = outside || mode != RestoreMode.AUTO || !callRanSinceRestore
                ? Optional.empty()
                : dataFlow(thread, registers, inputsUnknown);
        ScopeDecision decision = DecisionTable.decide(
                mode, new CallFacts(outside, failure, callRanSinceRestore, dataFlow, inputsUnknown));
        if (decision.kind() == ScopeDecision.Kind.FROM_BASE) {
            decision = restoreKeepingCallWrites(decision);
        }
        if (outside) {
            log.debug("resume outside a call: {}", decision);
            return Optional.of(decision);
        }
        decided = true;
        writes.decided();
        if (decision.continuesEarlierCalls()) {
            continued++;
        } else {
            fromBase++;
        }
        lastDecision = Optional.of(decision);
        log.info("call {}: {}", continued + fromBase, decision);
        return lastDecision;
    }

    /**
     * The resume stopped. {@code failed}: inside a call, it stopped somewhere other than the call's return (a signal,
     * a fault, the budget), described; the next call then starts from the base in every mode.
     */
    public void afterResume(RegisterFile registers, int callDepth, Optional<String> failed) {
        if (callDepth == 0) {
            return;
        }
        callRanSinceRestore = true;
        if (failed.isPresent()) {
            failure = failed;
            result = Optional.empty();
        } else {
            result = Optional.of(registers.general[0]);
        }
    }

    /** The outermost call ended (its frame popped): its effects stay readable until the next call decides. */
    public void callsEnded() {
        decided = false;
        result.ifPresent(this::rememberResult);
        result = Optional.empty();
        writes.clear();
    }

    private void rememberResult(long value) {
        results.addFirst(value);
        if (results.size() > MAX_RESULTS) {
            results.removeLast();
        }
    }

    /** Memory back to the base now (the debugger's writes outside calls stay). */
    public void restoreBase() {
        emulator.restoreCrashImage();
        restored();
    }

    /**
     * An explicit restore ({@code monitor snapshot restore}, kill): the base ends, and memory is the crash image
     * again (the debugger's writes outside calls go too).
     */
    public void restoreCrashImage() {
        emulator.forgetBaseWrites();
        restored();
    }

    /** Memory back to a named snapshot; IllegalArgumentException when there is none of that name. */
    public void restoreSnapshot(String name) {
        if (!emulator.snapshots().contains(name)) {
            throw new IllegalArgumentException("no snapshot '" + name + "' (monitor snapshot list)");
        }
        emulator.restoreSnapshot(name);
        restored(); // what the snapshot holds is the state calls start from until the next call's effects
    }

    /** No call in progress any more (the process was killed), and the crash image. */
    public void reset() {
        restoreCrashImage();
        decided = false;
        result = Optional.empty();
    }

    private void restored() {
        results.clear();
        callRanSinceRestore = false;
        failure = Optional.empty();
        writes.clear();
    }

    // ---- a call of the Java API ------------------------------------------------------------------------

    /**
     * A whole call of the Java API on {@code thread} is about to run with these argument values ({@code inputs}: each
     * 8-byte word of each argument's value, as the call will be given it). Decides and applies what it starts from:
     * memory goes back to the base first when the decision says so and memory may differ from it (a call, a resume or
     * a {@link Emulator#write} since the last restore).
     */
    public ScopeDecision beforeCall(int thread, List<Long> inputs) {
        boolean memoryChanged = callRanSinceRestore || failure.isPresent() || emulator.changedSinceRestore();
        Optional<String> dataFlow =
                mode == RestoreMode.AUTO && callRanSinceRestore ? argumentDataFlow(thread, inputs) : Optional.empty();
        ScopeDecision decision =
                DecisionTable.decide(mode, new CallFacts(false, failure, memoryChanged, dataFlow, false));
        if (decision.kind() == ScopeDecision.Kind.FROM_BASE && memoryChanged) {
            restoreBase();
        }
        if (decision.continuesEarlierCalls()) {
            continued++;
        } else {
            fromBase++;
        }
        lastDecision = Optional.of(decision);
        log.debug("call {}: {}", continued + fromBase, decision);
        return decision;
    }

    /**
     * The call {@link #beforeCall} decided ended: it returned {@code rax}, or {@code failed} (a signal, a fault, the
     * budget), described; after a failure the next call starts from the base in every mode.
     */
    public void afterCall(Optional<Long> rax, Optional<String> failed) {
        callRanSinceRestore = true;
        if (failed.isPresent()) {
            failure = failed;
        } else {
            rax.ifPresent(this::rememberResult);
        }
    }

    /** The argument word that points into the earlier calls' memory, or an earlier result that does, described. */
    private Optional<String> argumentDataFlow(int thread, List<Long> inputs) {
        EarlierCallsMemory earlier =
                new EarlierCallsMemory(emulator, writes, crashRegisters(thread).rsp());
        for (int i = 0; i < inputs.size(); i++) {
            long value = inputs.get(i);
            Optional<String> what = earlier.pointee(value);
            if (what.isPresent()) {
                return Optional.of(
                        "argument word " + (i + 1) + " 0x" + Long.toHexString(value) + " points into " + what.get());
            }
        }
        return resultDataFlow(earlier);
    }

    // ---- the decision ----------------------------------------------------------------------------------

    /**
     * Back to the base, then the debugger's writes for this call again. A call whose writes cannot be put back (too
     * many, or into memory an earlier call allocated, which the restore unmaps) continues instead.
     */
    private ScopeDecision restoreKeepingCallWrites(ScopeDecision decision) {
        if (!callRanSinceRestore && failure.isEmpty()) {
            return decision; // nothing to undo: memory is the base (plus what resumes outside calls did)
        }
        if (writes.overflowed()) {
            return ScopeDecision.continues("the debugger wrote more for this call than can be put back after a"
                    + " restore (over " + (DebuggerWrites.MAX_BYTES >> 20) + " MiB); instead of: " + decision.reason());
        }
        for (DebuggerWrites.Write w : writes.toReplay()) {
            if (emulator.createdSinceRestore(w.address())) {
                return ScopeDecision.continues(
                        "the debugger wrote this call's data at 0x" + Long.toHexString(w.address())
                                + ", in memory an earlier call allocated; instead of: " + decision.reason());
            }
        }
        var replay = java.util.List.copyOf(writes.toReplay());
        emulator.restoreCrashImage();
        results.clear();
        callRanSinceRestore = false;
        failure = Optional.empty();
        for (DebuggerWrites.Write w : replay) {
            emulator.write(w.address(), w.bytes());
        }
        return decision;
    }

    /**
     * The input of this call that points into the earlier calls' memory, described: an argument register gdb set for
     * it, a word the debugger wrote for it, or what an earlier call returned (gdb holds results in its value history and
     * convenience variables, and passes them on later: {@code set $a = f()}, then {@code g($a)} after other calls). When
     * the first resume is gdb's allocation for a literal, the call's own arguments are not set yet: only the words and
     * the earlier results can tell.
     */
    private Optional<String> dataFlow(int thread, RegisterFile registers, boolean inputsUnknown) {
        RegisterFile crash = crashRegisters(thread);
        EarlierCallsMemory earlier = new EarlierCallsMemory(emulator, writes, crash.rsp());
        if (!inputsUnknown) {
            for (int i = 0; i < ARGUMENT_REGISTERS.length; i++) {
                long value = registers.general[ARGUMENT_REGISTERS[i]];
                if (value == crash.general[ARGUMENT_REGISTERS[i]]) {
                    continue; // not set for this call: the thread's own value
                }
                Optional<String> what = earlier.pointee(value);
                if (what.isPresent()) {
                    return Optional.of(
                            ARGUMENT_NAMES[i] + "=0x" + Long.toHexString(value) + " points into " + what.get());
                }
            }
        }
        for (long at : writes.wordAddresses(MAX_WORDS)) {
            Optional<Long> value = earlier.word(at);
            Optional<String> what = value.flatMap(earlier::pointee);
            if (what.isPresent()) {
                return Optional.of("the word 0x" + Long.toHexString(value.get()) + " the debugger wrote at 0x"
                        + Long.toHexString(at) + " for this call points into " + what.get());
            }
        }
        return resultDataFlow(earlier);
    }

    /** What an earlier call returned that points into the earlier calls' memory (or a struct result holding such). */
    private Optional<String> resultDataFlow(EarlierCallsMemory earlier) {
        for (long value : results) {
            Optional<String> direct = earlier.pointee(value);
            if (direct.isPresent()) {
                return Optional.of("an earlier call returned 0x" + Long.toHexString(value) + ", which points into "
                        + direct.get() + " (the debugger may pass it on)");
            }
            if (earlier.onScratchStack(value)) { // a struct returned in memory: its words
                for (int i = 0; i < MAX_RESULT_WORDS; i++) {
                    long at = value + 8L * i;
                    Optional<String> inside = earlier.word(at).flatMap(earlier::pointee);
                    if (inside.isPresent()) {
                        return Optional.of("the struct an earlier call returned at 0x" + Long.toHexString(value)
                                + " holds a pointer into " + inside.get() + " (the debugger may pass it on)");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private RegisterFile crashRegisters(int thread) {
        if (crashRegisters[thread] == null) {
            crashRegisters[thread] = RegisterFile.of(emulator.threads().get(thread));
        }
        return crashRegisters[thread];
    }
}
