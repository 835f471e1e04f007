#!/usr/bin/env python3
"""raw-x-read.py - reads memory with lldb's binary `x` packets over a plain socket, as fast as a client can.

Usage: raw-x-read.py PORT ADDRESS BYTES CHUNK [--continue] [--expect FILE] [--server-pid PID]

Connects to a GDB remote server on 127.0.0.1:PORT, turns acks off, optionally resumes the process (`c`, for
lldb-server on a live process stopped at its entry) until it stops, then reads BYTES bytes from ADDRESS with
`xADDR,CHUNK` packets, one at a time. Only sending and receiving are timed; the replies are unescaped and
compared with FILE afterwards. Prints one line: `RAW bytes=N ns=T mbps=R server_ns=C ok=yes|no`, C the CPU time
of every thread of process PID over the reads (scripts/bench-gdb.sh).
"""
import os
import socket
import sys
import time


def checksum(payload):
    return b"%02x" % (sum(payload) & 0xFF)


def packet(payload):
    return b"$" + payload + b"#" + checksum(payload)


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), 60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = bytearray()

    def receive(self):
        """The payload of the next packet (raw, still escaped); skips acks."""
        while True:
            start = self.buffer.find(b"$")
            if start >= 0:
                # '#' is always escaped inside a payload, so the first one ends it.
                end = self.buffer.find(b"#", start)
                if end >= 0 and len(self.buffer) >= end + 3:
                    payload = bytes(self.buffer[start + 1 : end])
                    del self.buffer[: end + 3]
                    return payload
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("the server closed the connection")
            self.buffer += chunk

    def ask(self, payload):
        self.sock.sendall(packet(payload))
        return self.receive()


def cpu_ns(pid):
    """On-CPU time of every thread of process pid (schedstat: nanoseconds); 0 without a pid."""
    total = 0
    if pid:
        for task in os.listdir("/proc/%s/task" % pid):
            try:
                with open("/proc/%s/task/%s/schedstat" % (pid, task)) as f:
                    total += int(f.read().split()[0])
            except OSError:
                pass
    return total


def unescape(payload):
    parts = payload.split(b"}")
    out = bytearray(parts[0])
    for part in parts[1:]:
        out.append(part[0] ^ 0x20)
        out += part[1:]
    return bytes(out)


def main():
    port, address, total, chunk = int(sys.argv[1]), int(sys.argv[2], 0), int(sys.argv[3]), int(sys.argv[4])
    resume = "--continue" in sys.argv
    expect = sys.argv[sys.argv.index("--expect") + 1] if "--expect" in sys.argv else None
    server_pid = sys.argv[sys.argv.index("--server-pid") + 1] if "--server-pid" in sys.argv else None
    c = Connection(port)
    c.sock.sendall(packet(b"QStartNoAckMode"))
    reply = c.receive()
    c.sock.sendall(b"+")
    if reply != b"OK":
        raise SystemExit("QStartNoAckMode: %r" % reply)
    if resume:
        stop = c.ask(b"c")
        while stop.startswith(b"O") and stop != b"OK":  # the inferior's output
            stop = c.receive()
        if not stop.startswith((b"T", b"S")):
            raise SystemExit("c: %r" % stop[:80])
    replies = []
    read = 0
    server = cpu_ns(server_pid)
    start = time.perf_counter_ns()
    while read < total:
        want = min(chunk, total - read)
        c.sock.sendall(packet(b"x%x,%x" % (address + read, want)))
        payload = c.receive()
        replies.append(payload)
        # Unescaped size without unescaping: each "}" stands for one byte with the next.
        got = len(payload) - payload.count(b"}")
        if got == 0 or payload.startswith(b"E") and got <= 3:
            raise SystemExit("x at %#x: %r" % (address + read, payload[:20]))
        read += got
    elapsed = time.perf_counter_ns() - start
    server = cpu_ns(server_pid) - server
    data = b"".join(unescape(p) for p in replies)
    ok = "-"
    if expect:
        with open(expect, "rb") as f:
            ok = "yes" if f.read(total) == data[:total] else "no"
    print("RAW bytes=%d ns=%d mbps=%.1f server_ns=%d ok=%s" % (read, elapsed, read / (elapsed / 1e9) / 1e6, server, ok))


if __name__ == "__main__":
    main()
