# shellcheck shell=bash
# Sourced by scripts/demo.sh and the bench scripts: crash a program into a core, one way for all of them.
#
# crash_into_core DIR DEST PROGRAM [ARGS...]
#   Runs ./PROGRAM ARGS in DIR until it crashes and leaves its core at DEST. The kernel writes the core when
#   core_pattern is a plain file name (in DIR: 'core', or 'core.PID' with core_uses_pid); a pipe to a crash
#   handler (systemd-coredump, apport) or a path elsewhere gets the core from gdb's generate-core-file at the
#   same crash instead. Returns non-zero, with the reason on stderr, when no core appears.
crash_into_core() {
    local dir=$1 dest=$2 program=$3
    shift 3
    local pattern
    pattern=$(cat /proc/sys/kernel/core_pattern 2>/dev/null || echo core)
    rm -f "$dir"/core "$dir"/core.[0-9]*
    if [[ "$pattern" != \|* && "$pattern" != */* && "$pattern" != *%* ]]; then
        # In a child bash with its output discarded, so its "Aborted (core dumped)" notice is too.
        bash -c 'cd "$1" && shift && ulimit -c unlimited && "$@"; exit 0' crash "$dir" "./$program" "$@" \
            >/dev/null 2>&1 || true
    else
        if ! command -v gdb >/dev/null 2>&1; then
            echo "core_pattern is '$pattern' and gdb is missing: run scripts/setup.sh" >&2
            return 1
        fi
        if ! (cd "$dir" && gdb -nx -batch -ex 'set pagination off' -ex run -ex 'generate-core-file core' \
                --args "./$program" "$@") >"$dir/gdb.log" 2>&1; then
            cat "$dir/gdb.log" >&2
            echo "gdb could not make a core of $dir/$program" >&2
            return 1
        fi
    fi
    local candidate
    for candidate in "$dir"/core "$dir"/core.[0-9]*; do
        if [[ -f "$candidate" ]]; then
            [[ "$candidate" == "$dest" ]] || mv "$candidate" "$dest"
            return 0
        fi
    done
    echo "no core was written in $dir (core_pattern '$pattern'; is 'ulimit -c' allowed?)" >&2
    return 1
}
