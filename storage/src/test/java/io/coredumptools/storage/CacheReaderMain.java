package io.coredumptools.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Child-JVM probe: reads a whole remote file through a shared cache and prints "OK fetched hits sha256". */
public final class CacheReaderMain {
    public static void main(String[] args) throws Exception {
        StorageConfig config = StorageConfig.fromEnvironment()
                .cacheDirectory(Path.of(args[1]))
                .chunkSize(Long.parseLong(args[2]))
                .maxReadAheadChunks(0)
                .build();
        try (Storage storage = Storage.create(config);
                LazyFile file = storage.open(args[0])) {
            // Chunk by chunk from the end, so two readers started together meet in the middle.
            boolean backwards = args.length > 3 && args[3].equals("backwards");
            long chunks = (file.size() + file.chunkSize() - 1) / file.chunkSize();
            for (long i = 0; i < chunks; i++) {
                long chunk = backwards ? chunks - 1 - i : i;
                file.ensure(chunk * file.chunkSize(), file.chunkSize());
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file.localPath()));
            System.out.println("OK " + file.stats().chunksFetched() + " "
                    + file.stats().cacheHits() + " " + HexFormat.of().formatHex(digest));
        } catch (StorageException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(2);
        }
    }
}
