#!/usr/bin/env bash
# bench-gdb.sh - `corestub serve` through a real gdb and lldb, next to gdbserver, lldb-server and local gdb on the
# live process, and gdb on the core.
#
# Usage: scripts/bench-gdb.sh [CALLS] [RUNS]     (defaults: 200 calls, 7 runs; or env BENCH_CALLS, BENCH_RUNS;
#                                                  BENCH_DUMP_MIB: size of the dump, default 64;
#                                                  BENCH_LOOP: calls of the gdb Python loop, default 1000;
#                                                  BENCH_ATTACH_MIB: core sizes for attach, "100 2048 8192 24576")
#
# Builds testkit/src/main/resources/fixtures/demo.c together with a small generated file that mallocs 128 MiB
# in a constructor and fills it with a pseudo-random pattern (global `bench_buffer`), into target/bench/gdb/;
# crashes it once into a core (kept and reused while the program is unchanged). Then, RUNS rounds, each with a
# fresh gdb session per target:
#   local gdb   gdb ./prog, `run` to the abort (ptrace on the live process)
#   gdbserver   gdbserver --once 127.0.0.1:0 ./prog; gdb `target remote`, `continue` to the abort
#   corestub    corestub serve --listen 127.0.0.1:0 CORE (one server for the run); gdb `target remote`
#   corestub, restore-mode session   the same after `monitor restore-mode session` (calls only)
# and in each session times, with gdb's Python (time.perf_counter_ns, after 10 untimed warm-up commands):
#   CALLS x `print 1` (the baseline: gdb's own cost of a print), CALLS x `print next_id()`, LOOP x
#   gdb.parse_and_eval("next_id()"), `dump binary memory FILE bench_buffer bench_buffer+DUMP_MIB MiB` (the dumps
#   are compared with cmp); the server's CPU time over each batch (all its threads, from /proc; gdbserver's
#   includes its inferior's, as a live call runs there).
# Then, in the same rounds: lldb-16 `memory read --binary` of the same bytes from corestub and from lldb-server on
# the live process; raw `x` reads of them by a socket client (scripts/lib/raw-x-read.c); attach: `gdb PROG CORE
# -batch -ex bt` beside `./corestub serve CORE` started cold then gdb `bt`, and gdb `bt` to a running server
# (warm), on sparse cores of each BENCH_ATTACH_MIB size, with the server's RSS after `bt` and after 100 calls.
# Reports medians over the rounds, ratios to the peers (the goals of issue 13), gdb's own CPU time (a floor no server can go below) and, from one more
# session per remote with `set debug remote 1`, the packets of one call and of the dump. Appends it all, with
# the date and the machine, to docs/benchmarks.md (or $BENCH_RESULTS). Not part of the tests; 10-15 minutes.
#
# corestub runs as users run it: the ./corestub launcher (its JVM flags, its class-data archive), from a private
# copy of the launcher, the jar and its lib/ (target/bench/gdb/corestub/): a rebuild cannot disturb it. The jar is
# built first when stale (./corestub --version); BENCH_NO_BUILD=1 uses it as it is. Live gdb and gdbserver run
# with testkit's ptrace shim (support/ptrace-xstate-shim.c, LD_PRELOADed into the debugger, kept out of the
# inferior): without it gdb 13 cannot call functions in a live process on AMX CPUs.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=scripts/lib/crash-into-core.sh
source "$root/scripts/lib/crash-into-core.sh"
# shellcheck source=scripts/lib/private-corestub.sh
source "$root/scripts/lib/private-corestub.sh"
calls=${1:-${BENCH_CALLS:-200}}
runs=${2:-${BENCH_RUNS:-7}}
loop_calls=${BENCH_LOOP:-1000}
attach_mibs=${BENCH_ATTACH_MIB:-100 2048 8192 24576}
lldb=${BENCH_LLDB:-lldb-16}
lldb_server=${BENCH_LLDB_SERVER:-lldb-server-16}
dump_mib=${BENCH_DUMP_MIB:-64}
buffer_mib=$((dump_mib * 2))      # the fixture's buffer: the dump reads its first half
warmup=10
demo_source="$root/testkit/src/main/resources/fixtures/demo.c"
work="$root/target/bench/gdb"
prog="$work/prog"
core="$work/core-prog"
log="$work/bench-gdb.log"
results=${BENCH_RESULTS:-$root/docs/benchmarks.md}
session_timeout=300               # seconds, per gdb session

say() { echo "bench-gdb: $*" >&2; }
die() { echo "bench-gdb: error: $*" >&2; exit 1; }

[[ "$calls" =~ ^[0-9]+$ && "$calls" -gt 0 ]] || die "CALLS must be a positive number, got '$calls'"
[[ "$runs" =~ ^[0-9]+$ && "$runs" -gt 0 ]] || die "RUNS must be a positive number, got '$runs'"
[[ "$dump_mib" =~ ^[0-9]+$ && "$dump_mib" -gt 0 ]] || die "BENCH_DUMP_MIB must be a positive number"
for tool in gcc gdb gdbserver java cmp python3 "$lldb" "$lldb_server"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/setup.sh"
done
gdb -nx -batch -ex 'python import gdb' >/dev/null 2>&1 || die "this gdb has no Python: it times the commands"
[[ -f "$demo_source" ]] || die "missing $demo_source"
mkdir -p "$work"
: >"$log"

# --- clean-up: every process started here ------------------------------------------------------------------
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the program and its core ------------------------------------------------------------------------------
# A demo variant: demo.c unchanged, plus a constructor that fills a big heap buffer (its own mmap'd chunk).
# The pattern does not depend on addresses, so every process and the core hold the same bytes.
buffer_source="$work/bench_buffer.c"
buffer_address=0x600000000000     # fixed, so a raw socket client knows where to read
buffer_text="#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
/* Generated by scripts/bench-gdb.sh: ${buffer_mib} MiB of xorshift64 output at ${buffer_address}, for dumps. */
unsigned char *bench_buffer;
unsigned long bench_buffer_size = ${buffer_mib}UL << 20;
__attribute__((constructor)) static void bench_fill(void) {
    uint64_t *words = mmap((void *)${buffer_address}UL, bench_buffer_size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    uint64_t x = 0x9e3779b97f4a7c15u;
    if (words != (void *)${buffer_address}UL)
        abort();
    for (size_t i = 0; i < bench_buffer_size / 8; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        words[i] = x;
    }
    bench_buffer = (unsigned char *)words;
}"
if [[ ! -f "$buffer_source" || "$(cat "$buffer_source")" != "$buffer_text" ]]; then
    printf '%s\n' "$buffer_text" >"$buffer_source"
fi
if [[ ! -x "$prog" || "$demo_source" -nt "$prog" || "$buffer_source" -nt "$prog" ]]; then
    say "compiling demo.c + bench_buffer.c"
    gcc -g -O1 -pthread -fPIE -pie -o "$prog" "$demo_source" "$buffer_source" -lm
fi
if [[ ! -f "$core" || "$prog" -nt "$core" ]]; then
    rm -f "$core"
    say "making the core"
    crash_into_core "$work" "$core" prog || die "no core of the benchmark program"
fi
core_bytes=$(stat -c %s "$core")
say "core: ${core#"$root"/} ($((core_bytes / 1024 / 1024)) MiB)"

# testkit's ptrace shim (LivePtrace): the same source and gcc line, built here so the script needs no Maven.
shim_source="$root/testkit/src/main/resources/support/ptrace-xstate-shim.c"
shim="$work/ptrace-xstate-shim.so"
if [[ ! -f "$shim" || "$shim_source" -nt "$shim" ]]; then
    gcc -shared -fPIC -O2 -o "$shim" "$shim_source" -ldl
fi

# Attach cores: a small program that maps MIB MiB, touches one page per MiB (the rest are holes in the core,
# which stays sparse on disk) and aborts three frames deep; next_id() for the calls of the RSS probe.
attach_dir="$work/attach"
mkdir -p "$attach_dir"
attach_source="$attach_dir/attach.c"
attach_text='#include <stdlib.h>
#include <sys/mman.h>
/* Generated by scripts/bench-gdb.sh: a sparse core of MIB MiB for attach timings. */
static int counter = 41;
int next_id(void) { return ++counter; }
static int depth(int n) {
    if (n == 0)
        abort();
    return depth(n - 1) + 1;
}
int main(int argc, char **argv) {
    size_t size = (argc > 1 ? strtoul(argv[1], NULL, 10) : 100) << 20;
    unsigned char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    for (size_t o = 0; o < size; o += 1 << 20)
        p[o] = (unsigned char)(o >> 20);
    return depth(3);
}'
if [[ ! -f "$attach_source" || "$(cat "$attach_source")" != "$attach_text" ]]; then
    printf '%s\n' "$attach_text" >"$attach_source"
fi
if [[ ! -x "$attach_dir/attach" || "$attach_source" -nt "$attach_dir/attach" ]]; then
    gcc -g -O0 -o "$attach_dir/attach" "$attach_source"
fi
for mib in $attach_mibs; do
    if [[ ! -f "$attach_dir/core-$mib" || "$attach_dir/attach" -nt "$attach_dir/core-$mib" ]]; then
        say "making the sparse attach core of $mib MiB"
        crash_into_core "$attach_dir" "$attach_dir/core-$mib" attach "$mib" || die "no core of the attach program"
    fi
done

# --- corestub: a private copy of the launcher, the jar and lib/ ---------------------------------------------
private_corestub "$root" "$work/corestub" || die "no corestub to benchmark"
jar="$work/corestub/cli/target/corestub.jar"
launcher="$work/corestub/corestub"

# Starts `./corestub serve` on CORE (default: the benchmark core) in the background, as users do; sets
# corestub_port and corestub_pid (the launcher execs java: same PID). Extra arguments go to serve.
start_corestub() {
    local serve_core=${1:-$core}
    shift || true
    local out="$work/corestub-serve.log"
    : >"$out"
    CORESTUB_NO_BUILD=1 "$launcher" serve --listen 127.0.0.1:0 "$@" "$serve_core" >"$out" 2>&1 &
    corestub_pid=$!
    pids+=("$corestub_pid")
    local i
    for ((i = 0; i < 6000; i++)); do
        corestub_port=$(sed -n 's/^corestub: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out")
        [[ -n "$corestub_port" ]] && return 0
        kill -0 "$corestub_pid" 2>/dev/null || break
        sleep 0.01
    done
    cat "$out" >&2
    die "corestub serve did not start"
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# A free loopback port (for lldb-server, which needs one given).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts lldb-server on a new live process (stopped at its entry); sets lldb_server_port and lldb_server_pid.
start_lldb_server() {
    lldb_server_port=$(free_port)
    (cd "$work" && exec "$lldb_server" gdbserver "127.0.0.1:$lldb_server_port" -- ./prog) >"$work/lldb-server.log" 2>&1 &
    lldb_server_pid=$!
    pids+=("$lldb_server_pid")
    local i
    for ((i = 0; i < 200; i++)); do
        # Listening (state 0A in /proc/net/tcp) without connecting: lldb-server serves one connection.
        if awk -v p="$(printf ':%04X' "$lldb_server_port")" '$2 ~ p"$" && $4 == "0A" {f = 1} END {exit !f}' \
            /proc/net/tcp; then
            return 0
        fi
        kill -0 "$lldb_server_pid" 2>/dev/null || break
        sleep 0.05
    done
    cat "$work/lldb-server.log" >&2
    die "lldb-server did not start"
}

# Starts gdbserver on a new live process; sets gdbserver_port and gdbserver_pid.
start_gdbserver() {
    local out="$work/gdbserver.log"
    : >"$out"
    (cd "$work" && LD_PRELOAD=$shim exec gdbserver --wrapper env -u LD_PRELOAD -- --once 127.0.0.1:0 ./prog) \
        >"$out" 2>&1 &
    gdbserver_pid=$!
    pids+=("$gdbserver_pid")
    local i
    for ((i = 0; i < 100; i++)); do
        gdbserver_port=$(sed -n 's/^Listening on port \([0-9]*\).*/\1/p' "$out")
        [[ -n "$gdbserver_port" ]] && return 0
        kill -0 "$gdbserver_pid" 2>/dev/null || break
        sleep 0.05
    done
    cat "$out" >&2
    die "gdbserver did not start"
}

stop_gdbserver() {
    local i
    for ((i = 0; i < 50; i++)); do
        kill -0 "$gdbserver_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$gdbserver_pid" 2>/dev/null || true
    wait "$gdbserver_pid" 2>/dev/null || true
}

# --- the timed session (gdb's Python) ----------------------------------------------------------------------
bench_py="$work/bench.py"
cat >"$bench_py" <<'EOF'
# Sourced by gdb (scripts/bench-gdb.sh): times BENCH_CALLS x `print 1`, x `print next_id()`, a BENCH_LOOP-call
# Python loop and one dump, with the CPU time of the server processes BENCH_SERVER_PIDS (and their children).
import os
import time

import gdb

calls = int(os.environ["BENCH_CALLS"])
warmup = int(os.environ["BENCH_WARMUP"])
loop_calls = int(os.environ["BENCH_LOOP"])
dump_file = os.environ.get("BENCH_DUMP_FILE", "")
dump_bytes = int(os.environ["BENCH_DUMP_MIB"]) << 20
server_pids = os.environ.get("BENCH_SERVER_PIDS", "").split()


def with_children(pid):
    found = [pid]
    try:
        for task in os.listdir("/proc/%s/task" % pid):
            with open("/proc/%s/task/%s/children" % (pid, task)) as f:
                for child in f.read().split():
                    found += with_children(child)
    except OSError:
        pass
    return found


def server_cpu_ns():
    """On-CPU time of every thread of the server processes (schedstat: nanoseconds); "children": gdb's."""
    total = 0
    if server_pids == ["children"]:
        pids = with_children(str(os.getpid()))[1:]
    else:
        pids = [p for s in server_pids for p in with_children(s)]
    for pid in pids:
        try:
            for task in os.listdir("/proc/%s/task" % pid):
                with open("/proc/%s/task/%s/schedstat" % (pid, task)) as f:
                    total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def timed(action):
    server = server_cpu_ns()
    cpu = time.process_time_ns()
    start = time.perf_counter_ns()
    out = action()
    return time.perf_counter_ns() - start, time.process_time_ns() - cpu, server_cpu_ns() - server, out


def batch(command):
    for _ in range(warmup):
        gdb.execute(command, to_string=True)

    def run():
        out = ""
        for _ in range(calls):
            out = gdb.execute(command, to_string=True)
        return out.split("=")[-1].strip()

    return timed(run)


def loop():
    value = None
    for _ in range(loop_calls):
        value = gdb.parse_and_eval("next_id()")
    return int(value)


result = {}
result["base_ns"], result["base_cpu_ns"], result["base_server_ns"], _ = batch("print 1")
result["call_ns"], result["call_cpu_ns"], result["call_server_ns"], result["last"] = batch("print next_id()")
result["loop_ns"], result["loop_cpu_ns"], result["loop_server_ns"], result["loop_last"] = timed(loop)
if dump_file:
    command = "dump binary memory %s bench_buffer bench_buffer+%d" % (dump_file, dump_bytes)
    result["dump_ns"], result["dump_cpu_ns"], result["dump_server_ns"], _ = timed(
        lambda: gdb.execute(command, to_string=True))
print("BENCH " + " ".join("%s=%s" % item for item in result.items()))
EOF
export BENCH_CALLS=$calls BENCH_WARMUP=$warmup BENCH_DUMP_MIB=$dump_mib BENCH_LOOP=$loop_calls

# Runs one gdb session: session NAME DUMP_FILE SERVER-PIDS GDB-ARGUMENTS...; prints its BENCH line (empty when
# it failed). gdb runs with the ptrace shim (kept out of the inferior) for the live targets.
session() {
    local name=$1 dump_file=$2 server_pids=$3
    shift 3
    local out="$work/session-$name.log"
    rm -f "$dump_file"
    (cd "$work" && LD_PRELOAD=$shim BENCH_DUMP_FILE=$dump_file BENCH_SERVER_PIDS=$server_pids \
        timeout "$session_timeout" gdb -nx -batch -iex 'unset environment LD_PRELOAD' -ex 'set pagination off' \
        -ex 'set confirm off' -ex 'set remotetimeout 60' "$@" -ex "source $bench_py" ./prog) >"$out" 2>&1 || true
    { echo "=== $name"; cat "$out"; } >>"$log"
    grep -a '^BENCH ' "$out" | tail -n 1 || true
}

# lldb: `memory read --binary` of the dump's bytes, timed by lldb's Python (synchronous mode).
lldb_py="$work/bench_lldb.py"
cat >"$lldb_py" <<'EOF'
# Imported by lldb (scripts/bench-gdb.sh): connects, resumes a live process to its abort, times one read.
import os
import time

import lldb


def __lldb_init_module(debugger, internal_dict):
    debugger.SetAsync(False)
    out = lldb.SBCommandReturnObject()
    interpreter = debugger.GetCommandInterpreter()
    interpreter.HandleCommand("gdb-remote 127.0.0.1:%s" % os.environ["BENCH_PORT"], out)
    process = debugger.GetSelectedTarget().GetProcess()
    if os.environ.get("BENCH_RESUME") == "1":
        process.Continue()  # synchronous: returns at the abort
    command = "memory read --binary --force --outfile %s --count %d %s" % (
        os.environ["BENCH_DUMP_FILE"], int(os.environ["BENCH_DUMP_MIB"]) << 20, os.environ["BENCH_ADDRESS"])
    start = time.perf_counter_ns()
    interpreter.HandleCommand(command, out)
    elapsed = time.perf_counter_ns() - start
    print("BENCH lldb_ns=%d ok=%s" % (elapsed, "yes" if out.Succeeded() else "no:" + out.GetError().strip()))
    if os.environ.get("BENCH_RESUME") == "1":
        process.Kill()
    else:
        process.Detach()
EOF

# Runs one lldb session: lldb_session NAME PORT RESUME(0|1); prints its BENCH line.
lldb_session() {
    local name=$1 port=$2 resume=$3
    local out="$work/session-$name.log"
    rm -f "$work/dump-$name.bin"
    (cd "$work" && BENCH_PORT=$port BENCH_RESUME=$resume BENCH_DUMP_FILE="$work/dump-$name.bin" \
        BENCH_ADDRESS=$buffer_address timeout "$session_timeout" "$lldb" -b -x \
        -o "settings set plugin.process.gdb-remote.packet-timeout 60" -o "command script import $lldb_py" ./prog) \
        </dev/null >"$out" 2>&1 || true
    { echo "=== $name"; cat "$out"; } >>"$log"
    grep -a '^BENCH ' "$out" | tail -n 1 || true
}

# Raw x reads: raw_session NAME PORT [--continue]; prints its RAW line. The client is C: the Python one cost
# 65-110 ms of CPU per 64 MiB, as much as the server, and capped what could be measured.
raw_x_read="$work/raw-x-read"
if [[ ! -x "$raw_x_read" || "$root/scripts/lib/raw-x-read.c" -nt "$raw_x_read" \
    || "$root/scripts/lib/rsp-client.h" -nt "$raw_x_read" ]]; then
    gcc -O2 -Wall -o "$raw_x_read" "$root/scripts/lib/raw-x-read.c"
fi
raw_chunk=${BENCH_RAW_CHUNK:-131002}   # what lldb asks per x packet
raw_session() {
    local name=$1 port=$2
    shift 2
    echo "=== $name" >>"$log"
    timeout "$session_timeout" "$raw_x_read" "$port" "$buffer_address" \
        $((dump_mib << 20)) "$raw_chunk" --expect "$work/dump-local.bin" "$@" 2>>"$log" | tail -n 1 || true
}

# Attach: the wall time from a start to the end of `bt` (milliseconds), and RSS probes through gdb's Python.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
rss_py="$work/bench_rss.py"
cat >"$rss_py" <<'EOF'
# Sourced by gdb (scripts/bench-gdb.sh): the server's VmRSS after bt, then after 100 calls.
import os

import gdb


def rss_kib():
    with open("/proc/%s/status" % os.environ["BENCH_SERVER_PID"]) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


after_bt = rss_kib()
for _ in range(100):
    gdb.execute("print next_id()", to_string=True)
print("BENCH rss_bt_kib=%d rss_calls_kib=%d" % (after_bt, rss_kib()))
EOF
cpu_py="$work/bench_cpu.py"
cat >"$cpu_py" <<'EOF'
# Sourced by gdb (scripts/bench-gdb.sh) after bt: the CPU time every thread of the server has used so far.
import os

total = 0
pid = os.environ["BENCH_SERVER_PID"]
for task in os.listdir("/proc/%s/task" % pid):
    try:
        with open("/proc/%s/task/%s/schedstat" % (pid, task)) as f:
            total += int(f.read().split()[0])
    except OSError:
        pass
print("BENCH server_cpu_ns=%d" % total)
EOF
# A cold attach: cold_attach KEY CORE [ENV...]; records the wall time from the start to the end of bt, and the
# server's CPU time until then (read by gdb after bt, while the server still runs).
cold_attach() {
    local key=$1 attach_core=$2
    shift 2
    local t0 cpu_line
    t0=$(now_ms)
    if (($#)); then
        local -x "$@" # NAME=VALUE pairs for the launcher, this attach only
    fi
    start_corestub "$attach_core" --once
    local cold_pid=$corestub_pid
    cpu_line=$( (cd "$attach_dir" && BENCH_SERVER_PID=$cold_pid timeout "$session_timeout" gdb -nx -batch \
        -ex 'set remotetimeout 60' -ex "target remote 127.0.0.1:$corestub_port" -ex bt -ex "source $cpu_py" \
        ./attach 2>>"$log") | grep -a '^BENCH ' || true)
    add_sample "$key" ms $(($(now_ms) - t0))
    add_sample "$key" cpu_ns "$(field "$cpu_line" server_cpu_ns)"
    wait "$cold_pid" 2>/dev/null || true
}

# gdb on the core (`gdb PROG CORE`), with gdb's CPU time (user + system) from bash's time; a bt that does not
# reach main is a failure.
gdb_on_core() {
    local key=$1 attach_core=$2 t0 times
    t0=$(now_ms)
    times=$( { TIMEFORMAT='%3U %3S'; time (cd "$attach_dir" && timeout "$session_timeout" gdb -nx -batch ./attach \
        "$attach_core" -ex bt >"$work/gdb-on-core.log" 2>&1); } 2>&1 | tail -n 1)
    add_sample "$key" ms $(($(now_ms) - t0))
    cat "$work/gdb-on-core.log" >>"$log"
    grep -q ' in main ' "$work/gdb-on-core.log" || say "gdb on $attach_core: no bt to main (see ${log#"$root"/})"
    add_sample "$key" cpu_ns "$(awk -v u="${times% *}" -v s="${times#* }" 'BEGIN {printf "%.0f", (u + s) * 1e9}')"
}

attach_gdb() {
    (cd "$attach_dir" && timeout "$session_timeout" gdb -nx -batch -ex 'set remotetimeout 60' "$@" ./attach) \
        >>"$log" 2>&1 || true
}

# The value of KEY in a BENCH line.
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<"$1"; }

targets=(local gdbserver corestub corestub-c2 corestub-session)
declare -A samples=()     # "target key" -> space-separated values over the rounds
declare -A lasts=()       # target -> the last value printed by next_id() (last round)
declare -A dumps_ok=()    # target -> "yes" while every dump matched local gdb's
add_sample() { [[ -z "$3" ]] || samples["$1 $2"]="${samples["$1 $2"]:-} $3"; }
add_raw() {
    add_sample "$1" raw_ns "$(field "$2" ns)"
    add_sample "$1" raw_server_ns "$(field "$2" server_ns)"
}
med_last() { local v; read -r -a v <<<"${samples["$1 $2"]:-}"; echo "${v[-1]:-?}"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# The launcher's class-data archive for `serve` comes from a training run: the first serve that exits normally.
# Each core's first start plans its load-time patches and keeps the plan (the patch-plan cache, as a user's second
# start finds it); the cold rounds measure later starts, and "first start" ones with the cache off.
say "training run of ./corestub serve (writes the launcher's class-data archive and each attach core's patch plan)"
start_corestub "$attach_dir/core-${attach_mibs%% *}" --once
attach_gdb -ex "target remote 127.0.0.1:$corestub_port" -ex bt -ex 'print next_id()' -ex 'print next_id()'
wait "$corestub_pid" 2>/dev/null || true
for mib in $attach_mibs; do
    start_corestub "$attach_dir/core-$mib" --once
    attach_gdb -ex "target remote 127.0.0.1:$corestub_port" -ex bt
    wait "$corestub_pid" 2>/dev/null || true
done
# The C2 JIT (the launcher gives serve C1), for comparison: one more server on the same core.
CORESTUB_JAVA_OPTS="-XX:TieredStopAtLevel=4 ${CORESTUB_JAVA_OPTS:-}" start_corestub
c2_port=$corestub_port
c2_pid=$corestub_pid
start_corestub
# gdbserver is native code; corestub runs on a JIT: one untimed session warms it up (calls and a small dump).
warmup_calls=$((calls * 5))
say "warming up corestub serve (one untimed session of $warmup_calls calls and a 16 MiB dump)"
BENCH_CALLS=$warmup_calls BENCH_DUMP_MIB=16 session corestub-warmup "$work/dump-warmup.bin" "$corestub_pid" \
    -ex "target remote 127.0.0.1:$corestub_port" >/dev/null
BENCH_CALLS=$warmup_calls BENCH_DUMP_MIB=16 session corestub-c2-warmup "$work/dump-warmup.bin" "$c2_pid" \
    -ex "target remote 127.0.0.1:$c2_port" >/dev/null
rm -f "$work/dump-warmup.bin"
main_port=$corestub_port
main_pid=$corestub_pid
say "corestub serve on 127.0.0.1:$corestub_port; $runs rounds of $calls calls + a ${dump_mib} MiB dump per target"
for ((round = 1; round <= runs; round++)); do
    for target in "${targets[@]}"; do
        dump_file="$work/dump-$target.bin"
        case $target in
            local)
                line=$(session "$target" "$dump_file" children -ex run) ;;
            gdbserver)
                start_gdbserver
                line=$(session "$target" "$dump_file" "$gdbserver_pid" -ex "target remote 127.0.0.1:$gdbserver_port" \
                    -ex continue)
                stop_gdbserver ;;
            corestub)
                line=$(session "$target" "$dump_file" "$corestub_pid" -ex "target remote 127.0.0.1:$corestub_port") ;;
            corestub-c2)
                dump_file=""
                line=$(session "$target" "" "$c2_pid" -ex "target remote 127.0.0.1:$c2_port") ;;
            corestub-session)
                dump_file=""
                line=$(session "$target" "" "$corestub_pid" -ex "target remote 127.0.0.1:$corestub_port" \
                    -ex 'monitor restore-mode session') ;;
        esac
        if [[ -z "$line" ]]; then
            say "round $round: $target failed (see ${log#"$root"/})"
            continue
        fi
        for key in base_ns base_cpu_ns base_server_ns call_ns call_cpu_ns call_server_ns loop_ns loop_cpu_ns \
            loop_server_ns dump_ns dump_cpu_ns dump_server_ns; do
            value=$(field "$line" "$key")
            if [[ -n "$value" ]]; then add_sample "$target" "$key" "$value"; fi
        done
        lasts[$target]=$(field "$line" last)
        if [[ -n "$dump_file" ]]; then
            if [[ $target == local ]]; then
                dumps_ok[$target]=yes
            elif [[ -f "$dump_file" && -f "$work/dump-local.bin" ]] && cmp -s "$dump_file" "$work/dump-local.bin"; then
                dumps_ok[$target]=${dumps_ok[$target]:-yes}
            else
                dumps_ok[$target]=no
                say "round $round: $target's dump differs from local gdb's"
            fi
        fi
        say "round $round: $target: $line"
    done

    # lldb `memory read --binary`: lldb-server on a new live process, then corestub (the same bytes).
    start_lldb_server
    line=$(lldb_session lldb-server "$lldb_server_port" 1)
    stop_pid "$lldb_server_pid"
    for name in lldb-server lldb-corestub; do
        if [[ $name == lldb-corestub ]]; then line=$(lldb_session "$name" "$corestub_port" 0); fi
        value=$(field "$line" lldb_ns)
        if [[ -n "$value" ]] && cmp -s "$work/dump-$name.bin" "$work/dump-local.bin"; then
            add_sample "$name" lldb_ns "$value"
        else
            say "round $round: lldb via $name failed or read other bytes: $line"
        fi
        say "round $round: $name: $line"
    done

    # Raw x reads by a socket client.
    start_lldb_server
    line=$(raw_session raw-lldb-server "$lldb_server_port" --continue --server-pid "$lldb_server_pid")
    stop_pid "$lldb_server_pid"
    say "round $round: raw x, lldb-server: $line"
    [[ $line != *ok=yes* ]] || add_raw raw-lldb-server "$line"
    line=$(raw_session raw-corestub "$corestub_port" --server-pid "$corestub_pid")
    say "round $round: raw x, corestub: $line"
    [[ $line != *ok=yes* ]] || add_raw raw-corestub "$line"

    # Attach: gdb on the core, corestub cold (start + bt), corestub warm (bt to a running server) after an
    # RSS probe (bt, then 100 calls) on that server.
    for mib in $attach_mibs; do
        gdb_on_core "attach-gdb-$mib" "$attach_dir/core-$mib"
        cold_attach "attach-cold-$mib" "$attach_dir/core-$mib"
        cold_attach "attach-cold-nocds-$mib" "$attach_dir/core-$mib" CORESTUB_CDS=0
        cold_attach "attach-cold-noplan-$mib" "$attach_dir/core-$mib" CORESTUB_PLAN_CACHE=0
        cold_attach "attach-cold-c2-$mib" "$attach_dir/core-$mib" \
            CORESTUB_JAVA_OPTS="-XX:TieredStopAtLevel=4 ${CORESTUB_JAVA_OPTS:-}"
        start_corestub "$attach_dir/core-$mib"
        warm_pid=$corestub_pid
        rss_line=$( (cd "$attach_dir" && BENCH_SERVER_PID=$warm_pid timeout "$session_timeout" gdb -nx -batch \
            -ex 'set remotetimeout 60' -ex "target remote 127.0.0.1:$corestub_port" -ex bt -ex "source $rss_py" \
            ./attach 2>>"$log") | grep -a '^BENCH ' || true)
        add_sample "rss-bt-$mib" kib "$(field "$rss_line" rss_bt_kib)"
        add_sample "rss-calls-$mib" kib "$(field "$rss_line" rss_calls_kib)"
        t0=$(now_ms)
        attach_gdb -ex "target remote 127.0.0.1:$corestub_port" -ex bt
        add_sample "attach-warm-$mib" ms $(($(now_ms) - t0))
        stop_pid "$warm_pid"
        say "round $round: attach $mib MiB: gdb on the core $(med_last "attach-gdb-$mib" ms) ms, cold" \
            "$(med_last "attach-cold-$mib" ms) ms (server CPU $(med_last "attach-cold-$mib" cpu_ns) ns), warm" \
            "$(med_last "attach-warm-$mib" ms) ms; $rss_line"
    done
    corestub_port=$main_port
    corestub_pid=$main_pid
done
# A last check that corestub's and gdbserver's dumps are identical to each other, byte for byte.
if cmp -s "$work/dump-corestub.bin" "$work/dump-gdbserver.bin" 2>/dev/null; then
    dumps_equal="identical"
else
    dumps_equal="DIFFERENT"
fi

# --- packets: one more session per remote with gdb's remote log ---------------------------------------------
# Counts the packets of one `print next_id()` (average over 20) and of a 4 MiB dump, and their median reply time
# as gdb's log stamps it (the log slows gdb down, so only the shares matter).
trace_ex=(-ex 'print next_id()' -ex 'print next_id()' -ex 'set logging debugredirect on'
          -ex 'set logging overwrite on' -ex 'set debug timestamp on')
trace_session() {
    local name=$1
    shift
    local ex=(-ex "set logging file $work/trace-$name-calls.log" -ex 'set logging enabled on' -ex 'set debug remote 1')
    local i
    for ((i = 0; i < 20; i++)); do ex+=(-ex 'print next_id()'); done
    ex+=(-ex 'set debug remote 0' -ex 'set logging enabled off' -ex "set logging file $work/trace-$name-dump.log"
         -ex 'set logging enabled on' -ex 'set debug remote 1'
         -ex "dump binary memory $work/dump-trace.bin bench_buffer bench_buffer+4194304"
         -ex 'set debug remote 0' -ex 'set logging enabled off')
    (cd "$work" && LD_PRELOAD=$shim timeout "$session_timeout" gdb -nx -batch -iex 'unset environment LD_PRELOAD' \
        -ex 'set pagination off' -ex 'set remotetimeout 60' "$@" "${trace_ex[@]}" "${ex[@]}" ./prog) \
        >"$work/trace-$name.log" 2>&1 || true
}
start_gdbserver
trace_session gdbserver -ex "target remote 127.0.0.1:$gdbserver_port" -ex continue
stop_gdbserver
trace_session corestub -ex "target remote 127.0.0.1:$corestub_port"

# Per packet kind in a trace: "kind count median_ms", sorted by kind.
packet_stats() {
    awk '
        / \[remote\] Sending packet: / {
            sent = $1; p = $0; sub(/.*Sending packet: \$/, "", p)
            kind = substr(p, 1, 1)
            if (p ~ /^qXfer:/) {split(p, a, ":"); kind = a[1] ":" a[2] ":" a[3]}
            else if (p ~ /^vCont/) kind = "vCont"
            else if (p ~ /^q/ || p ~ /^Q/) {kind = p; sub(/[:,;].*/, "", kind)}
            next
        }
        / \[remote\] Packet received: / && sent != "" {
            n[kind]++; t[kind, n[kind]] = ($1 - sent) * 1000
            sent = ""
        }
        END {
            for (k in n) {
                m = n[k]; for (i = 1; i <= m; i++) v[i] = t[k, i]
                for (i = 2; i <= m; i++) {x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x}
                med = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
                printf "%s %d %.3f\n", k, m, med
            }
        }' "$1" | LC_ALL=C sort
}

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------------------------------
median() { local -a v; read -r -a v <<<"$1"; ((${#v[@]})) || return 0; printf '%s\n' "${v[@]}" | sort -n | awk '{a[NR] = $1} END {if (NR == 0) exit; print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
med() { median "${samples["$1 $2"]:-}"; }
fmt() { [[ -n "$2" ]] && awk -v v="$2" -v f="$1" 'BEGIN {printf f, v}' || echo "failed"; }

declare -A label=([local]="local gdb (ptrace, live)" [gdbserver]="gdbserver (loopback, live)"
                  [corestub]="corestub serve (core)" [corestub-c2]="corestub serve, C2 JIT" [corestub-session]="corestub, restore-mode session"
                  [lldb-server]="lldb-server (loopback, live)" [lldb-corestub]="corestub serve (core)"
                  [raw-lldb-server]="lldb-server (loopback, live)" [raw-corestub]="corestub serve (core)")
declare -A expected_last=([local]=$((42 + warmup + calls)) [gdbserver]=$((42 + warmup + calls)) [corestub]=43
                          [corestub-c2]=43 [corestub-session]=$((42 + warmup + calls)))
gs_call=$(med gdbserver call_ns)
gs_dump=$(med gdbserver dump_ns)
# The median over the rounds of A/B, pairing round by round (ratio of the medians when a round failed).
ratio_med() {
    local -a a b
    read -r -a a <<<"${samples["$1"]:-}"
    read -r -a b <<<"${samples["$2"]:-}"
    ((${#a[@]} && ${#b[@]})) || return 0
    if ((${#a[@]} == ${#b[@]})); then
        local i r=""
        for ((i = 0; i < ${#a[@]}; i++)); do r+=" $(awk -v x="${a[i]}" -v y="${b[i]}" 'BEGIN {print (y > 0) ? x / y : 0}')"; done
        awk -v v="$(median "$r")" 'BEGIN {printf "%.3g", v}'
    else
        awk -v x="$(median "${a[*]}")" -v y="$(median "${b[*]}")" 'BEGIN {if (y > 0) printf "%.3g", x / y}'
    fi
}
per_ms() { [[ -n "$1" ]] && awk -v c="$1" -v n="$2" 'BEGIN {printf "%.3f", c / n / 1e6}' || echo "—"; }
goal() { [[ -n "$1" ]] && awk -v r="$1" -v op="$2" -v g="$3" 'BEGIN {m = (op == "<=") ? r <= g : r >= g; printf "%s %s: %s", (op == "<=") ? "≤" : "≥", g, m ? "met" : "**not met**"}' || echo "—"; }
call_table=$(
    echo "| target | \`print next_id()\` ms/call | rounds | server CPU ms/call | gdb CPU ms/call | last (expected) | × gdbserver: round trip | goal | × gdbserver: server CPU | goal |"
    echo "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | --- |"
    for t in "${targets[@]}"; do
        all=$(read -r -a v <<<"${samples["$t call_ns"]:-}"; for x in "${v[@]}"; do
            awk -v c="$x" -v n="$calls" 'BEGIN {printf "%.2f ", c / n / 1e6}'; done)
        last=${lasts[$t]:-—}
        [[ $last == "${expected_last[$t]}" ]] || last="**$last**"
        rt="—"; rc="—"; g1="—"; g2="—"
        if [[ $t == corestub* ]]; then
            rt=$(ratio_med "$t call_ns" "gdbserver call_ns"); rc=$(ratio_med "$t call_server_ns" "gdbserver call_server_ns")
            g1=$(goal "$rt" "<=" 0.75); g2=$(goal "$rc" "<=" 0.5)
        fi
        echo "| ${label[$t]} | $(per_ms "$(med "$t" call_ns)" "$calls") | ${all% } | $(per_ms "$(med "$t" call_server_ns)" "$calls") | $(per_ms "$(med "$t" call_cpu_ns)" "$calls") | $last (${expected_last[$t]}) | ${rt:-—} | $g1 | ${rc:-—} | $g2 |"
    done
)
loop_table=$(
    echo "| target | $loop_calls-call Python loop ms/call | server CPU ms/call | gdb CPU ms/call | × gdbserver: loop | goal | × gdbserver: server CPU | goal |"
    echo "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |"
    for t in "${targets[@]}"; do
        rt="—"; rc="—"; g1="—"; g2="—"
        if [[ $t == corestub* ]]; then
            rt=$(ratio_med "$t loop_ns" "gdbserver loop_ns"); rc=$(ratio_med "$t loop_server_ns" "gdbserver loop_server_ns")
            g1=$(goal "$rt" "<=" 0.75); g2=$(goal "$rc" "<=" 0.5)
        fi
        echo "| ${label[$t]} | $(per_ms "$(med "$t" loop_ns)" "$loop_calls") | $(per_ms "$(med "$t" loop_server_ns)" "$loop_calls") | $(per_ms "$(med "$t" loop_cpu_ns)" "$loop_calls") | ${rt:-—} | $g1 | ${rc:-—} | $g2 |"
    done
)
dump_table=$(
    echo "| target | ${dump_mib} MiB | s | MB/s | gdb CPU s | server CPU s | bytes = local gdb's | × gdbserver throughput | goal |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |"
    for t in local gdbserver corestub; do
        d=$(med "$t" dump_ns)
        mbs=$([[ -n "$d" ]] && awk -v d="$d" -v m="$dump_mib" 'BEGIN {printf "%.1f", m * 1048576 / (d / 1e9) / 1e6}' || echo "—")
        r="—"; g="—"
        if [[ $t == corestub ]]; then r=$(ratio_med "gdbserver dump_ns" "corestub dump_ns"); g=$(goal "$r" ">=" 1.2); fi
        same=${dumps_ok[$t]:-—}
        [[ $same == no ]] && same="**no**"
        echo "| ${label[$t]} | gdb \`dump binary memory\` | $(per_ms "$d" 1000) | $mbs | $(per_ms "$(med "$t" dump_cpu_ns)" 1000) | $(per_ms "$(med "$t" dump_server_ns)" 1000) | $same | ${r:-—} | $g |"
    done
    for t in lldb-server lldb-corestub; do
        d=$(med "$t" lldb_ns)
        mbs=$([[ -n "$d" ]] && awk -v d="$d" -v m="$dump_mib" 'BEGIN {printf "%.1f", m * 1048576 / (d / 1e9) / 1e6}' || echo "—")
        r="—"; g="—"
        if [[ $t == lldb-corestub ]]; then r=$(ratio_med "lldb-server lldb_ns" "lldb-corestub lldb_ns"); g=$(goal "$r" ">=" 1.5); fi
        echo "| ${label[$t]} | lldb \`memory read --binary\` | $(per_ms "$d" 1000) | $mbs | — | — | yes (compared) | ${r:-—} | $g |"
    done
    for t in raw-lldb-server raw-corestub; do
        d=$(med "$t" raw_ns)
        mbs=$([[ -n "$d" ]] && awk -v d="$d" -v m="$dump_mib" 'BEGIN {printf "%.1f", m * 1048576 / (d / 1e9) / 1e6}' || echo "—")
        r="—"; g="—"
        if [[ $t == raw-corestub ]]; then
            r=$(ratio_med "raw-lldb-server raw_ns" "raw-corestub raw_ns")
            g=$([[ $mbs != "—" ]] && awk -v m="$mbs" 'BEGIN {print (m >= 500) ? "≥ 500 MB/s: met" : "≥ 500 MB/s: **not met**"}')
        fi
        echo "| ${label[$t]} | raw \`x\`, $raw_chunk bytes each | $(per_ms "$d" 1000) | $mbs | — | $(per_ms "$(med "$t" raw_server_ns)" 1000) | yes (compared) | ${r:-—} | $g |"
    done
)
attach_table=$(
    echo "| core (sparse) | gdb PROG CORE -batch -ex bt: ms | its CPU ms | corestub cold: serve → bt, ms | server CPU ms | × gdb: wall | × gdb: CPU | goal ≤ 3× | first start of the core (no plan cache): ms, × gdb | cold, no CDS: ms | cold, C2: ms, CPU ms | warm: bt to a running serve, ms | × gdb | goal ≤ 1.3× | RSS after bt, MiB | after 100 calls |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
    for mib in $attach_mibs; do
        rc=$(ratio_med "attach-cold-$mib ms" "attach-gdb-$mib ms"); rw=$(ratio_med "attach-warm-$mib ms" "attach-gdb-$mib ms")
        rcpu=$(ratio_med "attach-cold-$mib cpu_ns" "attach-gdb-$mib cpu_ns")
        rnp=$(ratio_med "attach-cold-noplan-$mib ms" "attach-gdb-$mib ms")
        ms_of() { awk -v n="$(med "$1" cpu_ns)" 'BEGIN {if (n != "") printf "%.0f", n / 1e6}'; }
        rss_bt=$(awk -v k="$(med "rss-bt-$mib" kib)" 'BEGIN {if (k != "") printf "%.0f", k / 1024}')
        rss_calls=$(awk -v k="$(med "rss-calls-$mib" kib)" 'BEGIN {if (k != "") printf "%.0f", k / 1024}')
        echo "| $mib MiB | $(med "attach-gdb-$mib" ms) | $(ms_of "attach-gdb-$mib") | $(med "attach-cold-$mib" ms) | $(ms_of "attach-cold-$mib") | ${rc:-—} | ${rcpu:-—} | $(goal "$rc" "<=" 3) | $(med "attach-cold-noplan-$mib" ms), ${rnp:-—} | $(med "attach-cold-nocds-$mib" ms) | $(med "attach-cold-c2-$mib" ms), $(ms_of "attach-cold-c2-$mib") | $(med "attach-warm-$mib" ms) | ${rw:-—} | $(goal "$rw" "<=" 1.3) | ${rss_bt:-—} | ${rss_calls:-—} |"
    done
)
traced_wall() {
    awk '/ \[remote\] (Sending packet|Packet received): / {if (first == "") first = $1; last = $1}
         END {if (first != "") printf "%.3f", (last - first) / 20 * 1000}' "$work/trace-$1-calls.log"
}
packet_table=$(
    echo "| packet | gdbserver: per call | median ms | corestub: per call | median ms |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    LC_ALL=C join -a1 -a2 -e 0 -o 0,1.2,1.3,2.2,2.3 <(packet_stats "$work/trace-gdbserver-calls.log") \
        <(packet_stats "$work/trace-corestub-calls.log") |
        awk '{printf "| `%s` | %g | %s | %g | %s |\n", $1, $2 / 20, ($2 ? $3 : "—"), $4 / 20, ($4 ? $5 : "—");
              g += $2; c += $4}
             END {printf "| all | %g | | %g | |\n", g / 20, c / 20}'
    echo "| wall time per call, traced | | $(traced_wall gdbserver) | | $(traced_wall corestub) |"
)
# The bulk `m` packets of the traced 4 MiB dump: "N `m` packets, B bytes each on average, median T ms each".
dump_packets() {
    awk 'function hex(h,  i, v) {v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v}
        / \[remote\] Sending packet: \$m/ {
            p = $0; sub(/.*Sending packet: \$m/, "", p); sub(/#.*/, "", p); split(p, a, ",")
            bulk = (hex(a[2]) >= 4096); if (bulk) sent = $1; next
        }
        / \[remote\] Packet received: / && bulk {t[++n] = ($1 - sent) * 1000; bulk = 0}
        END {
            if (n == 0) exit
            for (i = 2; i <= n; i++) {x = t[i]; for (j = i - 1; j >= 1 && t[j] > x; j--) t[j + 1] = t[j]; t[j + 1] = x}
            med = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
            printf "%d `m` packets, %.0f bytes each on average, median %.3f ms each", n, 4194304 / n, med
        }' "$work/trace-$1-dump.log"
}
# gdb's own CPU time bounds what any server can reach: a call cannot take less than the gdb CPU it costs, nor
# a dump (gdb decodes every hex digit of an `m` reply itself).
call_floor=$(awk -v c="$(med corestub call_cpu_ns)" -v g="$gs_call" 'BEGIN {if (c != "" && g > 0) printf "%.2f", c / g}')
dump_ceiling=$(awk -v c="$(med corestub dump_cpu_ns)" -v g="$gs_dump" 'BEGIN {if (c > 0 && g != "") printf "%.2f", g / c}')
gs_dump_packets=$(dump_packets gdbserver)
cs_dump_packets=$(dump_packets corestub)

cpu_name=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
mem_gib=$(awk '/^MemTotal/ {printf "%.0f", $2 / 1024 / 1024}' /proc/meminfo 2>/dev/null || echo "?")
machine="$(uname -srm), $cpu_name, $(nproc) cores, ${mem_gib} GiB RAM"
version=$(java -jar "$jar" --version 2>/dev/null | head -n 1 || echo "corestub ?")
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "uncommitted")
if [[ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]]; then
    commit="$commit (with uncommitted changes)"
fi

section=$(
    echo
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC'): corestub serve beside gdbserver, lldb-server and gdb on the core"
    echo
    echo "- machine: $machine"
    echo "- $version, commit $commit; $(java -version 2>&1 | head -n 1); $(gdb --version | head -n 1);"
    echo "  $(gdbserver --version | head -n 1); $("$lldb" --version | head -n 1)"
    echo "- program: demo.c + a ${buffer_mib} MiB pseudo-random buffer (\`bench_buffer\` at $buffer_address), \`-O1 -pthread -fPIE -pie\`;"
    echo "  core of it: $core_bytes bytes. Live targets stopped at the same abort, corestub serving that program's core"
    echo "  through the ./corestub launcher (its JVM flags, its class-data archive); live gdb and gdbserver with testkit's"
    echo "  ptrace shim."
    echo "- timing: one gdb session per target and round, $runs rounds interleaved; $calls commands per batch after $warmup"
    echo "  untimed ones; server CPU is the on-CPU time of every thread of the server (gdbserver: with its inferior,"
    echo "  where a live call runs) over the batch, gdb CPU the gdb process's own (no server can make a call faster"
    echo "  than that). corestub's default restore-mode starts each call from the crash image (the base), so"
    echo "  next_id() returns 43 every time; the live targets count up. corestub's JVMs were warmed up first by one"
    echo "  untimed session ($warmup_calls calls, a 16 MiB dump). Ratios: medians of the per-round ratios to the peer"
    echo "  measured in the same round. Attach cores map N MiB with one touched page per MiB (sparse files)."
    echo
    echo "$call_table"
    echo
    echo "$loop_table"
    echo
    echo "$dump_table"
    echo
    echo "$attach_table"
    echo
    echo "Bounds set by gdb itself: corestub's gdb CPU time alone is ${call_floor:-?} × gdbserver's round trip per call"
    echo "(a server answering in no time could not get below that ratio) and gdbserver's dump takes ${dump_ceiling:-?} ×"
    echo "the gdb CPU time of corestub's dump (no server could exceed that throughput ratio with \`m\` packets)."
    echo "Load average (1, 5, 15 min) before the rounds: $load_before; after: $load_after."
    echo
    echo "corestub's and gdbserver's dumps are $dumps_equal. Dump packets (4 MiB, gdb's remote log on):"
    echo "gdbserver ${gs_dump_packets:-?}; corestub ${cs_dump_packets:-?}."
    echo
    echo "Packets of one \`print next_id()\` (average of 20; reply time as gdb's remote log stamps it, log on):"
    echo
    echo "$packet_table"
)

echo "$section"
if [[ ! -f "$results" ]]; then
    # shellcheck disable=SC2016  # the backquotes are Markdown
    printf '# Benchmarks\n\nResults of the benchmark scripts, newest last.\n' >"$results"
fi
if [[ "${BENCH_NO_APPEND:-}" == 1 ]]; then
    say "not appended (BENCH_NO_APPEND=1); log: ${log#"$root"/}"
else
    echo "$section" >>"$results"
    say "appended to ${results#"$root"/}; log: ${log#"$root"/}"
fi
