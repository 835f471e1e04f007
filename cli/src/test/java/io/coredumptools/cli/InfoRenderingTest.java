package io.coredumptools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coredumptools.cli.InfoReport.FileReport;
import io.coredumptools.cli.InfoReport.LoadedObjectReport;
import io.coredumptools.cli.InfoReport.MappingReport;
import io.coredumptools.cli.InfoReport.ProcessReport;
import io.coredumptools.cli.InfoReport.SegmentReport;
import io.coredumptools.cli.InfoReport.SignalReport;
import io.coredumptools.cli.InfoReport.ThreadReport;
import io.coredumptools.cli.InfoReport.TruncationView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text and JSON forms of a hand-made report (no core needed). */
class InfoRenderingTest {

    private static final FileReport EXE =
            new FileReport("/home/u/demo", "/home/u/demo", "as_is", false, "aabb", "aabb", "aabb", false);
    private static final FileReport LIBC = new FileReport(
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            "/sysroot/usr/lib/x86_64-linux-gnu/libc.so.6",
            "sysroot",
            false,
            "1111",
            "1111",
            "2222",
            true);
    private static final FileReport GONE =
            new FileReport("/opt/libgone.so", null, "missing", true, null, null, null, false);

    static InfoReport sample() {
        return new InfoReport(
                InfoReport.FORMAT,
                "/tmp/core",
                EXE,
                new ProcessReport(4242, 1, 1000, 1000, "R", "demo", "./demo --fast"),
                new SignalReport("SIGSEGV", 11, 1, 0, "0x10"),
                List.of(
                        new ThreadReport(
                                1,
                                4242,
                                11,
                                "0x555555555189",
                                "greet+0x12 (demo+0x1189)",
                                "0x7ffc0000",
                                "0x7ffff7d8a740"),
                        new ThreadReport(2, 4243, 0, "0x7ffff7e9a545", null, "0x7ffff7000000", "0x7ffff75896c0")),
                List.of(
                        new MappingReport("0x555555554000", "0x555555555000", "0x0", EXE),
                        new MappingReport("0x7ffff7dad000", "0x7ffff7dd3000", "0x0", LIBC),
                        new MappingReport("0x7ffff7fc0000", "0x7ffff7fc1000", "0x2000", GONE)),
                List.of(
                        new LoadedObjectReport("", "0x555555554000", "0x555555557dc8", "/home/u/demo", "aabb"),
                        new LoadedObjectReport("linux-vdso.so.1", "0x7ffff7fc1000", "0x7ffff7fc13e0", null, null),
                        new LoadedObjectReport(
                                "/lib/x86_64-linux-gnu/libc.so.6",
                                "0x7ffff7dad000",
                                "0x7ffff7f9e9c0",
                                "/usr/lib/x86_64-linux-gnu/libc.so.6",
                                "1111")),
                null,
                new TruncationView(
                        true,
                        4096,
                        12288,
                        8192,
                        List.of(new SegmentReport("0x7ffff7ff0000", "0x7ffff7ff2000", "rw-", 0, 8192, true))),
                List.of("build-id mismatch for libc.so.6"));
    }

    private static String text(InfoReport report) {
        StringWriter s = new StringWriter();
        InfoText.write(report, new PrintWriter(s));
        return s.toString();
    }

    @Test
    void textShowsEverySection() {
        String text = text(sample());
        assertThat(text)
                .contains("core        /tmp/core")
                .contains("executable  /home/u/demo")
                .contains("command     ./demo --fast")
                .contains("pid         4242")
                .contains("signal      SIGSEGV (11), si_code 1, fault address 0x10")
                .contains("threads (2):")
                .contains("tid 4242")
                .contains("pc 0x555555555189")
                .contains("greet+0x12 (demo+0x1189)")
                .contains("fs_base 0x7ffff7d8a740")
                .contains("mappings (3):")
                .contains("0x555555554000-0x555555555000")
                .contains("/usr/lib/x86_64-linux-gnu/libc.so.6 -> /sysroot/usr/lib/x86_64-linux-gnu/libc.so.6 "
                        + "(sysroot)  BUILD-ID MISMATCH (core 1111, file 2222)")
                .contains("/opt/libgone.so  MISSING")
                .contains("loaded objects (3):")
                .contains("(main program)")
                .contains("l_addr 0x555555554000")
                .contains("build-id aabb")
                .contains("linux-vdso.so.1")
                .contains("build-id unknown")
                .contains("build-id 1111  (/usr/lib/x86_64-linux-gnu/libc.so.6)")
                .contains("TRUNCATED: 4096 of 12288 bytes present (8192 missing); 1 segment cut short")
                .contains("0x7ffff7ff0000-0x7ffff7ff2000 rw-  0 of 8192 bytes present (all missing)")
                .contains("warnings (1):")
                .contains("  - build-id mismatch for libc.so.6");
    }

    @Test
    void textOfASparseReport() {
        InfoReport r = new InfoReport(
                InfoReport.FORMAT,
                "/tmp/core",
                null,
                null,
                new SignalReport("SIGABRT", 6, -6, 0, null),
                List.of(),
                List.of(),
                List.of(),
                "static executable: no dynamic linker",
                new TruncationView(false, 100, 100, 0, List.of()),
                List.of());
        String text = text(r);
        assertThat(text)
                .contains("executable  unknown")
                .contains("signal      SIGABRT (6), si_code -6\n")
                .doesNotContain("fault address")
                .contains("(static executable: no dynamic linker)")
                .contains("truncation  none (100 bytes, complete)")
                .contains("warnings    none");
    }

    @Test
    void jsonFieldNamesAreSnakeCaseAndStable() throws Exception {
        JsonNode json = new ObjectMapper().readTree(InfoJson.toJson(sample()));
        assertThat(fieldNames(json))
                .containsExactly(
                        "format",
                        "core",
                        "executable",
                        "process",
                        "signal",
                        "threads",
                        "mappings",
                        "loaded_objects",
                        "loaded_objects_problem",
                        "truncation",
                        "warnings");
        assertThat(json.get("format").asText()).isEqualTo("corestub-info/1");
        assertThat(fieldNames(json.get("executable")))
                .containsExactly(
                        "recorded_path",
                        "resolved_path",
                        "resolution",
                        "missing",
                        "build_id",
                        "core_build_id",
                        "file_build_id",
                        "build_id_mismatch");
        assertThat(fieldNames(json.get("process")))
                .containsExactly("pid", "ppid", "uid", "gid", "state", "file_name", "command_line");
        assertThat(fieldNames(json.get("signal"))).containsExactly("name", "number", "code", "errno", "fault_address");
        assertThat(fieldNames(json.get("threads").get(0)))
                .containsExactly("index", "tid", "signal", "pc", "pc_symbol", "sp", "fs_base");
        assertThat(fieldNames(json.get("mappings").get(0))).containsExactly("start", "end", "offset", "file");
        assertThat(fieldNames(json.get("loaded_objects").get(0)))
                .containsExactly("name", "l_addr", "l_ld", "recorded_path", "build_id");
        assertThat(fieldNames(json.get("truncation")))
                .containsExactly("truncated", "file_size", "expected_size", "missing_bytes", "segments");
        assertThat(fieldNames(json.get("truncation").get("segments").get(0)))
                .containsExactly("vaddr", "end", "permissions", "present_bytes", "expected_bytes", "missing");
    }

    @Test
    void jsonAddressesAreHexStringsAndAbsentValuesNull() throws Exception {
        JsonNode json = new ObjectMapper().readTree(InfoJson.toJson(sample()));
        assertThat(json.get("threads").get(0).get("pc").isTextual()).isTrue();
        assertThat(json.get("threads").get(0).get("pc").asText()).isEqualTo("0x555555555189");
        assertThat(json.get("threads").get(1).get("pc_symbol").isNull()).isTrue();
        assertThat(json.get("signal").get("fault_address").asText()).isEqualTo("0x10");
        assertThat(json.get("mappings").get(2).get("file").get("missing").asBoolean())
                .isTrue();
        assertThat(json.get("mappings").get(2).get("file").get("resolved_path").isNull())
                .isTrue();
        assertThat(json.get("mappings")
                        .get(1)
                        .get("file")
                        .get("build_id_mismatch")
                        .asBoolean())
                .isTrue();
        assertThat(json.get("loaded_objects_problem").isNull()).isTrue();
        assertThat(json.get("truncation").get("missing_bytes").asLong()).isEqualTo(8192);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
