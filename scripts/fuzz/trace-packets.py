#!/usr/bin/env python3
"""Extracts the packets clients sent in the reference RSP traces: the seeds of the packet fuzz tests.

Usage: scripts/fuzz/trace-packets.py [TRACE_DIR] > rsp-server/src/test/resources/io/coredumptools/rsp/fuzz/client-packets.txt

gdb logs ('set remotelogfile') show what gdb wrote as 'w $payload#cs'; lldb's 'log enable gdb-remote packets'
as 'send packet: $payload#cs'. Payloads the traces cut ('...[') or show with escapes ('\\xNN') are left out.
"""
import glob
import os
import re
import sys

trace_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference/rsp-traces"
packets = set()
for path in sorted(glob.glob(os.path.join(trace_dir, "*.log"))):
    with open(path, encoding="latin-1") as log:
        for line in log:
            m = re.match(r"^w (\$.*#[0-9a-f]{2})\s*$", line) or re.search(r"send packet: (\$.*#[0-9a-f]{2})\s*$", line)
            if m:
                payload = m.group(1)[1:-3]
                if "...[" not in payload and "\\x" not in payload:
                    packets.add(payload)
print("# Payloads gdb, gdb/MI and lldb sent in the reference traces (shared/reference/rsp-traces/*.log), one a line;")
print("# extracted by scripts/fuzz/trace-packets.py. Seeds of the packet fuzz tests and of scripts/fuzz/socket-fuzz.")
for payload in sorted(packets):
    print(payload)
