package io.coredumptools.integration.differential;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The known mismatches of gdb's test programs (what fails today on main), one place, each with the defect
 * observed. A fix makes entries fail as "NOW EQUAL": delete them then.
 */
final class KnownMismatchLists {
    private KnownMismatchLists() {}

    /** callfuncs.exp with -DPROTOTYPES: every call agrees on both kinds of core today. */
    static final KnownMismatches CALLFUNCS = KnownMismatches.none();

    /** callfuncs.exp with -DNO_PROTOTYPES ("noproto"): the same. */
    static final KnownMismatches CALLFUNCS_NOPROTO = KnownMismatches.none();

    /** call-strs.exp: the same. */
    static final KnownMismatches CALL_STRS = KnownMismatches.none();

    /** By configuration label: every structs configuration run agrees today, on both kinds of core. */
    /** Per structs.exp configuration (its label, e.g. "{tc td}"): none differs today. */
    static final Map<String, KnownMismatches> STRUCTS = StructsConfiguration.EXP.stream()
            .collect(Collectors.toMap(StructsConfiguration::label, configuration -> KnownMismatches.none()));
}
