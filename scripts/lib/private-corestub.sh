# shellcheck shell=bash
# Sourced by the bench scripts: corestub as users run it (the ./corestub launcher, its jar and lib/), from a copy
# of its own, so that a rebuild while a benchmark runs cannot disturb it.
#
# private_corestub ROOT DEST
#   Builds the jar when stale (./corestub --version; not with BENCH_NO_BUILD=1), then copies the launcher to
#   DEST/corestub and the jar and lib/ to DEST/cli/target/ (DEST is emptied first). Returns non-zero, with the
#   reason on stderr, when the jar or lib/ is missing.
private_corestub() {
    local root=$1 dest=$2
    if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
        "$root/corestub" --version >/dev/null || return 1
    fi
    if [[ ! -f "$root/cli/target/corestub.jar" || ! -d "$root/cli/target/lib" ]]; then
        echo "cli/target/corestub.jar or its lib/ is missing (run ./corestub --version to build it)" >&2
        return 1
    fi
    rm -rf "$dest"
    mkdir -p "$dest/cli/target"
    cp "$root/corestub" "$dest/"
    cp -r "$root/cli/target/corestub.jar" "$root/cli/target/lib" "$dest/cli/target/"
}
