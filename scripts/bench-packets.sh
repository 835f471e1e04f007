#!/usr/bin/env bash
# bench-packets.sh - what one small GDB remote packet costs each server, without gdb in the way.
#
# Usage: scripts/bench-packets.sh [COUNT] [RUNS]   (defaults: 20000 packets per kind, 7 rounds; or env
#                                                   BENCH_PACKETS, BENCH_RUNS; BENCH_NO_BUILD=1: use the jar as is)
#
# A call through gdb is 23 small packets, each a round trip, and gdb's own CPU time between them (see
# scripts/bench-gdb.sh). This script times the server's side of such packets alone: a C client
# (scripts/lib/rsp-ping.c) sends COUNT packets of one kind, each after the reply to the one before, to
#   corestub     ./corestub serve CORE (the launcher, its JVM flags and class-data archive), the core of demo.c
#   gdbserver    gdbserver --once on demo.c, live, stopped at its entry (ptrace)
#   lldb-server  lldb-server gdbserver on demo.c, live, stopped at its entry
#   netty-echo   scripts/lib/NettyEcho.java with the launcher's JVM flags: one Netty event loop (epoll, as
#                corestub's) answering "OK" to everything (the least a Netty server can do per packet)
#   c-echo       scripts/lib/rsp-echo.c: one blocking C thread answering "OK" (the loopback round trip itself)
# The kinds: `qC` (nothing to do), `g` (all registers) and `m<sp>,40` (64 bytes of the stack); the echo servers
# answer every kind the same. For each: the wall time per round trip and the server's CPU time per packet
# (every thread, /proc schedstat, read by the client around the timed packets), medians over RUNS interleaved rounds, and ratios to gdbserver from the same
# round. Appends the table, with the date, the machine and the load, to docs/benchmarks.md (or $BENCH_RESULTS).
# Not part of the tests; about a minute per round.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=scripts/lib/crash-into-core.sh
source "$root/scripts/lib/crash-into-core.sh"
# shellcheck source=scripts/lib/private-corestub.sh
source "$root/scripts/lib/private-corestub.sh"
count=${1:-${BENCH_PACKETS:-20000}}
runs=${2:-${BENCH_RUNS:-7}}
lldb_server=${BENCH_LLDB_SERVER:-lldb-server-16}
work="$root/target/bench/packets"
results=${BENCH_RESULTS:-$root/docs/benchmarks.md}
demo_source="$root/testkit/src/main/resources/fixtures/demo.c"
# The launcher's JVM flags for `serve` (./corestub), for the Netty echo.
serve_jvm_flags=(-XX:+UseSerialGC -Xshare:auto -XX:TieredStopAtLevel=1 -Xms16m -XX:MinHeapFreeRatio=10
    -XX:MaxHeapFreeRatio=30)

say() { echo "bench-packets: $*" >&2; }
die() { echo "bench-packets: error: $*" >&2; exit 1; }

[[ "$count" =~ ^[0-9]+$ && "$count" -ge 100 ]] || die "COUNT must be a number of at least 100, got '$count'"
[[ "$runs" =~ ^[0-9]+$ && "$runs" -gt 0 ]] || die "RUNS must be a positive number, got '$runs'"
for tool in gcc gdbserver java python3 "$lldb_server"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/setup.sh"
done
mkdir -p "$work"

pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the program, its core, the client and the C echo ------------------------------------------------------
if [[ ! -x "$work/prog" || "$demo_source" -nt "$work/prog" ]]; then
    gcc -g -O1 -pthread -o "$work/prog" "$demo_source" -lm
fi
if [[ ! -f "$work/core-prog" || "$work/prog" -nt "$work/core-prog" ]]; then
    crash_into_core "$work" "$work/core-prog" prog || die "no core of demo.c"
fi
for tool in rsp-ping rsp-echo; do
    if [[ ! -x "$work/$tool" || "$root/scripts/lib/$tool.c" -nt "$work/$tool" \
        || "$root/scripts/lib/rsp-client.h" -nt "$work/$tool" ]]; then
        gcc -O2 -Wall -o "$work/$tool" "$root/scripts/lib/$tool.c"
    fi
done

# --- corestub: a private copy of the launcher, the jar and lib/ (a rebuild cannot disturb it) -------------
private_corestub "$root" "$work/corestub" || die "no corestub to benchmark"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits until something listens on 127.0.0.1:PORT (state 0A in /proc/net/tcp, or tcp6 for a JVM's dual-stack
# socket) without connecting to it: gdbserver and lldb-server serve only one connection.
wait_listening() {
    local port=$1 pid=$2 name=$3 i
    for ((i = 0; i < 400; i++)); do
        if awk -v p="$(printf ':%04X' "$port")" '$2 ~ p"$" && $4 == "0A" {f = 1} END {exit !f}' \
            /proc/net/tcp /proc/net/tcp6; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    die "$name did not start listening on $port (see $work/$name.log)"
}

# Starts one server of the five in the background; sets port and pid.
start_server() {
    local name=$1
    port=$(free_port)
    case $name in
        corestub)
            CORESTUB_NO_BUILD=1 "$work/corestub/corestub" serve --listen "127.0.0.1:$port" "$work/core-prog" \
                >"$work/$name.log" 2>&1 & ;;
        gdbserver)
            (cd "$work" && exec gdbserver --once "127.0.0.1:$port" ./prog) >"$work/$name.log" 2>&1 & ;;
        lldb-server)
            (cd "$work" && exec "$lldb_server" gdbserver "127.0.0.1:$port" -- ./prog) >"$work/$name.log" 2>&1 & ;;
        netty-echo)
            java "${serve_jvm_flags[@]}" -cp "$work/corestub/cli/target/corestub.jar" \
                "$root/scripts/lib/NettyEcho.java" "$port" >"$work/$name.log" 2>&1 & ;;
        c-echo)
            "$work/rsp-echo" "$port" >"$work/$name.log" 2>&1 & ;;
    esac
    pid=$!
    pids+=("$pid")
    wait_listening "$port" "$pid" "$name"
}

stop_server() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

servers=(corestub gdbserver lldb-server netty-echo c-echo)
kinds=(qC g 'm$SP,40')
declare -A samples=()   # "server kind key" -> space-separated values over the rounds
add_sample() { samples["$1|$2|$3"]="${samples["$1|$2|$3"]:-} $4"; }
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<"$1"; }

# The servers that take many connections run for the whole benchmark, warmed up once; gdbserver and lldb-server
# serve one connection per process, so each kind gets a new one.
declare -A port_of=() pid_of=()
for server in corestub netty-echo c-echo; do
    start_server "$server"
    port_of[$server]=$port
    pid_of[$server]=$pid
    # Three times the timed packets per kind: C1 compiles Netty's event loop only after some 60,000 turns.
    for kind in "${kinds[@]}"; do
        "$work/rsp-ping" "$port" $((3 * count)) "$kind" >/dev/null || die "$server: rsp-ping failed on '$kind'"
    done
done

# Pings one server with each kind and records the samples.
ping_server() {
    local server=$1 kind line errors one_shot=0
    [[ $server == gdbserver || $server == lldb-server ]] && one_shot=1
    for kind in "${kinds[@]}"; do
        if ((one_shot)); then
            start_server "$server"
        else
            port=${port_of[$server]}
            pid=${pid_of[$server]}
        fi
        line=$("$work/rsp-ping" --server-pid "$pid" "$port" "$count" "$kind") \
            || die "$server: rsp-ping failed on '$kind'"
        ((one_shot)) && stop_server "$pid"
        errors=$(field " $line" errors)
        if [[ "$errors" != 0 ]]; then
            say "$server answered '$kind' with $errors errors or empty replies: not counted"
            continue
        fi
        add_sample "$server" "$kind" us "$(field " $line" us_per_roundtrip)"
        add_sample "$server" "$kind" cpu_us "$(field " $line" server_us_per_packet)"
    done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "$runs rounds of $count packets per kind and server"
for ((round = 1; round <= runs; round++)); do
    # Alternate the order, so that no server always runs first or last in a round.
    if ((round % 2)); then order=("${servers[@]}"); else order=(c-echo netty-echo lldb-server gdbserver corestub); fi
    for server in "${order[@]}"; do
        ping_server "$server"
    done
    say "round $round done"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------------------------------
median() { printf '%s\n' $1 | sort -n | awk '{a[NR] = $1} END {if (NR == 0) exit; print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
med() { median "${samples["$1|$2|$3"]:-}"; }
# Median over the rounds of SERVER's value / gdbserver's value in the same round.
ratio() {
    local -a a b
    read -r -a a <<<"${samples["$1|$2|$3"]:-}"
    read -r -a b <<<"${samples["gdbserver|$2|$3"]:-}"
    local n=${#a[@]} i out=""
    ((${#b[@]} < n)) && n=${#b[@]}
    for ((i = 0; i < n; i++)); do out+=" $(awk -v x="${a[i]}" -v y="${b[i]}" 'BEGIN {printf "%.2f", x / y}')"; done
    median "$out"
}
{
    echo
    echo "### $(date -u '+%Y-%m-%d %H:%M') UTC: small packets without gdb (scripts/bench-packets.sh $count $runs)"
    echo
    echo "- machine: $(uname -srm), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores;" \
        "load average before $load_before, after $load_after"
    echo "- corestub $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') through the ./corestub launcher;" \
        "$(gdbserver --version | head -n 1); lldb-server: $("$lldb_server" version 2>&1 | head -n 1)"
    echo "- client: scripts/lib/rsp-ping.c, $count packets per kind and connection (the first tenth untimed);" \
        "medians of $runs interleaved rounds; ratios: medians of the per-round ratios to gdbserver"
    echo
    echo "| packet | server | µs per round trip | × gdbserver | server CPU µs per packet | × gdbserver |"
    echo "| --- | --- | ---: | ---: | ---: | ---: |"
    for kind in "${kinds[@]}"; do
        for server in "${servers[@]}"; do
            echo "| \`$kind\` | $server | $(med "$server" "$kind" us) | $(ratio "$server" "$kind" us) |" \
                "$(med "$server" "$kind" cpu_us) | $(ratio "$server" "$kind" cpu_us) |"
        done
    done
} | tee -a "$results"
