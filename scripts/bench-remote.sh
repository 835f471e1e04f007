#!/usr/bin/env bash
# bench-remote.sh - `corestub serve` on big sparse cores in an S3 API server (S3Proxy), next to the same cores on disk.
#
# Usage: scripts/bench-remote.sh [SIZES_GIB] [CALLS]    (defaults: "2 20" and 100; or env BENCH_SIZES, BENCH_CALLS;
#                                                       BENCH_CHUNK: --chunk-size, default 1MiB)
#
# For each size, builds a program that maps SIZE GiB of anonymous memory, touches one page in every 64 MiB (so the
# kernel core is SIZE GiB long but sparse: untouched pages are holes) and aborts; its core is kept in
# target/bench/remote/ and reused. The core is put into S3Proxy's filesystem backend with cp --sparse=always (a PUT
# would write every zero). Then, each with a fresh gdb (`set remotetimeout 60`):
#   local        corestub serve CORE                       time from starting serve to gdb's `bt` printed
#   s3 cold      corestub serve s3://bench/CORE, empty cache   the same, bytes fetched (monitor info) before `bt`
#   s3 calls     CALLS x `print next_id()` in that session     bytes fetched per call
#   s3 warm      a second serve over the same cache            time to `bt`, bytes fetched
# Goals (issue 10): under 16 MiB fetched before `bt`, within 2x the local attach time. Appends a table with the
# date and the machine to docs/benchmarks.md (or $BENCH_RESULTS). Not a test: figures vary with load.
#
# Needs cli/target/corestub.jar with its lib/ and the S3Proxy jar (storage/target/s3proxy/s3proxy.jar): both are
# made by `mvn -B verify -pl integration -am -DskipTests` (or any verify).
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
sizes=${1:-${BENCH_SIZES:-2 20}}
calls=${2:-${BENCH_CALLS:-100}}
chunk=${BENCH_CHUNK:-1MiB}
work="$root/target/bench/remote"
results=${BENCH_RESULTS:-$root/docs/benchmarks.md}
demo_source="$root/testkit/src/main/resources/fixtures/demo.c"
jar="$root/cli/target/corestub.jar"
s3proxy_jar=""
for candidate in "$root/storage/target/s3proxy/s3proxy.jar" "$root/integration/target/s3proxy/s3proxy.jar"; do
    [[ -f "$candidate" ]] && s3proxy_jar=$candidate && break
done

say() { echo "bench-remote: $*" >&2; }
die() { echo "bench-remote: error: $*" >&2; exit 1; }

[[ "$calls" =~ ^[0-9]+$ && "$calls" -gt 0 ]] || die "CALLS must be a positive number, got '$calls'"
for size in $sizes; do
    [[ "$size" =~ ^[0-9]+$ && "$size" -gt 0 ]] || die "sizes are whole GiB, got '$size'"
done
for tool in gcc gdb java cp; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/setup.sh"
done
[[ -f "$jar" && -d "$root/cli/target/lib" ]] || die "$jar or its lib/ is missing (mvn -B verify -pl cli -am -DskipTests)"
[[ -n "$s3proxy_jar" ]] || die "the S3Proxy jar is missing (mvn -B verify -pl storage -am -DskipTests copies it)"
mkdir -p "$work"

pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

# --- the S3 API server -----------------------------------------------------------------------------------------
secret="SeCrEtBench$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
identity=AKIDCORESTUBBENCH
s3dir="$work/s3"
rm -rf "$s3dir" && mkdir -p "$s3dir/data/bench"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$s3dir/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$identity
s3proxy.credential=$secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$s3dir/data
EOF
java -Xmx512m -jar "$s3proxy_jar" --properties "$s3dir/s3proxy.properties" >"$s3dir/s3proxy.log" 2>&1 </dev/null &
pids+=($!)
for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done
export AWS_ACCESS_KEY_ID=$identity AWS_SECRET_ACCESS_KEY=$secret AWS_REGION=us-east-1

# --- serve, then gdb: the time from starting serve to `bt` printed, and monitor info -----------------------------
# session NAME CORE [CORESTUB OPTIONS...]: prints "ms fetched_bytes" and leaves gdb's output in $work/NAME.gdb
session() {
    local name=$1 core=$2
    shift 2
    local started log serve_pid listen
    log="$work/$name.serve"
    started=$(now_ms)
    : >"$log" # before the server starts: its redirect may come after the first read below
    java -jar "$jar" serve --listen 127.0.0.1:0 "$core" "$@" >"$log" 2>&1 &
    serve_pid=$!
    pids+=("$serve_pid")
    for _ in $(seq 1 3000); do
        listen=$(sed -n 's/^corestub: listening on \(.*\)$/\1/p' "$log")
        [[ -n "$listen" ]] && break
        kill -0 "$serve_pid" 2>/dev/null || die "serve $core exited: $(tail -3 "$log")"
        sleep 0.05
    done
    [[ -n "$listen" ]] || die "serve $core did not listen: $(tail -3 "$log")"
    local gdb_commands=(-ex "set remotetimeout 60" -ex "target remote $listen" -ex "echo @@bt\\n" -ex bt
        -ex "echo @@info\\n" -ex "monitor info")
    if [[ -n "${CALLS_IN_SESSION:-}" ]]; then
        for _ in $(seq 1 "$calls"); do gdb_commands+=(-ex "print next_id()"); done
        gdb_commands+=(-ex "echo @@after\\n" -ex "monitor info")
    fi
    gdb -batch -nx -q -iex "set debuginfod enabled off" "${gdb_commands[@]}" "$prog" >"$work/$name.gdb" 2>&1 </dev/null
    local bt_ms=$(($(now_ms) - started))
    kill "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    grep -q ' in main ' "$work/$name.gdb" || die "$name: no main in the backtrace (see $work/$name.gdb)"
    echo "$bt_ms $(fetched_after "$work/$name.gdb" @@info) $(fetched_after "$work/$name.gdb" @@after)"
}

# fetched_after FILE MARKER: bytes of the first "fetch: fetched N UNIT" after MARKER (0 when none)
fetched_after() {
    awk -v marker="$2" '
        $0 ~ marker { on = 1 }
        on && /fetch: fetched/ {
            for (i = 1; i <= NF; i++) if ($i == "fetched") { v = $(i + 1); u = $(i + 2); break }
            m = (u == "KiB") ? 1024 : (u == "MiB") ? 1048576 : (u == "GiB") ? 1073741824 : 1
            printf "%d\n", v * m; found = 1; exit
        }
        END { if (!found) print 0 }' "$1"
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# --- the program: demo.c plus a sparse SIZE GiB mapping ----------------------------------------------------------
prog="$work/prog"
cat >"$work/big.c" <<'EOF'
#include <stdlib.h>
#include <sys/mman.h>
/* Maps BENCH_GIB GiB and touches one page in every 64 MiB: a long, sparse core. */
__attribute__((constructor)) static void big_mapping(void) {
    const char *gib = getenv("BENCH_GIB");
    size_t size = (size_t)atol(gib ? gib : "1") << 30;
    char *p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) abort();
    for (size_t at = 0; at < size; at += (size_t)64 << 20) p[at] = 1;
}
EOF
gcc -g -O1 -pthread -fPIE -pie -o "$prog" "$demo_source" "$work/big.c" -lm

rows=()
for size in $sizes; do
    core="$work/core-${size}g"
    if [[ ! -f "$core" ]]; then
        say "making a ${size} GiB sparse core"
        rm -f "$work/core"
        (cd "$work" && ulimit -c unlimited && { BENCH_GIB=$size ./prog >/dev/null 2>&1 || true; })
        [[ -f "$work/core" ]] || die "no core (core_pattern is $(cat /proc/sys/kernel/core_pattern))"
        mv "$work/core" "$core"
    fi
    apparent=$(stat -c %s "$core")
    cp --sparse=always "$core" "$s3dir/data/bench/core-${size}g"
    say "${size} GiB core: $(mib "$apparent") MiB long, $(du -m "$core" | cut -f1) MiB on disk"

    read -r local_ms _ _ < <(session "local-${size}g" "$core")
    rm -rf "$work/cache"
    read -r cold_ms cold_bytes after_calls < <(CALLS_IN_SESSION=1 session "s3-cold-${size}g" \
        "s3://bench/core-${size}g" --s3-endpoint "http://127.0.0.1:$port" --chunk-size "$chunk" --cache-dir "$work/cache")
    read -r warm_ms warm_bytes _ < <(session "s3-warm-${size}g" "s3://bench/core-${size}g" \
        --s3-endpoint "http://127.0.0.1:$port" --chunk-size "$chunk" --cache-dir "$work/cache")
    per_call=$(((after_calls - cold_bytes) / calls))
    rows+=("| ${size} GiB | $local_ms | $cold_ms | $(mib "$cold_bytes") | $(awk -v a="$cold_ms" -v b="$local_ms" \
        'BEGIN { printf "%.2f", a / b }') | $per_call | $warm_ms | $(mib "$warm_bytes") |")
    say "${size} GiB: local ${local_ms} ms, s3 cold ${cold_ms} ms ($(mib "$cold_bytes") MiB), ${per_call} B/call," \
        "warm ${warm_ms} ms ($(mib "$warm_bytes") MiB)"
done

{
    echo
    echo "### Remote cores (scripts/bench-remote.sh), $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
    echo
    echo "S3Proxy 4.1.0 (filesystem backend) on loopback, --chunk-size $chunk, $calls calls of next_id()."
    echo "Times are from starting \`corestub serve\` to gdb's \`bt\` printed (JVM start included)."
    echo
    echo "| core | local serve→bt ms | s3 cold serve→bt ms | fetched by attach+bt MiB | cold/local | bytes/call | s3 warm serve→bt ms | warm fetched MiB |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} | tee -a "$results"
