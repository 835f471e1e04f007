package io.coredumptools.rsp.target;

import io.coredumptools.rsp.request.Feature;
import java.util.List;
import java.util.Set;

/**
 * A catalog of cores served as the "processes" of gdb's extended-remote ({@code serve --catalog}): {@code info os
 * processes} lists them, {@code attach PID} opens one as the connection's target, {@code detach} closes it.
 */
public interface CatalogTarget {
    /** One core as a process: its pid, command and fatal signal (Linux number, 0 when none), read from its notes. */
    record Process(int pid, String command, int signal, String location) {}

    /** The cores under the catalog's prefix (read afresh: a connection caches what it was given). */
    List<Process> list();

    /** Opens a listed core, lazily, as a target of its own; closing the target closes the core. */
    Target open(Process process);

    /** The features the targets it opens offer (qSupported is answered before any is opened). */
    Set<Feature> features();
}
