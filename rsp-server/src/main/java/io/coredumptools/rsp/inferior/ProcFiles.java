package io.coredumptools.rsp.inferior;

import io.coredumptools.elfcore.AuxvEntry;
import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreFormatException;
import io.coredumptools.elfcore.CoreMemory;
import io.coredumptools.elfcore.ElfFile;
import io.coredumptools.elfcore.FileMapping;
import io.coredumptools.elfcore.LoadSegment;
import io.coredumptools.elfcore.ProcessInfo;
import io.coredumptools.elfcore.ProgramHeader;
import io.coredumptools.elfcore.StartupVectors;
import io.coredumptools.elfcore.ThreadState;
import io.coredumptools.elfcore.files.MappedRegion;
import io.coredumptools.elfcore.files.ResolvedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The process's {@code /proc/PID} files as the kernel would have served them at the crash, made from the core
 * alone (never a host /proc file): {@code cmdline}, {@code environ} (from the initial stack's argv and envp,
 * {@link StartupVectors}), {@code auxv} (NT_AUXV), {@code maps} (the core's segments, NT_FILE names and offsets,
 * dev:inode of the file served, and the kernel's pseudo names), {@code stat} and {@code status} (NT_PRPSINFO and
 * the threads), and {@code task/TID/...} for the core's threads; the link {@code exe}.
 *
 * <p>Synthesized, because a core does not record them: State is {@code t (tracing stop)}, as a stopped process
 * under a debugger shows; fault counts, times, nice, rss, signal masks are 0. {@code cwd} is not in a core (the
 * initial environment's PWD is not the crash's working directory): it is not served.
 *
 * <p>Pseudo names, by the kernel's rules: {@code [stack]} holds argc (start_stack); {@code [vdso]} is at
 * AT_SYSINFO_EHDR, with {@code [vvar]} (and {@code [vvar_vclock]} on 6.x kernels) the read-only anonymous
 * segments just below it; {@code [vsyscall]} at 0xffffffffff600000; {@code [heap]} the first anonymous rw segment
 * above the executable that starts with malloc's first chunk (the tcache, of size 0x290 or 0x250), or for a
 * static program the one holding the main thread's TCB (taken from brk before malloc runs).
 */
final class ProcFiles {
    private static final long VSYSCALL = 0xffffffffff600000L;
    /** The kernel writes the name of a mapping from this column on. */
    private static final int NAME_COLUMN = 73;
    /** RLIM_INFINITY in stat's rsslim. */
    private static final long UNLIMITED = Long.MIN_VALUE;

    private final CoreDump core;
    private final int pid;
    private final Optional<StartupVectors> vectors;
    private final Map<Long, String> pseudoNames = new HashMap<>();
    private final Map<String, byte[]> documents = new HashMap<>();

    ProcFiles(CoreDump core, int pid) {
        this.core = core;
        this.pid = pid;
        this.vectors = StartupVectors.of(core);
        namePseudoMappings();
    }

    /** The contents of a /proc path of this process (or of one of its threads), if it is one made here. */
    synchronized Optional<byte[]> read(String path) {
        Optional<String> file = fileOf(path);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        byte[] known = documents.get(file.get());
        if (known != null) {
            return Optional.of(known);
        }
        Optional<byte[]> made = make(file.get());
        made.ifPresent(bytes -> documents.put(file.get(), bytes));
        return made;
    }

    /** The target of a link under /proc/PID ({@code exe}: the executable's path as the process had it). */
    Optional<String> readlink(String path) {
        if (path.equals("/proc/" + pid + "/exe")) {
            return core.executable().map(ResolvedFile::recordedPath);
        }
        return Optional.empty();
    }

    /** {@code "maps"} or {@code "task/TID/maps"} for /proc/PID/... of this process and its threads. */
    private Optional<String> fileOf(String path) {
        String prefix = "/proc/" + pid + "/";
        if (!path.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = path.substring(prefix.length());
        if (rest.startsWith("task/")) {
            int slash = rest.indexOf('/', "task/".length());
            if (slash < 0) {
                return Optional.empty();
            }
            String tid = rest.substring("task/".length(), slash);
            if (!tid.matches("[1-9][0-9]{0,9}") || thread(Long.parseLong(tid)).isEmpty()) {
                return Optional.empty();
            }
            String name = rest.substring(slash + 1);
            return List.of("maps", "stat", "status").contains(name) ? Optional.of(rest) : Optional.empty();
        }
        return List.of("cmdline", "environ", "auxv", "maps", "stat", "status").contains(rest)
                ? Optional.of(rest)
                : Optional.empty();
    }

    private Optional<ThreadState> thread(long tid) {
        return core.threads().stream().filter(t -> t.tid() == tid).findFirst();
    }

    private Optional<byte[]> make(String file) {
        long tid = pid;
        String name = file;
        if (file.startsWith("task/")) {
            int slash = file.indexOf('/', "task/".length());
            tid = Long.parseLong(file.substring("task/".length(), slash));
            name = file.substring(slash + 1);
        }
        CoreMemory memory = core.memory();
        return switch (name) {
            case "cmdline" ->
                vectors.map(v -> v.commandLine(memory))
                        .or(() -> core.process().map(p -> (p.commandLine() + "\0").getBytes(StandardCharsets.UTF_8)));
            case "environ" -> vectors.map(v -> v.environment(memory));
            case "auxv" -> Optional.of(auxv());
            case "maps" -> Optional.of(maps().getBytes(StandardCharsets.UTF_8));
            case "stat" -> Optional.of(stat(tid).getBytes(StandardCharsets.UTF_8));
            case "status" -> Optional.of(status(tid).getBytes(StandardCharsets.UTF_8));
            default -> Optional.empty();
        };
    }

    private byte[] auxv() {
        List<AuxvEntry> entries = core.auxv();
        ByteBuffer b = ByteBuffer.allocate((entries.size() + 1) * 16).order(ByteOrder.LITTLE_ENDIAN);
        for (AuxvEntry e : entries) {
            b.putLong(e.type()).putLong(e.value());
        }
        if (entries.isEmpty() || entries.get(entries.size() - 1).type() != AuxvEntry.AT_NULL) {
            b.putLong(AuxvEntry.AT_NULL).putLong(0);
        }
        byte[] bytes = new byte[b.position()];
        b.flip().get(bytes);
        return bytes;
    }

    // ---- maps -----------------------------------------------------------------------------------------

    private void namePseudoMappings() {
        List<LoadSegment> segments = core.segments();
        vectors.flatMap(v -> segmentHolding(v.startStack())).ifPresent(s -> pseudoNames.put(s.vaddr(), "[stack]"));
        core.auxvValue(AuxvEntry.AT_SYSINFO_EHDR).filter(v -> v != 0).ifPresent(vdso -> {
            pseudoNames.put(vdso, "[vdso]");
            // [vvar] (and [vvar_vclock] on 6.x) are the read-only anonymous segments right below the vDSO.
            List<LoadSegment> below = new ArrayList<>();
            long end = vdso;
            for (int i = segments.size() - 1; i >= 0; i--) {
                LoadSegment s = segments.get(i);
                if (s.end() == end
                        && fileMapping(s).isEmpty()
                        && !s.permissions().contains("W")
                        && !s.permissions().contains("w")
                        && below.size() < 2) {
                    below.add(0, s);
                    end = s.vaddr();
                }
            }
            if (!below.isEmpty()) {
                pseudoNames.put(below.get(0).vaddr(), "[vvar]");
            }
            if (below.size() == 2) {
                pseudoNames.put(below.get(1).vaddr(), "[vvar_vclock]");
            }
        });
        pseudoNames.put(VSYSCALL, "[vsyscall]");
        heapSegment().ifPresent(s -> pseudoNames.put(s.vaddr(), "[heap]"));
    }

    /**
     * The first anonymous rw segment above the executable that starts with malloc's first chunk, the tcache
     * (size 0x290 with glibc 2.30+, 0x250 before, in-use bit set): the kernel names the mapping that overlaps
     * [start_brk, brk], which a core does not record. A static program's .bss tail comes between.
     */
    private Optional<LoadSegment> heapSegment() {
        Optional<String> exe = core.executable().map(ResolvedFile::recordedPath);
        if (exe.isEmpty()) {
            return Optional.empty();
        }
        long exeEnd = core.fileMappings().stream()
                .filter(m -> m.path().equals(exe.get()))
                .mapToLong(FileMapping::end)
                .max()
                .orElse(0);
        if (exeEnd == 0) {
            return Optional.empty();
        }
        for (LoadSegment s : core.segments()) {
            if (Long.compareUnsigned(s.vaddr(), exeEnd) < 0
                    || fileMapping(s).isPresent()
                    || !(s.permissions().contains("W") || s.permissions().contains("w"))) {
                continue;
            }
            Optional<Long> size = core.memory().readLong(s.vaddr() + 8);
            if (size.isPresent() && (size.get() == 0x291 || size.get() == 0x251)) {
                return Optional.of(s);
            }
        }
        // A static program (no interpreter) takes its main thread's TLS block and TCB from brk first: the heap
        // is where the main thread's thread pointer is.
        if (core.auxvValue(AuxvEntry.AT_BASE).orElse(0L) == 0) {
            Optional<Long> tp = core.threads().stream()
                    .filter(t -> t.tid() == pid)
                    .findFirst()
                    .map(t -> t.registers().fsBase());
            return tp.flatMap(this::segmentHolding)
                    .filter(s -> Long.compareUnsigned(s.vaddr(), exeEnd) >= 0
                            && fileMapping(s).isEmpty());
        }
        return Optional.empty();
    }

    private Optional<LoadSegment> segmentHolding(long address) {
        return core.segments().stream()
                .filter(s ->
                        Long.compareUnsigned(s.vaddr(), address) <= 0 && Long.compareUnsigned(address, s.end()) < 0)
                .findFirst();
    }

    private Optional<MappedRegion> fileMapping(LoadSegment s) {
        for (MappedRegion region : core.mappedRegions()) {
            if (region.mapping().start() == s.vaddr()) {
                return Optional.of(region);
            }
        }
        return Optional.empty();
    }

    /** One line of maps: a segment of the core, or a file mapping the core has no segment for (gdb's gcore). */
    private record MapsEntry(long start, long end, String perms, Optional<MappedRegion> file) {}

    /** {@code /proc/PID/maps} as the kernel writes it. */
    String maps() {
        TreeMap<Long, MapsEntry> entries = new TreeMap<>(Long::compareUnsigned);
        for (LoadSegment seg : core.segments()) {
            entries.put(seg.vaddr(), new MapsEntry(seg.vaddr(), seg.end(), perms(seg.permissions()), fileMapping(seg)));
        }
        // gcore writes no segment for an unmodified read-only file mapping, though NT_FILE lists it: it was
        // there, with its file's permissions.
        for (MappedRegion region : core.mappedRegions()) {
            FileMapping m = region.mapping();
            if (segmentHolding(m.start()).isEmpty()) {
                entries.putIfAbsent(
                        m.start(), new MapsEntry(m.start(), m.end(), filePerms(region), Optional.of(region)));
            }
        }
        StringBuilder s = new StringBuilder();
        for (MapsEntry entry : entries.values()) {
            Optional<MappedRegion> file = entry.file();
            String device = "00:00";
            long inode = 0;
            String name = pseudoNames.get(entry.start());
            long offset = 0;
            if (file.isPresent()) {
                offset = file.get().mapping().fileOffset();
                name = file.get().mapping().path();
                Optional<Path> host = file.get().file().path();
                if (host.isPresent()) {
                    try {
                        long dev = ((Number) Files.getAttribute(host.get(), "unix:dev")).longValue();
                        inode = ((Number) Files.getAttribute(host.get(), "unix:ino")).longValue();
                        device = String.format("%02x:%02x", (dev >> 8) & 0xfff, (dev & 0xff) | ((dev >> 12) & 0xfff00));
                    } catch (IOException | RuntimeException e) {
                        // unknown: 00:00 0
                    }
                }
            }
            String line = String.format(
                    "%x-%x %s %08x %s %d", entry.start(), entry.end(), entry.perms(), offset, device, inode);
            s.append(line);
            if (name != null) {
                s.append(" ".repeat(Math.max(1, NAME_COLUMN - line.length()))).append(name);
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** The permissions an unmodified mapping of the file has at its offset: its PT_LOAD's flags (r-- for data). */
    private static String filePerms(MappedRegion region) {
        Optional<Path> host = region.file().path();
        if (host.isEmpty() || !region.file().elf()) {
            return "r--p";
        }
        long offset = region.mapping().fileOffset();
        try (ElfFile elf = ElfFile.open(host.get())) {
            for (ProgramHeader ph : elf.programHeaders()) {
                long from = ph.offset() & ~0xfffL;
                if (ph.type() == ProgramHeader.PT_LOAD && offset >= from && offset < ph.offset() + ph.fileSize()) {
                    return ((ph.flags() & ProgramHeader.PF_R) != 0 ? "r" : "-")
                            + ((ph.flags() & ProgramHeader.PF_W) != 0 ? "w" : "-")
                            + ((ph.flags() & ProgramHeader.PF_X) != 0 ? "x" : "-") + "p";
                }
            }
        } catch (CoreFormatException | RuntimeException e) {
            // not readable as ELF: as a data file
        }
        return "r--p";
    }

    private static String perms(String p) {
        String r = p.contains("r") || p.contains("R") ? "r" : "-";
        String w = p.contains("w") || p.contains("W") ? "w" : "-";
        String x = p.contains("x") || p.contains("X") || p.contains("E") ? "x" : "-";
        return r + w + x + "p";
    }

    // ---- stat and status ------------------------------------------------------------------------------

    private String comm() {
        return core.process()
                .map(ProcessInfo::fileName)
                .filter(n -> !n.isEmpty())
                .orElse("core");
    }

    /** {@code stat} in the kernel's field order (fs/proc/array.c); what a core does not record is 0. */
    private String stat(long tid) {
        Optional<ProcessInfo> p = core.process();
        long vsize = core.segments().stream().mapToLong(LoadSegment::memorySize).sum();
        long[] code = codeRange();
        long startStack = vectors.map(StartupVectors::startStack).orElse(0L);
        long argStart = vectors.filter(v -> !v.argv().isEmpty())
                .map(v -> v.argv().get(0))
                .orElse(0L);
        long envStart = vectors.filter(v -> !v.envp().isEmpty())
                .map(v -> v.envp().get(0))
                .orElse(0L);
        long argEnd = envStart;
        long envEnd = vectors.filter(v -> !v.envp().isEmpty())
                .map(v -> envStart + v.environment(core.memory()).length)
                .orElse(0L);
        StringBuilder s = new StringBuilder();
        s.append(tid).append(" (").append(comm()).append(") t");
        long[] fields = {
            p.map(ProcessInfo::ppid).orElse(0),
            p.map(ProcessInfo::pgrp).orElse(0),
            p.map(ProcessInfo::sid).orElse(0),
            0, // tty_nr
            -1, // tpgid
            0, // flags
            0,
            0,
            0,
            0, // minflt cminflt majflt cmajflt
            0,
            0,
            0,
            0, // utime stime cutime cstime
            20,
            0, // priority nice
            core.threads().size(),
            0, // itrealvalue
            0, // starttime
            vsize,
            0, // rss
            UNLIMITED, // rsslim
            code[0],
            code[1],
            startStack,
            0,
            0, // kstkesp kstkeip
            0,
            0,
            0,
            0, // signal blocked sigignore sigcatch
            0,
            0,
            0, // wchan nswap cnswap
            17, // exit_signal (SIGCHLD)
            0,
            0,
            0,
            0,
            0,
            0, // processor rt_priority policy delayacct_blkio_ticks guest_time cguest_time
            0,
            0,
            0, // start_data end_data start_brk
            argStart,
            argEnd,
            envStart,
            envEnd,
            0 // exit_code
        };
        for (long f : fields) {
            s.append(' ').append(f == UNLIMITED ? "18446744073709551615" : Long.toString(f));
        }
        return s.append('\n').toString();
    }

    /** start_code and end_code: the executable's PF_X PT_LOAD, relocated, from its program headers in memory. */
    private long[] codeRange() {
        Optional<Long> phdr = core.auxvValue(AuxvEntry.AT_PHDR);
        Optional<Long> phnum = core.auxvValue(AuxvEntry.AT_PHNUM);
        if (phdr.isEmpty() || phnum.isEmpty() || phnum.get() <= 0 || phnum.get() > 1024) {
            return new long[] {0, 0};
        }
        Optional<ByteBuffer> table = core.processMemory().read(phdr.get(), (int) (phnum.get() * ProgramHeader.SIZE));
        if (table.isEmpty()) {
            return new long[] {0, 0};
        }
        ByteBuffer b = table.get().order(ByteOrder.LITTLE_ENDIAN);
        long bias = 0;
        long[] code = {0, 0};
        for (int i = 0; i < phnum.get(); i++) {
            int at = i * ProgramHeader.SIZE;
            int type = b.getInt(at);
            int flags = b.getInt(at + 4);
            long vaddr = b.getLong(at + 16);
            long fileSize = b.getLong(at + 32);
            if (type == ProgramHeader.PT_PHDR) {
                bias = phdr.get() - vaddr;
            } else if (type == ProgramHeader.PT_LOAD && (flags & ProgramHeader.PF_X) != 0 && code[1] == 0) {
                code[0] = vaddr;
                code[1] = vaddr + fileSize;
            }
        }
        return new long[] {code[0] + bias, code[1] + bias};
    }

    /** {@code status}: the lines a core can fill. */
    private String status(long tid) {
        Optional<ProcessInfo> p = core.process();
        int uid = p.map(ProcessInfo::uid).orElse(0);
        int gid = p.map(ProcessInfo::gid).orElse(0);
        long vsizeKb =
                core.segments().stream().mapToLong(LoadSegment::memorySize).sum() / 1024;
        return "Name:\t" + comm() + "\n"
                + "State:\tt (tracing stop)\n"
                + "Tgid:\t" + pid + "\n"
                + "Pid:\t" + tid + "\n"
                + "PPid:\t" + p.map(ProcessInfo::ppid).orElse(0) + "\n"
                + "TracerPid:\t0\n"
                + "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"
                + "Gid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid + "\n"
                + "VmSize:\t" + String.format("%8d", vsizeKb) + " kB\n"
                + "Threads:\t" + core.threads().size() + "\n";
    }
}
