package io.coredumptools.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocationTest {
    @Test
    void parsesEachKindOfLocation() throws Exception {
        assertThat(Location.parse("s3://bucket/cores/core.1")).isEqualTo(new Location.S3("bucket", "cores/core.1"));
        assertThat(Location.parse("S3://bucket")).isEqualTo(new Location.S3("bucket", ""));
        assertThat(Location.parse("https://h:8443/a/b")).isEqualTo(new Location.Http(URI.create("https://h:8443/a/b")));
        assertThat(Location.parse("/tmp/core")).isEqualTo(new Location.Local(Path.of("/tmp/core")));
        assertThat(Location.parse("file:///tmp/core")).isEqualTo(new Location.Local(Path.of("/tmp/core")));
        assertThat(Location.parse("relative/core")).isEqualTo(new Location.Local(Path.of("relative/core")));
    }

    @Test
    void refusesWhatCannotBeRead() {
        assertThatThrownBy(() -> Location.parse("s3:///key")).hasMessageContaining("no bucket name");
        assertThatThrownBy(() -> Location.parse("ftp://host/core")).hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> Location.parse("http://")).isInstanceOf(StorageException.class);
    }

    @Test
    void describingAUrlDropsUserInfoAndQuery() throws Exception {
        assertThat(Location.parse("https://bob:secret@h/core?X-Amz-Signature=abc")
                        .describe())
                .isEqualTo("https://h/core?…");
    }

    @Test
    void childrenOfPrefixes() throws Exception {
        assertThat(Location.parse("s3://b/prefix/").child("usr/lib/libc.so.6"))
                .isEqualTo(new Location.S3("b", "prefix/usr/lib/libc.so.6"));
        assertThat(Location.parse("s3://b/prefix").child("x")).isEqualTo(new Location.S3("b", "prefix/x"));
        assertThat(Location.parse("s3://b").child("x")).isEqualTo(new Location.S3("b", "x"));
        assertThat(Location.parse("http://h/files").child("usr/lib/my lib#1.so").describe())
                .isEqualTo("http://h/files/usr/lib/my%20lib%231.so");
        assertThat(Location.parse("/sysroot").child("usr/lib/x.so"))
                .isEqualTo(new Location.Local(Path.of("/sysroot/usr/lib/x.so")));
    }

    @Test
    void mappingsApplyAtPathComponentBoundariesMostSpecificFirst() throws Exception {
        var mappings = PathMapping.parseAll(java.util.List.of("/usr=s3://b/usr-all", "/usr/lib=s3://b/libs"));
        assertThat(mappings.get(0).apply("/usr/lib/x/libc.so.6")).isEqualTo(new Location.S3("b", "libs/x/libc.so.6"));
        assertThat(mappings.get(0).apply("/usr/libexec/x")).isNull();
        assertThat(mappings.get(1).apply("/usr/libexec/x")).isEqualTo(new Location.S3("b", "usr-all/libexec/x"));
        assertThat(PathMapping.parse("/opt/app/bin/app=https://h/app").apply("/opt/app/bin/app"))
                .isEqualTo(new Location.Http(URI.create("https://h/app")));
        assertThatThrownBy(() -> PathMapping.parse("lib=s3://b")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> PathMapping.parse("/lib")).hasMessageContaining("OLD=NEW");
    }

    @Test
    void sizesAsPeopleWriteThem() {
        assertThat(ByteSizes.parse("10GiB")).isEqualTo(10L << 30);
        assertThat(ByteSizes.parse("1M")).isEqualTo(1L << 20);
        assertThat(ByteSizes.parse("512k")).isEqualTo(512L << 10);
        assertThat(ByteSizes.parse("4096")).isEqualTo(4096);
        assertThat(ByteSizes.format(1536)).isEqualTo("1.5 KiB");
        assertThatThrownBy(() -> ByteSizes.parse("ten")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> StorageConfig.fromEnvironment()
                        .cacheDirectory(Path.of("/c"))
                        .chunkSize(1000)
                        .build())
                .hasMessageContaining("multiple of 4 KiB");
    }
}
