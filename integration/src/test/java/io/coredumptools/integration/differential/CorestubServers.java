package io.coredumptools.integration.differential;

import io.coredumptools.integration.gdb.CorestubServer;
import io.coredumptools.testkit.CoreFixture;
import io.coredumptools.testkit.Fixture;
import io.coredumptools.testkit.Fixtures;
import java.util.EnumMap;
import java.util.Map;

/**
 * One {@code corestub serve} per fixture for the rows of a test class (each row connects anew, so each has its own
 * session); {@link #close()} stops them all.
 */
final class CorestubServers implements AutoCloseable {
    private final Map<Fixture, CorestubServer> servers = new EnumMap<>(Fixture.class);

    synchronized CorestubServer of(Fixture fixture) {
        return servers.computeIfAbsent(fixture, f -> CorestubServer.serve(Fixtures.get(f)));
    }

    CoreFixture core(Fixture fixture) {
        return Fixtures.get(fixture);
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(CorestubServer::close);
        servers.clear();
    }
}
