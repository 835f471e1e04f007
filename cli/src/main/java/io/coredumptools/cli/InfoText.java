package io.coredumptools.cli;

import io.coredumptools.cli.InfoReport.FileReport;
import io.coredumptools.cli.InfoReport.LoadedObjectReport;
import io.coredumptools.cli.InfoReport.MappingReport;
import io.coredumptools.cli.InfoReport.SegmentReport;
import io.coredumptools.cli.InfoReport.ThreadReport;
import io.coredumptools.cli.InfoReport.TruncationView;
import java.io.PrintWriter;
import java.util.List;

/** {@code corestub info} for people: a header of key/value lines, then one section per list. */
public final class InfoText {

    private InfoText() {}

    public static void write(InfoReport r, PrintWriter out) {
        field(out, "core", r.core());
        field(out, "executable", r.executable() == null ? "unknown (the core names none)" : describe(r.executable()));
        if (r.process() != null) {
            field(out, "command", quoteIfEmpty(r.process().commandLine()));
            field(
                    out,
                    "pid",
                    r.process().pid() + " (ppid " + r.process().ppid() + ", uid "
                            + r.process().uid() + ", gid " + r.process().gid() + ")");
        } else {
            field(out, "command", "unknown (no NT_PRPSINFO note)");
            field(out, "pid", "unknown");
        }
        if (r.signal() != null) {
            StringBuilder s = new StringBuilder()
                    .append(r.signal().name())
                    .append(" (")
                    .append(r.signal().number())
                    .append("), si_code ")
                    .append(r.signal().code());
            if (r.signal().errno() != 0) {
                s.append(", errno ").append(r.signal().errno());
            }
            if (r.signal().faultAddress() != null) {
                s.append(", fault address ").append(r.signal().faultAddress());
            }
            field(out, "signal", s.toString());
        } else {
            field(out, "signal", "unknown (no NT_SIGINFO note)");
        }

        heading(out, "threads", r.threads().size());
        for (ThreadReport t : r.threads()) {
            out.printf(
                    "  #%-3d tid %-8d pc %-18s %s  fs_base %s%n",
                    t.index(), t.tid(), t.pc(), t.pcSymbol() == null ? "??" : t.pcSymbol(), t.fsBase());
        }

        heading(out, "mappings", r.mappings().size());
        int width = 0;
        for (MappingReport m : r.mappings()) {
            width = Math.max(width, m.start().length() + 1 + m.end().length());
        }
        int offsetWidth =
                r.mappings().stream().mapToInt(m -> m.offset().length()).max().orElse(3);
        for (MappingReport m : r.mappings()) {
            out.printf(
                    "  %-" + width + "s  %-" + offsetWidth + "s  %s%n",
                    m.start() + "-" + m.end(),
                    m.offset(),
                    describe(m.file()));
        }

        heading(out, "loaded objects", r.loadedObjects().size());
        if (r.loadedObjectsProblem() != null) {
            out.println("  (" + r.loadedObjectsProblem() + ")");
        }
        int nameWidth = r.loadedObjects().stream()
                .mapToInt(o -> displayName(o).length())
                .max()
                .orElse(0);
        for (LoadedObjectReport o : r.loadedObjects()) {
            boolean otherPath = o.recordedPath() != null
                    && !o.name().isEmpty()
                    && !o.recordedPath().equals(o.name());
            out.printf(
                    "  %-" + nameWidth + "s  l_addr %-14s  build-id %s%s%n",
                    displayName(o),
                    o.lAddr(),
                    o.buildId() == null ? "unknown" : o.buildId(),
                    otherPath ? "  (" + o.recordedPath() + ")" : "");
        }

        out.println();
        TruncationView t = r.truncation();
        if (!t.truncated()) {
            field(out, "truncation", "none (" + t.fileSize() + " bytes, complete)");
        } else {
            field(
                    out,
                    "truncation",
                    "TRUNCATED: " + t.fileSize() + " of " + t.expectedSize() + " bytes present ("
                            + t.missingBytes() + " missing); " + t.segments().size() + " segment"
                            + (t.segments().size() == 1 ? "" : "s") + " cut short");
            for (SegmentReport s : t.segments()) {
                out.printf(
                        "  %s-%s %s  %d of %d bytes present%s%n",
                        s.vaddr(),
                        s.end(),
                        s.permissions() == null ? "" : s.permissions(),
                        s.presentBytes(),
                        s.expectedBytes(),
                        s.missing() ? " (all missing)" : "");
            }
        }
        List<String> warnings = r.warnings();
        if (warnings.isEmpty()) {
            field(out, "warnings", "none");
        } else {
            out.println("warnings (" + warnings.size() + "):");
            for (String w : warnings) {
                out.println("  - " + w);
            }
        }
        out.flush();
    }

    /** {@code /usr/lib/libc.so.6}, {@code /a/b -> /sysroot/a/b (sysroot)}, {@code /a/b  MISSING}, with build-id. */
    static String describe(FileReport f) {
        StringBuilder s = new StringBuilder(f.recordedPath());
        if (f.missing()) {
            s.append("  MISSING");
        } else if (f.resolvedPath() != null
                && !(f.resolution().equals("as_is") && f.resolvedPath().equals(f.recordedPath()))) {
            s.append(" -> ")
                    .append(f.resolvedPath())
                    .append(" (")
                    .append(f.resolution().replace('_', ' '))
                    .append(')');
        }
        if (f.buildIdMismatch()) {
            s.append("  BUILD-ID MISMATCH (core ")
                    .append(f.coreBuildId())
                    .append(", file ")
                    .append(f.fileBuildId())
                    .append(')');
        }
        return s.toString();
    }

    private static String displayName(LoadedObjectReport o) {
        return o.name().isEmpty() ? "(main program)" : o.name();
    }

    private static String quoteIfEmpty(String s) {
        return s == null || s.isEmpty() ? "\"\"" : s;
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("%-11s %s%n", name, value);
    }

    private static void heading(PrintWriter out, String name, int count) {
        out.println();
        out.println(name + " (" + count + "):");
    }
}
