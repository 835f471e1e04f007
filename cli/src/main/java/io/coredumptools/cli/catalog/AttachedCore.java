package io.coredumptools.cli.catalog;

import io.coredumptools.rsp.target.BreakpointsTarget;
import io.coredumptools.rsp.target.DocumentsTarget;
import io.coredumptools.rsp.target.ExecutionTarget;
import io.coredumptools.rsp.target.HostIoTarget;
import io.coredumptools.rsp.target.LldbTarget;
import io.coredumptools.rsp.target.MemoryTarget;
import io.coredumptools.rsp.target.MonitorTarget;
import io.coredumptools.rsp.target.RegistersTarget;
import io.coredumptools.rsp.target.SiginfoTarget;
import io.coredumptools.rsp.target.Target;
import io.coredumptools.rsp.target.ThreadsTarget;
import io.coredumptools.rsp.target.TlsTarget;
import io.coredumptools.rsp.target.WarningsTarget;
import java.util.Optional;

/**
 * A catalog core attached by one connection: the connection's target over it, which owns the loaded core and its
 * source (closing the target on detach closes them: a catalog server holds only the cores attached now).
 */
final class AttachedCore implements Target {
    private final Target target;
    private final AutoCloseable[] owned;

    AttachedCore(Target target, AutoCloseable... owned) {
        this.target = target;
        this.owned = owned;
    }

    @Override
    public ThreadsTarget threads() {
        return target.threads();
    }

    @Override
    public RegistersTarget registers() {
        return target.registers();
    }

    @Override
    public MemoryTarget memory() {
        return target.memory();
    }

    @Override
    public ExecutionTarget execution() {
        return target.execution();
    }

    @Override
    public Optional<BreakpointsTarget> breakpoints() {
        return target.breakpoints();
    }

    @Override
    public Optional<SiginfoTarget> siginfo() {
        return target.siginfo();
    }

    @Override
    public Optional<DocumentsTarget> documents() {
        return target.documents();
    }

    @Override
    public Optional<WarningsTarget> warnings() {
        return target.warnings();
    }

    @Override
    public Optional<TlsTarget> tls() {
        return target.tls();
    }

    @Override
    public Optional<HostIoTarget> hostIo() {
        return target.hostIo();
    }

    @Override
    public Optional<LldbTarget> lldb() {
        return target.lldb();
    }

    @Override
    public Optional<MonitorTarget> monitor() {
        return target.monitor();
    }

    @Override
    public void close() {
        target.close();
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the detached core: " + e.getMessage(), e);
            }
        }
    }
}
