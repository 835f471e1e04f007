package io.coredumptools.integration.lldb;

import static org.assertj.core.api.Assertions.assertThat;

import io.coredumptools.elfcore.CoreDump;
import io.coredumptools.elfcore.CoreOptions;
import io.coredumptools.elfcore.LoadedObject;
import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance: lldb on a non-PIE (ET_EXEC) program. lldb makes the first ET_EXEC module of each library list its
 * executable and clears every load address when it does; corestub lists the main program only in the first list
 * of the connection, so {@code image list} shows every library at its link_map load address and calls work, with
 * and without {@code target create}; the calls answer what lldb answers on the live program.
 */
class LldbNonPieTest {
    private static final String[] COMMANDS = {"image list", "expr next_id()", "expr point_sum(gp)"};
    private static final Pattern MODULE =
            Pattern.compile("^\\[\\s*\\d+\\] \\S+ (0x\\p{XDigit}+) (\\S+)", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void librariesAreAtTheirLoadAddressesAndCallsWork(boolean targetCreate) throws Exception {
        CoreFixture f = Fixtures.get(Fixture.DEMO_NO_PIE);
        List<LoadedObject> objects;
        try (CoreDump core = CoreDump.open(f.core(), CoreOptions.defaults())) {
            objects = core.loadedObjects();
        }
        LldbRun remote;
        try (CorestubServer server = CorestubServer.serve(f)) {
            remote = targetCreate
                    ? LldbRun.remoteWithProgram(f.program(), server.address(), f.directory(), COMMANDS)
                    : LldbRun.remote(server.address(), f.directory(), COMMANDS);
        }
        String images = remote.section("image list");
        Matcher m = MODULE.matcher(images);
        int libraries = 0;
        while (m.find()) {
            String path = m.group(2);
            long address = Long.parseUnsignedLong(m.group(1).substring(2), 16);
            for (LoadedObject o : objects) {
                String base = o.name().substring(o.name().lastIndexOf('/') + 1);
                if (!o.name().isEmpty() && path.endsWith("/" + base)) {
                    assertThat(address)
                            .as(path + " at its link_map l_addr\n" + remote.describe())
                            .isEqualTo(o.loadBias());
                    libraries++;
                }
            }
        }
        assertThat(libraries)
                .as("libm, libc, ld.so listed\n" + remote.describe())
                .isGreaterThanOrEqualTo(3);
        assertThat(images).as(remote.describe()).contains(" 0x0000000000400000 ");

        LldbRun live = LldbRun.live(f.program(), f.directory(), "expr next_id()", "expr point_sum(gp)");
        assertThat(remote.value("expr next_id()")).as(remote.describe()).isEqualTo(live.value("expr next_id()"));
        assertThat(remote.value("expr point_sum(gp)"))
                .as(remote.describe())
                .isEqualTo(live.value("expr point_sum(gp)"));
    }
}
