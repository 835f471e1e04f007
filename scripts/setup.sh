#!/usr/bin/env bash
# setup.sh - installs the Debian/Ubuntu packages coredump-tools needs, when they are missing:
# the C toolchain and gdb for the test fixtures, glibc's debug symbols, Unicorn and Capstone for the emulator,
# lldb for the lldb tests, debuginfod (server and debuginfod-find) with unshare and ip for the storage tests, which
# run it inside a private network namespace, python3 as a test subject, node and npm with the npm package
# cdt-gdb-adapter for the IDE test, and the small tools the scripts and tests use. Idempotent: when everything is present it only
# checks (with dpkg-query) and exits. Needs root or sudo only when something is missing.
#
# JDK 17 and Maven are expected to be there already; they are installed too when `java` or `mvn` is missing.
set -euo pipefail

# python3: Debian's own interpreter is a differential test subject (a program nobody here wrote); bsdutils: `script`,
# which gives live ground-truth gdb runs a terminal.
packages=(gcc libc6-dev gdb gdbserver libc6-dbg binutils libunicorn2 libcapstone4 lldb-16 procps file
    debuginfod iproute2 util-linux python3 bsdutils)

say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian and Ubuntu only"

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
# node and npm run the IDE test's debug adapter; by command, since a nodesource nodejs carries npm itself.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

# cdt-gdb-adapter (npm): the Debug Adapter Protocol adapter over gdb/MI that Eclipse CDT and Theia use, for the IDE
# acceptance test (integration's CdtGdbAdapterTest finds it here). Its native serial/pty addons are not needed.
dap_dir="${CDT_GDB_ADAPTER_HOME:-$HOME/.cache/coredump-tools/cdt-gdb-adapter-1.7.0}"
install_dap_adapter() {
    if [[ -f "$dap_dir/node_modules/cdt-gdb-adapter/dist/debugTargetAdapter.js" ]]; then
        say "cdt-gdb-adapter 1.7.0 present in $dap_dir"
        return
    fi
    say "installing cdt-gdb-adapter 1.7.0 (npm) into $dap_dir"
    mkdir -p "$dap_dir"
    npm install --prefix "$dap_dir" --no-audit --no-fund --ignore-scripts cdt-gdb-adapter@1.7.0 \
        || die "npm install cdt-gdb-adapter@1.7.0 into $dap_dir failed"
}

if ((${#missing[@]} == 0)); then
    say "all ${#packages[@]} packages present (${packages[*]})"
    install_dap_adapter
    exit 0
fi

if ((EUID == 0)); then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
elif command -v sudo >/dev/null 2>&1 && [[ -t 0 ]]; then
    as_root=(sudo)   # will ask for the password
else
    die "missing packages: ${missing[*]}; installing them needs root or sudo, and neither is available." \
        "Run as root, or install them by hand: apt-get install ${missing[*]}"
fi

export DEBIAN_FRONTEND=noninteractive
say "missing: ${missing[*]}"
say "running apt-get update"
"${as_root[@]}" apt-get update -q || die "apt-get update failed"

# Not every release has every name; say which ones this one lacks instead of letting apt-get fail on the first.
unavailable=()
for p in "${missing[@]}"; do
    # A package known to apt has a candidate version; "(none)" or nothing means it cannot be installed.
    candidate=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [[ -n "$candidate" && "$candidate" != "(none)" ]] || unavailable+=("$p")
done
if ((${#unavailable[@]} > 0)); then
    die "not available from this machine's apt sources: ${unavailable[*]}" \
        "(the project targets Debian 12 'bookworm'; see README.md)"
fi

say "installing: ${missing[*]}"
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" || die "apt-get install failed"

still=()
for p in "${packages[@]}"; do
    installed "$p" || still+=("$p")
done
((${#still[@]} == 0)) || die "still missing after apt-get install: ${still[*]}"
install_dap_adapter
say "done"
