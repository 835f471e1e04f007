"""What scripts/fuzz/socket-fuzz and scripts/fuzz/soak share: the fixture core, a `corestub serve` child on
loopback, and the figures of its process (RSS, threads, fds, Java heap after a full GC)."""
import glob
import os
import re
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_JAR = os.path.join(ROOT, "cli/target/corestub.jar")


def default_core():
    """The DEMO_PIE fixture core and its executable, as any test run leaves them under target/fixtures."""
    cores = sorted(glob.glob(os.path.join(ROOT, "target/fixtures/demo_pie-*/core")))
    if not cores:
        sys.exit("no --core given and no DEMO_PIE fixture core under target/fixtures: run any elfcore test first")
    return cores[0], os.path.join(os.path.dirname(cores[0]), "demo")


class Serve:
    """`corestub serve` on 127.0.0.1, a free port; its output is kept (the first 10,000 lines)."""

    def __init__(self, jar, core, options):
        if not os.path.exists(jar):
            sys.exit(f"{jar} is missing: ./corestub --version builds it")
        # The JVM options ./corestub gives `serve` (see the launcher): with java's defaults (G1, a heap up to a quarter
        # of RAM) the heap the JVM commits under load stays resident and reads as growth of the server.
        jvm = ["-XX:+UseSerialGC", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
               "-Xms8m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30"]
        args = ["java", *jvm, "-jar", jar, "serve", "--listen", "127.0.0.1:0", *options, core]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.port = None
        for line in self.proc.stdout:
            self.lines.append(line)
            m = re.match(r"corestub: listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            sys.exit("corestub serve did not start:\n" + "".join(self.lines))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            if len(self.lines) < 10000:
                self.lines.append(line)

    def alive(self):
        return self.proc.poll() is None

    def resources(self):
        """RSS (MB), threads and open fds of the server, from /proc."""
        out = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    out["rss_mb"] = int(line.split()[1]) // 1024
                elif line.startswith("Threads:"):
                    out["threads"] = int(line.split()[1])
        out["fds"] = len(os.listdir(f"/proc/{self.proc.pid}/fd"))
        return out

    def heap_after_gc_mb(self):
        """The Java heap in use after a full GC (jcmd), or None without jcmd: RSS alone cannot tell a leak from
        a heap the JVM keeps after growing it."""
        try:
            subprocess.run(["jcmd", str(self.proc.pid), "GC.run"], capture_output=True, timeout=60)
            info = subprocess.run(["jcmd", str(self.proc.pid), "GC.heap_info"], capture_output=True, text=True,
                                  timeout=60).stdout
        except (OSError, subprocess.TimeoutExpired):
            return None
        m = re.search(r"used (\d+)K", info)
        return int(m.group(1)) // 1024 if m else None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
