package io.coredumptools.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * Child-JVM probe, run inside the test's network namespace beside debuginfod: for each TYPE:BUILDID argument
 * prints "FOUND path", "NOT_FOUND" or "ERROR message", with the environment deciding servers and cache as it
 * does for libdebuginfod.
 */
public final class DebuginfodFindMain {
    public static void main(String[] args) throws Exception {
        StorageConfig config = StorageConfig.fromEnvironment()
                .cacheDirectory(Path.of(System.getProperty("java.io.tmpdir"), "unused-chunk-cache"))
                .build();
        DebuginfodClient client = DebuginfodClient.create(List.of(), System.getenv(), config, new FetchCounters(null));
        for (String arg : args) {
            String[] parts = arg.split(":", 2);
            try {
                var found = client.find(parts[1], parts[0]);
                System.out.println(found.map(f -> "FOUND " + f.localPath()).orElse("NOT_FOUND"));
            } catch (StorageException e) {
                System.out.println("ERROR " + e.getMessage());
            }
        }
    }
}
