package io.coredumptools.elfcore.dwarf;

import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.symbols.DebugFileLocator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DWARF of one ELF file, read to tell how its functions are called: {@code debugInfo.function("strtod")}
 * gives the return type and the parameters with their types resolved for the ABI (see {@link
 * FunctionSignature}). Reads DWARF 2 to 5 compile units as gcc writes them, plain or zlib-compressed.
 *
 * <p>Lazy and bounded: opening reads only section headers; the first lookup builds an index of the top-level
 * names and code ranges of all units (one pass that skips function bodies and type members); each answer then
 * reads only the DIEs it needs. Results are cached, so keep one instance per file. Corrupt DWARF gives a {@link
 * DwarfFormatException} naming the file, section and offset. Thread-safe.
 *
 * <p>Addresses are the file's link-time addresses: subtract a shared object's load bias before asking.
 */
public final class DebugInfo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DebugInfo.class);

    private final ElfFile elf;
    private final DwarfContext context;
    private final TypeNames names;
    private final TypeResolver types;
    private final SignatureReader signatures;
    private final Map<Long, FunctionSignature> signatureCache = new HashMap<>();
    /** Its own lock: type resolution asks for the index while holding the resolver's lock. */
    private final Object indexLock = new Object();

    private NameIndex index;

    private DebugInfo(ElfFile elf) throws CoreFormatException {
        this.elf = elf;
        this.context = new DwarfContext(new DwarfSections(elf));
        this.names = new TypeNames(context);
        this.types = new TypeResolver(context, names, key -> index().types(key));
        this.signatures = new SignatureReader(context, names, types);
    }

    /**
     * Opens a file that holds DWARF itself: an executable or library built with {@code -g}, or a separate debug
     * file.
     *
     * @throws DwarfFormatException when the file has no .debug_info
     */
    public static DebugInfo open(Path file) throws CoreFormatException {
        ElfFile elf = ElfFile.open(file);
        try {
            if (!new DwarfSections(elf).hasDebugInfo()) {
                throw new DwarfFormatException(
                        file, "has no DWARF (.debug_info); was it built without -g or stripped?");
            }
            return new DebugInfo(elf);
        } catch (CoreFormatException | RuntimeException e) {
            elf.close();
            throw e;
        }
    }

    /**
     * The DWARF of an executable or library: its own when it has a .debug_info, else that of its separate
     * debug file, found as gdb finds it (build-id under the debug directories, then .gnu_debuglink). Empty when
     * there is none; why candidates were rejected is added to {@code problems}.
     */
    public static Optional<DebugInfo> forObject(Path object, DebugFileLocator locator, List<String> problems)
            throws CoreFormatException {
        try (ElfFile elf = ElfFile.open(object)) {
            if (new DwarfSections(elf).hasDebugInfo()) {
                return Optional.of(open(object));
            }
            Optional<Path> debugFile = locator.locate(elf, problems);
            if (debugFile.isEmpty()) {
                return Optional.empty();
            }
            log.debug("{}: reading DWARF from its debug file {}", object, debugFile.get());
            return Optional.of(open(debugFile.get()));
        }
    }

    /** The file the DWARF is read from. */
    public Path file() {
        return elf.path();
    }

    /**
     * Every function named {@code name} (DW_AT_name or linkage name): definitions with code first, external
     * before static, then declarations (prototypes a unit only uses). Several static functions can share a
     * name; so can a function and gcc's clones of it. To call a function whose ELF symbol is known, prefer
     * {@link #functionAt} with the symbol's address.
     */
    public synchronized List<FunctionSignature> functions(String name) throws CoreFormatException {
        List<FunctionSignature> result = new ArrayList<>();
        for (long offset : index().functions(name)) {
            result.add(signatureAt(offset));
        }
        result.sort(
                Comparator.comparing((FunctionSignature f) -> !f.definition()).thenComparing(f -> !f.external()));
        return List.copyOf(result);
    }

    /** The best of {@link #functions}: the external definition if there is one. */
    public Optional<FunctionSignature> function(String name) throws CoreFormatException {
        List<FunctionSignature> all = functions(name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** The function whose code holds {@code address} (link-time), or empty. */
    public synchronized Optional<FunctionSignature> functionAt(long address) throws CoreFormatException {
        Optional<Long> offset = index().functionAt(address);
        return offset.isPresent() ? Optional.of(signatureAt(offset.get())) : Optional.empty();
    }

    /**
     * A named type resolved for the ABI: "struct point", "union num", "enum color", "class Foo" or a typedef
     * name. The first definition in the file when several units define it.
     */
    public synchronized Optional<CType> type(String name) throws CoreFormatException {
        List<Long> offsets = index().types(name);
        if (offsets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(types.resolve(context.die(offsets.get(0))));
    }

    /** Units this reader skipped, each with the reason (type units, split DWARF, unknown versions). */
    public List<String> skippedUnits() throws CoreFormatException {
        return context.skippedUnits();
    }

    private NameIndex index() throws CoreFormatException {
        synchronized (indexLock) {
            if (index == null) {
                index = NameIndex.build(context);
            }
            return index;
        }
    }

    private FunctionSignature signatureAt(long dieOffset) throws CoreFormatException {
        FunctionSignature signature = signatureCache.get(dieOffset);
        if (signature == null) {
            signature = signatures.read(context.die(dieOffset));
            signatureCache.put(dieOffset, signature);
        }
        return signature;
    }

    @Override
    public void close() {
        elf.close();
    }

    @Override
    public String toString() {
        return "DebugInfo[" + elf.path() + "]";
    }
}
