package io.coredumptools.storage;

import java.nio.file.Path;

/**
 * Child-JVM probe: opens a location with the storage configured only from the environment (AWS default chain,
 * AWS_ENDPOINT_URL), ensures its first bytes and prints "OK bytesFetched" or "ERROR reason message".
 */
public final class S3OpenMain {
    public static void main(String[] args) {
        StorageConfig config =
                StorageConfig.fromEnvironment().cacheDirectory(Path.of(args[1])).build();
        try (Storage storage = Storage.create(config);
                LazyFile file = storage.open(args[0])) {
            file.ensure(0, 100);
            System.out.println("OK " + file.stats().bytesFetched());
        } catch (StorageException e) {
            System.out.println("ERROR " + e.reason() + " " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(S3OpenMain.class).error("open failed", e);
            System.exit(2);
        }
    }
}
