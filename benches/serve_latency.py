#!/usr/bin/env python3
"""Save-to-reload latency of `gotong serve` (standard library only).

    python3 benches/serve_latency.py [--edits 20] [--binary target/release/gotong] SITE [SITE...]

For each site (e.g. made by benches/gen_catalogue.py) it starts
`gotong serve --port P --root SITE`, subscribes to the live-reload event
stream, then repeatedly edits one firm's profile (the summary, alternating
between two texts; each edit changes what the firm's pages show) and measures
the time from the moment the edited file is closed to the moment the
`reload` event arrives. It also times a full `gotong build` of the same site
into an empty folder, and prints a Markdown table: firms, pages, full build,
first serve build, and latency median / p90 / max over the edits.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def events(port):
    """A socket subscribed to the event stream, after the HTTP headers."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__gotong/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    s.settimeout(60)
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    return s, buf.split(b"\r\n\r\n", 1)[1]


def wait_event(sock, pending, name, timeout=60):
    deadline = time.monotonic() + timeout
    needle = ("event: " + name).encode()
    while needle not in pending:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("event stream closed")
        pending += chunk
    return pending.split(needle, 1)[1]


def firm_profile(site):
    firms = os.path.join(site, "content", "firms")
    slug = sorted(os.listdir(firms))[len(os.listdir(firms)) // 2]
    return slug, os.path.join(firms, slug, "profile.yaml")


def run(site, binary, edits):
    slug, profile = firm_profile(site)
    original = open(profile, encoding="utf-8").read()
    firms = len(os.listdir(os.path.join(site, "content", "firms")))

    out = tempfile.mkdtemp(prefix="gotong-latency-out.")
    shutil.rmtree(os.path.join(site, ".gotong-cache"), ignore_errors=True)
    t = time.monotonic()
    subprocess.run([binary, "build", "--root", site, "--output", out], check=True, stdout=subprocess.DEVNULL)
    full = time.monotonic() - t
    pages = sum(1 for d, _, fs in os.walk(out) for f in fs if f.endswith(".html"))
    shutil.rmtree(out)

    port = free_port()
    t = time.monotonic()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--root", site],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    first = time.monotonic() - t
    if not line.startswith("serving"):
        proc.kill()
        raise RuntimeError("serve did not start: " + line)
    latencies = []
    try:
        sock, pending = events(port)
        time.sleep(0.3)
        for i in range(edits):
            text = re.sub(r"^summary:.*$", f"summary: Ringkasan uji {i} untuk mengukur waktu muat ulang", original,
                          count=1, flags=re.M)
            with open(profile, "w", encoding="utf-8") as f:
                f.write(text)
            saved = time.monotonic()
            pending = wait_event(sock, pending, "reload")
            latencies.append(time.monotonic() - saved)
            time.sleep(0.15)  # let the watcher settle between edits
        sock.close()
    finally:
        with open(profile, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        proc.wait(timeout=10)
    latencies.sort()
    ms = lambda s: f"{s * 1000:.0f} ms"
    p90 = latencies[max(0, int(len(latencies) * 0.9) - 1)]
    return (f"| {firms} | {pages} | {full:.2f} s | {first:.2f} s | {ms(statistics.median(latencies))} | "
            f"{ms(p90)} | {ms(latencies[-1])} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sites", nargs="+")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--binary", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target",
                                                      "release", "gotong"))
    a = ap.parse_args()
    print("| firms | pages | full build | serve start | save→reload median | p90 | max |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for site in a.sites:
        print(run(site, a.binary, a.edits), flush=True)


if __name__ == "__main__":
    sys.exit(main())
