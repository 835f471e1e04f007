package io.coredumptools.rsp.target;

import io.coredumptools.rsp.request.Feature;
import java.util.EnumSet;
import java.util.Set;

/** Which protocol features a target offers: the ones every target has, and one per optional interface. */
public final class Features {
    private Features() {}

    public static Set<Feature> of(Target target) {
        Set<Feature> features = EnumSet.of(
                Feature.BASE,
                Feature.THREADS,
                Feature.REGISTERS,
                Feature.TARGET_DESCRIPTION,
                Feature.MEMORY,
                Feature.RESUME,
                Feature.PROCESS);
        target.breakpoints().ifPresent(x -> features.add(Feature.BREAKPOINTS));
        target.siginfo().ifPresent(x -> features.add(Feature.SIGINFO));
        target.documents()
                .ifPresent(x -> features.addAll(
                        EnumSet.of(Feature.AUXV, Feature.EXEC_FILE, Feature.LIBRARIES, Feature.MEMORY_MAP)));
        target.tls().ifPresent(x -> features.add(Feature.TLS));
        target.warnings().ifPresent(x -> features.add(Feature.CONNECT_WARNINGS));
        target.hostIo().ifPresent(x -> features.add(Feature.HOST_IO));
        target.lldb().ifPresent(x -> features.add(Feature.LLDB));
        target.monitor().ifPresent(x -> features.add(Feature.MONITOR));
        return features;
    }
}
