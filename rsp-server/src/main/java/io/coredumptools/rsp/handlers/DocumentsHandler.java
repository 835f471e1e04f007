package io.coredumptools.rsp.handlers;

import io.coredumptools.rsp.inferior.LoadedCore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * One read-only qXfer object made from the core: target.xml, auxv, exec-file, libraries-svr4, memory-map.
 * Each is its own feature: {@code new DocumentsHandler("auxv", "", LoadedCore::auxv)}.
 */
public final class DocumentsHandler implements PacketHandler {
    private final String object;
    private final Function<RspSession, byte[]> document;
    private final boolean annexMatters;
    private final String annex;

    private DocumentsHandler(String object, String annex, boolean annexMatters, Function<RspSession, byte[]> document) {
        this.object = object;
        this.annex = annex;
        this.annexMatters = annexMatters;
        this.document = document;
    }

    public static List<PacketHandler> all() {
        return all(true);
    }

    /** {@code targetXml} false: no qXfer:features (lldb then reads qRegisterInfo). */
    public static List<PacketHandler> all(boolean targetXml) {
        List<PacketHandler> all = new java.util.ArrayList<>(List.of(
                new DocumentsHandler(
                        "features",
                        "target.xml",
                        true,
                        s -> s.lldb() ? io.coredumptools.rsp.inferior.LldbRegisters.targetXml() : core(s).targetXml()),
                new DocumentsHandler("auxv", "", false, s -> core(s).auxv()),
                new DocumentsHandler(
                        "exec-file",
                        "",
                        false,
                        s -> core(s).executablePath().orElse("").getBytes(StandardCharsets.UTF_8)),
                new DocumentsHandler(
                        "libraries-svr4",
                        "",
                        false,
                        s -> s.lldb() ? core(s).librariesXmlForLldb() : core(s).librariesXml()),
                new DocumentsHandler("memory-map", "", false, s -> core(s).memoryMapXml())));
        if (!targetXml) {
            all.remove(0);
        }
        return List.copyOf(all);
    }

    private static LoadedCore core(RspSession s) {
        return s.target().core();
    }

    @Override
    public void register(PacketRouter.Routes routes) {
        routes.prefix("qXfer:" + object + ":read:", (p, s) -> {
            Xfer.Read read = Xfer.parseRead(p.substring(("qXfer:" + object + ":read:").length()));
            if (annexMatters && !read.annex().equals(annex)) {
                return Reply.error(0x00);
            }
            byte[] doc = document.apply(s);
            if (object.equals("exec-file") && doc.length == 0) {
                return Reply.error(0x01);
            }
            return Xfer.chunk(doc, read.offset(), read.length());
        });
    }

    @Override
    public List<String> features() {
        return List.of("qXfer:" + object + ":read+");
    }
}
