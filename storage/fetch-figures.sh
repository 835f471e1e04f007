#!/usr/bin/env bash
# fetch-figures.sh - prints the fetch-path figures quoted in docs/storage.md: chunk latency on loopback for
# S3Proxy and a plain HTTP range server, the cost of a cached chunk, and bytes fetched by scattered reads of the
# demo core. Not a timed test and not a benchmark against peers: a note of what the fetch path costs here.
# Usage (from the repository root): storage/fetch-figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor run, so the class path names testkit's freshly built classes (nothing is installed in ~/.m2).
mvn -B -q process-test-classes dependency:build-classpath -pl storage -am \
    -Dmdep.outputFile="$PWD/target/storage-test.classpath" -Dmdep.includeScope=test
cp="storage/target/test-classes:storage/target/classes:$(cat target/storage-test.classpath)"
exec java -Xmx1g -Dfixtures.dir="$PWD/target/fixtures" -Ds3proxy.jar="$PWD/storage/target/s3proxy/s3proxy.jar" \
    -cp "$cp" io.coredumptools.storage.FetchFiguresMain
