#!/usr/bin/env bash
# demo.sh - shows what corestub does today: compiles the bundled demo program
# (testkit/src/main/resources/fixtures/demo.c), crashes it into a core under target/demo/, and runs
# `corestub info` on that core. Run scripts/setup.sh first on a fresh machine.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=scripts/lib/crash-into-core.sh
source "$root/scripts/lib/crash-into-core.sh"
source_file="$root/testkit/src/main/resources/fixtures/demo.c"
work="$root/target/demo"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

command -v gcc >/dev/null 2>&1 || die "gcc is missing: run scripts/setup.sh first"
[[ -f "$source_file" ]] || die "missing $source_file"

mkdir -p "$work"
rm -f "$work"/core "$work"/core.[0-9]* "$work"/demo

say "compiling demo.c (gcc -g -O1 -pthread -fPIE -pie ... -lm)"
( cd "$work" && gcc -g -O1 -pthread -fPIE -pie -o demo "$source_file" -lm )
echo "$work/demo"

pattern=$(cat /proc/sys/kernel/core_pattern 2>/dev/null || echo core)
say "crashing it into a core (core_pattern: $pattern)"
core="$work/core"
crash_into_core "$work" "$core" demo || die "no core of the demo"
ls -l "$core"

say "corestub info ${core#"$root"/}"
"$root/corestub" info "$core"

say "corestub call: run the program's functions on the core"
"$root/corestub" call "$core" 'next_id()' 'next_id()' '(char*)greet("bob")' '(double)scale(1.5, 3)'

# gdb on the plain core refuses calls ("You can't do that without a process to debug"); through
# corestub serve the core is a remote target and the calls run in the emulator.
say "gdb on the core through corestub serve"
command -v gdb >/dev/null 2>&1 || die "gdb is missing: run scripts/setup.sh first"
log="$work/serve.log"
: >"$log" # made here: the background server's own redirect may come after the first read below
"$root/corestub" serve --once --listen 127.0.0.1:0 "$core" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
port=
for _ in $(seq 1 300); do
    port=$(sed -n 's/^corestub: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
    [[ -n "$port" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; die "corestub serve did not start"; }
    sleep 0.1
done
[[ -n "$port" ]] || { cat "$log" >&2; die "corestub serve did not say where it listens"; }
echo "\$ gdb $work/demo -ex 'target remote 127.0.0.1:$port'"
gdb -nx -batch -q -iex 'set debuginfod enabled off' -ex 'set pagination off' "$work/demo" \
    -ex "target remote 127.0.0.1:$port" \
    -ex 'echo (gdb) bt 3\n' -ex 'bt 3' \
    -ex 'echo (gdb) print next_id()\n' -ex 'print next_id()' \
    -ex 'echo (gdb) print next_id()\n' -ex 'print next_id()' \
    -ex 'echo (gdb) print greet("bob")\n' -ex 'print greet("bob")' \
    -ex 'echo (gdb) print (int)strlen(greet("bob"))\n' -ex 'print (int)strlen(greet("bob"))' \
    -ex 'echo (gdb) print scale(1.5, 3)\n' -ex 'print scale(1.5, 3)' \
    -ex 'echo (gdb) thread 2\n' -ex 'thread 2' \
    -ex 'echo (gdb) print get_tls()\n' -ex 'print get_tls()' \
    -ex 'detach' 2>&1 | grep -v '^warning: \|^$' || die "gdb failed"
wait "$server" 2>/dev/null || true
trap - EXIT
