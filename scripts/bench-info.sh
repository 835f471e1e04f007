#!/usr/bin/env bash
# bench-info.sh - how long `corestub info` takes on a big core, next to gdb and readelf on the same core.
#
# Usage: scripts/bench-info.sh [MIB] [RUNS]      (defaults: 2048 MiB, 5 runs; or env BENCH_MIB, BENCH_RUNS)
#
# Builds testkit/src/main/resources/fixtures/bigmem.c into target/bench/, crashes it with MIB MiB touched into a
# core (about MIB MiB large; kept and reused while bigmem.c and MIB are unchanged), then times, RUNS times each:
#   ./corestub info CORE
#   gdb -nx -batch PROG CORE -ex 'info threads'
#   readelf -n CORE
# with hyperfine when installed, else a bash loop. Prints a table of medians with ratios to corestub and
# appends it, with the date and the machine, to docs/benchmarks.md (or $BENCH_RESULTS). Not part of the tests.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=scripts/lib/crash-into-core.sh
source "$root/scripts/lib/crash-into-core.sh"
mib=${1:-${BENCH_MIB:-2048}}
runs=${2:-${BENCH_RUNS:-5}}
source_file="$root/testkit/src/main/resources/fixtures/bigmem.c"
work="$root/target/bench"
prog="$work/bigmem"
core="$work/core-${mib}m"
results=${BENCH_RESULTS:-$root/docs/benchmarks.md}   # where the results are appended

say() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

[[ "$mib" =~ ^[0-9]+$ && "$mib" -gt 0 ]] || die "MIB must be a positive number, got '$mib'"
[[ "$runs" =~ ^[0-9]+$ && "$runs" -gt 0 ]] || die "RUNS must be a positive number, got '$runs'"
for tool in gcc gdb readelf; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/setup.sh"
done
[[ -f "$source_file" ]] || die "missing $source_file"
mkdir -p "$work"

# --- the program and its core ------------------------------------------------------------------------------
if [[ ! -x "$prog" || "$source_file" -nt "$prog" ]]; then
    say "compiling bigmem.c"
    gcc -g -O1 -o "$prog" "$source_file"
fi
if [[ ! -f "$core" || "$prog" -nt "$core" ]]; then
    free_kib=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
    ((free_kib / 1024 > mib + 256)) || die "not enough disk space in $work for a ${mib} MiB core"
    rm -f "$core"
    say "making a ${mib} MiB core"
    crash_into_core "$work" "$core" bigmem "$mib" || die "no core of bigmem"
fi
core_bytes=$(stat -c %s "$core")
say "core: $core ($((core_bytes / 1024 / 1024)) MiB)"

# Build corestub now; no run below may rebuild it (CORESTUB_NO_BUILD), even if a source changes meanwhile.
"$root/corestub" --version >/dev/null
export CORESTUB_NO_BUILD=1
# How much of the core corestub reads (it logs it under -v).
read_line=$("$root/corestub" -v info "$core" 2>&1 >/dev/null | grep -o 'read [0-9]* bytes of the core' || true)
read_bytes=$(grep -o '[0-9]*' <<<"$read_line" || true)

names=("corestub info" "gdb info threads" "readelf -n")
commands=("$root/corestub info $core"
          "gdb -nx -batch $prog $core -ex 'info threads'"
          "readelf -n $core")

# --- timing ------------------------------------------------------------------------------------------------
medians=()   # milliseconds, one per command
if command -v hyperfine >/dev/null 2>&1; then
    tool="hyperfine ($(hyperfine --version | awk '{print $2}'), $runs runs, 1 warm-up, no shell)"
    csv="$work/hyperfine.csv"
    hyperfine --style basic --shell=none --warmup 1 --runs "$runs" --export-csv "$csv" \
        -n "${names[0]}" "${commands[0]}" -n "${names[1]}" "${commands[1]}" -n "${names[2]}" "${commands[2]}" \
        >&2
    # command,mean,stddev,median,user,system,min,max (seconds)
    while IFS=, read -r _ _ _ median _; do
        medians+=("$(awk -v s="$median" 'BEGIN {printf "%.1f", s * 1000}')")
    done < <(tail -n +2 "$csv")
else
    tool="bash loop with date +%s%N ($runs runs, 1 warm-up)"
    for i in "${!commands[@]}"; do
        say "timing ${names[$i]}"
        bash -c "${commands[$i]}" >/dev/null 2>&1 || true
        times=()
        for ((r = 0; r < runs; r++)); do
            start=$(date +%s%N)
            bash -c "${commands[$i]}" >/dev/null 2>&1 || true
            end=$(date +%s%N)
            times+=("$(((end - start) / 1000))")   # microseconds
        done
        medians+=("$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1}
            END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000}')")
    done
fi
((${#medians[@]} == 3)) || die "timing failed"

# --- report ------------------------------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
mem_gib=$(awk '/^MemTotal/ {printf "%.0f", $2 / 1024 / 1024}' /proc/meminfo 2>/dev/null || echo "?")
machine="$(uname -srm), $cpu, $(nproc) cores, ${mem_gib} GiB RAM"
version=$("$root/corestub" --version | head -n 1)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "uncommitted")

table=$(
    echo "| command | median (ms) | × corestub info |"
    echo "| --- | ---: | ---: |"
    for i in "${!names[@]}"; do
        ratio=$(awk -v a="${medians[$i]}" -v b="${medians[0]}" 'BEGIN {printf "%.3g", (b > 0 ? a / b : 0)}')
        echo "| \`${names[$i]}\` | ${medians[$i]} | ${ratio} |"
    done
)

section=$(
    echo
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC'): \`info\` on a ${mib} MiB core"
    echo
    echo "- machine: $machine"
    echo "- $version, commit $commit; $(gdb --version | head -n 1); $(readelf --version | head -n 1)"
    echo "- core: bigmem $mib, $core_bytes bytes$([[ -n "$read_bytes" ]] && echo "; corestub read $read_bytes bytes of it")"
    echo "- timing: $tool; each command's output discarded"
    echo
    echo "$table"
)

echo "$section"
if [[ ! -f "$results" ]]; then
    # shellcheck disable=SC2016  # the backquotes are Markdown
    printf '# Benchmarks\n\nResults of `scripts/bench-info.sh`, newest last.\n' >"$results"
fi
echo "$section" >>"$results"
say "appended to ${results#"$root"/}"
