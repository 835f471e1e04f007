package io.coredumptools.emulator.unicorn;

import io.coredumptools.emulator.disasm.Disassembler;
import io.coredumptools.emulator.disasm.Instruction;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps unicorn 2.0.1 from translating the instructions that make QEMU abort the whole process
 * ({@code ./qemu/tcg/tcg.c:3073: tcg fatal error}, then SIGABRT: a corrupt core took a server down that way).
 * Found by running every two-byte opcode, alone and after each prefix, in a forked engine (docs/reliability.md):
 *
 * <ul>
 *   <li>{@code FF /3} and {@code FF /5} with a register operand (far call and far jump through a register, bytes
 *       {@code FF D8}–{@code FF DF} and {@code FF E8}–{@code FF EF}; unicorn-engine/unicorn#1716), which a CPU
 *       refuses with #UD;
 *   <li>{@code lock cmp} with a memory operand ({@code F0 38}, {@code F0 39}), {@code lock cmps}
 *       ({@code F0 A6}, {@code F0 A7}), and {@code lock bt/bts/btr/btc} on a register ({@code F0 0F A3/AB/B3/BB}
 *       and {@code F0 0F BA /4-7} with a register operand), also #UD on a CPU: a lock needs a read-modify-write of
 *       memory. Other prefixes may come between the lock and the opcode.
 * </ul>
 *
 * <p><b>How.</b> Unicorn offers no hook before it translates a block, but it calls the fetch-protection hook on
 * every code byte it reads <em>while translating</em> from a page without execute permission, and never while
 * running code already translated. So {@link Unicorn} tells unicorn that no page is executable, keeps the real
 * permissions itself ({@link ExecutableRanges}), and answers each fetch here: a fetch from a page the program may
 * not execute is refused as before (the fault the CPU would raise); a fetch of one of the bytes above, where an
 * instruction decode from the block's start (Capstone) confirms that it is that instruction, is refused and
 * remembered. The refusal makes unicorn drop the block unfinished, before QEMU generates code for it, and stop with
 * a fetch fault; {@link Unicorn#run} then runs the instructions before it and reports an invalid instruction there,
 * as the CPU would (SIGILL). Cost: one callback per code fetch of a translation, none per instruction run.
 *
 * <p>Not thread-safe: it runs on the thread that runs the engine.
 */
final class TranslationGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TranslationGuard.class);
    private static final int PAGE = 4096;
    /** The longest x86 instruction: no instruction start lies further back than this from its opcode. */
    private static final int MAX_INSTRUCTION = 15;
    /** A translated block is at most a page and one instruction; more means the block start is not known. */
    private static final int MAX_BLOCK_BYTES = 2 * PAGE;

    private final Unicorn uc;
    private final ExecutableRanges executable;
    /** Code the program may also write: its bytes are read afresh at each fetch, never kept in {@link #pages}. */
    private final ExecutableRanges writableCode;
    /**
     * Code bytes read in this run, by page number: translation reads each page many times. Only pages the program
     * cannot write: a store of the run changes the others (and an API write or a permission change clears it).
     */
    private final Map<Long, byte[]> pages = new HashMap<>();

    private Disassembler disassembler;
    private long lastFetch = -1;
    private int lastFetchSize;
    /** How many one-byte fetches just before this one held prefix bytes, and whether a lock was among them. */
    private int prefixBytesBefore;

    private boolean lockBefore;
    /** Whether the last fetch was the {@code 0F} escape after such prefixes with a lock. */
    private boolean lockedEscapeBefore;
    // ---- the refusal of this run, if any -----------------------------------------------------------------
    private boolean refusing;
    private long refusedInstruction;
    private long refusedBlock;

    TranslationGuard(Unicorn uc, ExecutableRanges executable, ExecutableRanges writableCode) {
        this.uc = uc;
        this.executable = executable;
        this.writableCode = writableCode;
    }

    /** Before each run: memory may have changed since the last one. */
    void startRun() {
        pages.clear();
        lastFetch = -1;
        refusing = false;
    }

    /** Memory changed through the API: bytes read before may be stale. */
    void forgetBytes() {
        if (!pages.isEmpty()) {
            pages.clear();
        }
    }

    /** Whether this run refused an instruction; the other invalid-memory hooks must then not see the fault. */
    boolean refusing() {
        return refusing;
    }

    /** The address of the refused instruction. */
    long refusedInstruction() {
        return refusedInstruction;
    }

    /** The start of the block whose translation reached it (the pc when it was refused). */
    long refusedBlock() {
        return refusedBlock;
    }

    void clearRefusal() {
        refusing = false;
    }

    /** The fetch-protection hook: true lets unicorn read the code byte(s) at {@code address}. */
    boolean allowFetch(long address, int size) {
        if (refusing) {
            return false;
        }
        if (!executable.contains(address)) {
            return false; // the program may not execute here: the fault the CPU raises
        }
        boolean contiguous = address == lastFetch + lastFetchSize;
        boolean previousWasOneByte = contiguous && lastFetchSize == 1;
        lastFetch = address;
        lastFetchSize = size;
        if (size != 1) {
            prefixBytesBefore = 0;
            lockBefore = false;
            lockedEscapeBefore = false;
            return true;
        }
        int value = byteAt(address);
        if (value < 0) {
            return true; // unreadable: unicorn's own read faults
        }
        long opcode = -1; // the first opcode byte of a refused instruction that ends the bytes fetched so far
        Refused kind = null;
        if (previousWasOneByte && isFarThroughRegister(value) && byteAt(address - 1) == 0xff) {
            opcode = address - 1;
            kind = Refused.FAR_THROUGH_REGISTER;
        } else if (lockBefore && isLockedCompare(value, byteAt(address + 1))) {
            opcode = address;
            kind = Refused.LOCKED_COMPARE;
        } else if (previousWasOneByte && lockedEscapeBefore && isLockedBitTestOfRegister(value, byteAt(address + 1))) {
            opcode = address - 1;
            kind = Refused.LOCKED_BIT_TEST;
        }
        lockedEscapeBefore = value == 0x0f && lockBefore && previousWasOneByte;
        if (previousWasOneByte && isPrefix(value) && prefixBytesBefore < MAX_INSTRUCTION) {
            prefixBytesBefore++;
            lockBefore |= value == 0xf0;
        } else if (isPrefix(value)) {
            prefixBytesBefore = 1;
            lockBefore = value == 0xf0;
        } else {
            prefixBytesBefore = 0;
            lockBefore = false;
        }
        if (opcode < 0) {
            return true;
        }
        // The cached bytes may be stale (host memory mapped with mapMemoryPointer changes in place, unseen):
        // decide on the bytes the engine holds now. Candidates are rare, so the re-read costs nothing that shows.
        pages.clear();
        if (!kind.matches(this, opcode)) {
            return true;
        }
        long start = instructionStart(opcode, kind != Refused.FAR_THROUGH_REGISTER);
        if (start < 0) {
            return true; // the bytes only look like it: they are parts of other instructions
        }
        refusing = true;
        refusedInstruction = start;
        refusedBlock = uc.readRegister(X86Register.RIP);
        return false;
    }

    /** The ModRM byte of {@code FF /3} or {@code FF /5} with a register operand. */
    private static boolean isFarThroughRegister(int modrm) {
        int reg = (modrm >> 3) & 7;
        return (modrm & 0xc0) == 0xc0 && (reg == 3 || reg == 5);
    }

    /** The refused instructions, by the bytes from their first opcode byte that tell them. */
    private enum Refused {
        FAR_THROUGH_REGISTER {
            @Override
            boolean matches(TranslationGuard guard, long opcode) {
                return guard.byteAt(opcode) == 0xff && isFarThroughRegister(guard.byteAt(opcode + 1));
            }
        },
        LOCKED_COMPARE {
            @Override
            boolean matches(TranslationGuard guard, long opcode) {
                return isLockedCompare(guard.byteAt(opcode), guard.byteAt(opcode + 1));
            }
        },
        LOCKED_BIT_TEST {
            @Override
            boolean matches(TranslationGuard guard, long opcode) {
                return guard.byteAt(opcode) == 0x0f
                        && isLockedBitTestOfRegister(guard.byteAt(opcode + 1), guard.byteAt(opcode + 2));
            }
        };

        /** Whether the bytes at {@code opcode} are this instruction's opcode (and ModRM). */
        abstract boolean matches(TranslationGuard guard, long opcode);
    }

    /**
     * {@code cmp r/m, r} with a memory operand, or {@code cmps}: the opcodes that abort after a lock prefix
     * ({@code modrm} -1 when unreadable).
     */
    private static boolean isLockedCompare(int opcode, int modrm) {
        if (opcode == 0xa6 || opcode == 0xa7) {
            return true;
        }
        if (opcode == 0x38 || opcode == 0x39) {
            return modrm < 0 || (modrm & 0xc0) != 0xc0;
        }
        return false;
    }

    /** {@code bt}, {@code bts}, {@code btr}, {@code btc} ({@code 0F A3/AB/B3/BB}, {@code 0F BA /4-7}) on a register. */
    private static boolean isLockedBitTestOfRegister(int opcode, int modrm) {
        if (opcode != 0xa3 && opcode != 0xab && opcode != 0xb3 && opcode != 0xbb && opcode != 0xba) {
            return false;
        }
        if (modrm < 0) {
            return true;
        }
        return (modrm & 0xc0) == 0xc0 && (opcode != 0xba || ((modrm >> 3) & 7) >= 4);
    }

    private static boolean isPrefix(int b) {
        return switch (b) {
            case 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3 -> true;
            default -> (b & 0xf0) == 0x40; // REX
        };
    }

    /**
     * Where the instruction whose opcode byte is at {@code opcode} starts, decoding from the block's start (the pc
     * during translation), or -1 when that byte is not an opcode there (an immediate, a displacement, a ModRM of
     * another instruction). When the decoder gives up before it (bytes it cannot decode, which unicorn took), the
     * place where it gave up: nothing there is known to be safe to translate.
     */
    private long instructionStart(long opcode, boolean needsLock) {
        long block = uc.readRegister(X86Register.RIP);
        long distance = opcode - block;
        if (distance < 0 || distance > MAX_BLOCK_BYTES) {
            // not a block start we can decode from: refuse rather than risk the abort
            log.warn(
                    "refusing the instruction at 0x{} (SIGILL) without knowing where it starts: the block being"
                            + " translated starts at 0x{}",
                    Long.toHexString(opcode),
                    Long.toHexString(block));
            return opcode;
        }
        byte[] code;
        try {
            code = uc.readMemory(block, (int) distance + MAX_INSTRUCTION);
        } catch (UnicornException partlyUnmapped) {
            code = uc.readMemory(block, (int) distance + 2);
        }
        if (disassembler == null) {
            disassembler = new Disassembler();
        }
        long boundary = block;
        boolean decodedAtBoundary = false;
        while (!decodedAtBoundary) {
            byte[] rest = Arrays.copyOfRange(code, (int) (boundary - block), code.length);
            for (Instruction instruction : disassembler.disassemble(rest, boundary, 0)) {
                long next = instruction.address() + instruction.size();
                if (next > opcode) {
                    decodedAtBoundary = true; // this instruction holds the byte
                    break;
                }
                boundary = next;
            }
            if (decodedAtBoundary || boundary >= opcode) {
                break;
            }
            // Capstone gave up at the boundary: step over an instruction it is known not to decode, if it is one.
            int length = lengthOfUndecodedInstruction(code, (int) (boundary - block));
            if (length <= 0) {
                break;
            }
            if (boundary + length > opcode) {
                decodedAtBoundary = true; // the byte is inside that instruction
                break;
            }
            boundary += length;
        }
        if (prefixesOnly(code, block, boundary, opcode, needsLock)) {
            return boundary; // the byte is this instruction's opcode
        }
        if (decodedAtBoundary) {
            return -1; // the byte is part of another instruction
        }
        // The decoder gave up at the boundary on bytes unicorn took: nothing from there is known to be safe.
        log.warn(
                "refusing the instruction at 0x{} (SIGILL), where the disassembler cannot decode {} before the"
                        + " bytes at 0x{} that abort unicorn's translation: a CPU may run it",
                Long.toHexString(boundary),
                HexFormat.of()
                        .formatHex(code, (int) (boundary - block), (int) Math.min(code.length, opcode - block + 2)),
                Long.toHexString(opcode));
        return boundary;
    }

    /**
     * The length of the instruction at {@code code[at]} (after legacy and REX prefixes) when it is one of those
     * Capstone 4 does not decode but a CPU runs and unicorn translates without aborting, 0 otherwise: {@code 0F 01}
     * with a register operand (rdpkru, wrpkru, serialize, ...), the hint nops {@code 0F 18}-{@code 0F 1F} (rdsspq,
     * register forms) and the prefetches {@code 0F 0D} with a memory operand. None of them has an immediate.
     */
    private static int lengthOfUndecodedInstruction(byte[] code, int at) {
        int i = at;
        while (i < code.length && i - at < MAX_INSTRUCTION - 3 && isPrefix(code[i] & 0xff)) {
            i++;
        }
        if (i + 2 >= code.length || (code[i] & 0xff) != 0x0f) {
            return 0;
        }
        int second = code[i + 1] & 0xff;
        int modrm = code[i + 2] & 0xff;
        boolean registerOperand = (modrm & 0xc0) == 0xc0;
        boolean known = second == 0x01 && registerOperand
                || second >= 0x18 && second <= 0x1f
                || second == 0x0d && !registerOperand;
        if (!known) {
            return 0;
        }
        int operand = modrmLength(code, i + 2);
        int length = i + 2 - at + operand;
        return operand > 0 && length <= MAX_INSTRUCTION ? length : 0;
    }

    /**
     * The bytes of a ModRM operand at {@code code[at]} with its SIB and displacement (the same in 64- and 32-bit
     * addressing), 0 when they run past the code read.
     */
    private static int modrmLength(byte[] code, int at) {
        int modrm = code[at] & 0xff;
        int mod = modrm >> 6;
        int rm = modrm & 7;
        if (mod == 3) {
            return 1;
        }
        int length = 1;
        if (rm == 4) {
            if (at + 1 >= code.length) {
                return 0;
            }
            length++;
            if (mod == 0 && (code[at + 1] & 7) == 5) {
                length += 4; // no base: disp32
            }
        } else if (mod == 0 && rm == 5) {
            length += 4; // rip-relative
        }
        length += mod == 1 ? 1 : mod == 2 ? 4 : 0;
        return at + length <= code.length ? length : 0;
    }

    /** Whether [from, opcode) of the block's bytes are prefixes of one instruction (with a lock if needed). */
    private static boolean prefixesOnly(byte[] code, long block, long from, long opcode, boolean needsLock) {
        if (opcode - from >= MAX_INSTRUCTION) {
            return false;
        }
        boolean lock = false;
        for (long at = from; at < opcode; at++) {
            int b = code[(int) (at - block)] & 0xff;
            if (!isPrefix(b)) {
                return false;
            }
            lock |= b == 0xf0;
        }
        return lock || !needsLock;
    }

    /** The code byte at {@code address} (0-255), or -1 when it cannot be read. */
    private int byteAt(long address) {
        long page = address >>> 12;
        byte[] bytes = pages.get(page);
        if (bytes == null) {
            if (writableCode.contains(address)) {
                return freshByteAt(address);
            }
            try {
                bytes = uc.readMemory(page << 12, PAGE);
            } catch (UnicornException unmapped) {
                return -1;
            }
            pages.put(page, bytes);
        }
        return bytes[(int) (address & (PAGE - 1))] & 0xff;
    }

    private int freshByteAt(long address) {
        try {
            return uc.readMemory(address, 1)[0] & 0xff;
        } catch (UnicornException unmapped) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (disassembler != null) {
            disassembler.close();
            disassembler = null;
        }
    }
}
