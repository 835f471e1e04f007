#!/usr/bin/env bash
# bench-jmh.sh - JMH benchmarks of the emulator's Java API, and the resident memory of opening a big core.
#
# Usage: scripts/bench-jmh.sh [MIB] [JMH OPTION...]     (MIB default 2048, or env BENCH_MIB)
#
# Builds the `benchmarks` module (mvn -pl benchmarks -am package, tests skipped), then on the DEMO_PIE core and
# on a bigmem core of MIB MiB (target/bench/core-MIBm when scripts/bench-info.sh made it and it is up to date,
# else the testkit fixture BIGMEM under target/fixtures, built on first use):
#   1. RssProbe: VmRSS of a fresh JVM before Emulator.open, after it, after one call and after a restore;
#   2. JMH (io.coredumptools.benchmarks.*): next_id() per call (keep-state, keep-state without the fflush the
#      API runs after each call, and the default start-from-crash-image mode), list_sum over 100k nodes,
#      restoreCrashImage() on the big core after a memset of 96 pages and with nothing changed, and
#      Emulator.open + close. Default JMH options: BENCH_JMH_OPTS="-f 3 -wi 3 -w 1s -i 5 -r 1s" (about 5
#      minutes); JMH options given after MIB are added (e.g. a benchmark regex, or -f 1 for a quick look).
# Prints the tables and appends them, with the date and the machine, to docs/benchmarks.md (or
# $BENCH_RESULTS). Not part of the tests.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
mib=${BENCH_MIB:-2048}
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
    mib=$1
    shift
fi
read -r -a jmh_opts <<<"${BENCH_JMH_OPTS:--f 3 -wi 3 -w 1s -i 5 -r 1s}"
jmh_opts+=("$@")
work="$root/target/bench"
jmh_dir="$work/jmh"                      # a private copy of the jar and its lib/: a rebuild cannot disturb a run
results=${BENCH_RESULTS:-$root/docs/benchmarks.md}
log="$work/bench-jmh.log"

say() { echo "bench-jmh: $*" >&2; }
die() { echo "bench-jmh: error: $*" >&2; exit 1; }

[[ "$mib" -gt 0 ]] || die "MIB must be a positive number, got '$mib'"
for tool in mvn java gcc; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/setup.sh"
done
mkdir -p "$work"
: >"$log"

# --- build -------------------------------------------------------------------------------------------------
say "building the benchmarks module (mvn -pl benchmarks -am package, tests skipped)"
if ! (cd "$root" && mvn -q -B -Dmaven.test.skip=true -pl benchmarks -am package) >>"$log" 2>&1; then
    cat "$log" >&2
    die "build failed"
fi
rm -rf "$jmh_dir"
mkdir -p "$jmh_dir"
cp -r "$root/benchmarks/target/benchmarks.jar" "$root/benchmarks/target/lib" "$jmh_dir/"
jar="$jmh_dir/benchmarks.jar"
java_props=(-Dfixtures.dir="$root/target/fixtures" -Dbigmem.mib="$mib")

# --- cores -------------------------------------------------------------------------------------------------
# bench-info.sh's core, when it is newer than its program and the program newer than bigmem.c.
bench_core="$work/core-${mib}m"
bench_prog="$work/bigmem"
bigmem_source="$root/testkit/src/main/resources/fixtures/bigmem.c"
if [[ -f "$bench_core" && -x "$bench_prog" && ! "$bigmem_source" -nt "$bench_prog" && ! "$bench_prog" -nt "$bench_core" ]]; then
    java_props+=(-Dbench.bigmem.core="$bench_core")
else
    say "no up-to-date $bench_core (scripts/bench-info.sh makes it): using the testkit fixture BIGMEM ($mib MiB)"
    free_kib=$(df -Pk "$root/target" | awk 'NR == 2 {print $4}')
    ((free_kib / 1024 > mib + 256)) || die "not enough disk space under target/ for a ${mib} MiB core"
fi
say "resolving the cores (building the fixtures that are missing)"
cores=$(java "${java_props[@]}" -cp "$jar" io.coredumptools.benchmarks.BenchCores 2>>"$log") \
    || { cat "$log" >&2; die "could not get the cores"; }
demo_core=$(sed -n 's/^demo=//p' <<<"$cores")
bigmem_core=$(sed -n 's/^bigmem=//p' <<<"$cores")
[[ -f "$demo_core" && -f "$bigmem_core" ]] || die "cores not found: $cores"
java_props+=(-Dbench.demo.core="$demo_core" -Dbench.bigmem.core="$bigmem_core")
say "demo core: $demo_core"
say "bigmem core: $bigmem_core ($(($(stat -c %s "$bigmem_core") / 1024 / 1024)) MiB)"

# --- resident memory ---------------------------------------------------------------------------------------
rss_rows=()
for label in demo bigmem; do
    if [[ $label == demo ]]; then core=$demo_core; else core=$bigmem_core; fi
    say "RSS probe on $core"
    row=$(java -cp "$jar" io.coredumptools.benchmarks.RssProbe "$core" "$label" 2> >(tee -a "$log" >&2)) \
        || die "RssProbe failed on $core"
    rss_rows+=("$row")
done

# --- JMH ---------------------------------------------------------------------------------------------------
table_file="$work/jmh-table.md"
json_file="$work/jmh-results.json"
rm -f "$table_file"
say "JMH ${jmh_opts[*]}"
java "${java_props[@]}" -jar "$jar" --table "$table_file" "${jmh_opts[@]}" -rf json -rff "$json_file" \
    | tee -a "$log" >&2
[[ -s "$table_file" ]] || die "JMH wrote no results (see $log)"

# --- report ------------------------------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
mem_gib=$(awk '/^MemTotal/ {printf "%.0f", $2 / 1024 / 1024}' /proc/meminfo 2>/dev/null || echo "?")
machine="$(uname -srm), $cpu, $(nproc) cores, ${mem_gib} GiB RAM"
java_version=$(java -version 2>&1 | head -n 1)
unicorn_version=$(dpkg-query -W -f '${Version}' libunicorn2 2>/dev/null || echo "?")
thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo "?")
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "uncommitted")
if [[ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]]; then
    commit="$commit (with uncommitted changes)"
fi

section=$(
    echo
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC'): emulator API (JMH) and RSS, ${mib} MiB core"
    echo
    echo "- machine: $machine"
    echo "- $java_version; JMH 1.37; libunicorn2 $unicorn_version; transparent hugepages: $thp; commit $commit"
    echo "- cores: demo ($(basename "$(dirname "$demo_core")")), bigmem $mib MiB ($(stat -c %s "$bigmem_core") bytes)"
    echo "- JMH: \`${jmh_opts[*]}\`, mode SampleTime (every call timed); median and p90 over all samples of all forks;"
    echo "  emucore figures from the peer measurements on these machines (its trivial call: 12–16 µs)"
    echo
    cat "$table_file"
    echo
    echo "Resident memory (VmRSS, MiB) of a fresh JVM (default options) around \`Emulator.open\` in keep-state mode:"
    echo
    echo "| core | size (MiB) | call | JVM baseline | after open | after the call | after restore | call − baseline |"
    echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${rss_rows[@]}"
)

echo "$section"
if [[ ! -f "$results" ]]; then
    # shellcheck disable=SC2016  # the backquotes are Markdown
    printf '# Benchmarks\n\nResults of the benchmark scripts, newest last.\n' >"$results"
fi
echo "$section" >>"$results"
say "appended to ${results#"$root"/}; JMH's JSON: ${json_file#"$root"/}; log: ${log#"$root"/}"
