#!/usr/bin/env bash
# demo.sh - shows what corestub does today: compiles the bundled demo program
# (testkit/src/main/resources/fixtures/demo.c), crashes it into a core under target/demo/, and runs
# `corestub info` on that core. Run scripts/setup.sh first on a fresh machine.
set -euo pipefail

root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
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

# The kernel writes the core when core_pattern is a plain file name (written in the crashing process's
# directory: 'core', or 'core.PID' with core_uses_pid). A pipe to a crash handler (systemd-coredump, apport)
# or a path elsewhere gets the core from gdb instead, at the same SIGABRT.
pattern=$(cat /proc/sys/kernel/core_pattern 2>/dev/null || echo core)
say "crashing it into a core (core_pattern: $pattern)"
if [[ "$pattern" != \|* && "$pattern" != */* && "$pattern" != *%* ]]; then
    set +e
    ( cd "$work" && ulimit -c unlimited && exec ./demo )
    status=$?
    set -e
    echo "demo exited with status $status (134 = SIGABRT)"
else
    command -v gdb >/dev/null 2>&1 || die "core_pattern is '$pattern' and gdb is missing: run scripts/setup.sh"
    echo "core_pattern sends cores elsewhere: using gdb's generate-core-file at the same abort"
    ( cd "$work" && gdb -nx -batch -ex 'set pagination off' -ex run -ex 'generate-core-file core' ./demo \
        >gdb.log 2>&1 ) || { cat "$work/gdb.log" >&2; die "gdb could not make a core"; }
fi

core=
for candidate in "$work"/core "$work"/core.[0-9]*; do
    if [[ -f "$candidate" ]] && [[ -z "$core" || "$candidate" -nt "$core" ]]; then
        core=$candidate
    fi
done
[[ -n "$core" ]] || die "no core was written in $work (core_pattern '$pattern'; is 'ulimit -c' allowed?)"
ls -l "$core"

say "corestub info ${core#"$root"/}"
"$root/corestub" info "$core"

say "what comes next (planned)"
cat <<'TEXT'
corestub serve will make this core a gdb remote target, so that on it
    (gdb) print greet("bob")
    $1 = 0x... "hello, bob!"
runs greet in an emulator on the core's memory. Today: corestub info, above.
TEXT
