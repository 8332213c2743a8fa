"""gunicorn as the Procfile runs it (gunicorn.conf.py) under slow clients and heavy requests.

    python -m bench.serving [--worker-class gthread|gevent|sync] [--threads N] [--slow 2,11,16,24]

Against the store of ``ATLAS_STORE_DIR``, on a free loopback port: for each count of slow-header
clients (each sends its request head a byte a second and never finishes it), the time a GET of
/healthz takes beside them (or "blocked" past 5 s), in two runs (connections are not spread
evenly over the workers, so a count between one worker's threads and all the workers' threads
passes in some runs only); then the time /healthz takes beside two clients asking for PNG
exports in a loop (1.2 s of CPU each on Brazil, none answered from the renderer's cache): what a worker class does to short requests when
the CPU is busy. ``gevent`` must be installed for that class (it is not a dependency). Prints a
Markdown table and writes it to bench/out/serving-<class>.md. tests/serving uses the same
helpers.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from bench import write_table

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    store_dir: Path,
    log: Path,
    extra_args: str = "",
    startup: float = 90.0,
    env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen, str]:
    """gunicorn with gunicorn.conf.py on a free loopback port (``extra_args`` as
    ``GUNICORN_CMD_ARGS``, ``env`` added to the environment: ATLAS_* settings); returns the
    process and its base URL once /healthz answers."""
    port = free_port()
    env = {**os.environ, **(env or {}), "ATLAS_STORE_DIR": str(store_dir), "HOST": "127.0.0.1"}
    env.update(PORT=str(port), GUNICORN_CMD_ARGS=extra_args)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop(proc)
                raise RuntimeError("gunicorn did not start:\n" + log.read_text()[-3000:]) from None
            time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Slowloris(threading.Thread):
    """A client that opens a request and sends its head a byte every ``pause`` seconds, never
    finishing it, until stopped."""

    def __init__(self, port: int, pause: float = 1.0):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.pause = pause
        self.halt = threading.Event()
        self.sent = 0

    def run(self) -> None:
        head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
        for byte in head:
            if self.halt.is_set():
                break
            try:
                self.sock.send(bytes([byte]))
            except OSError:
                break
            self.sent += 1
            self.halt.wait(self.pause)
        self.sock.close()


class SlowClients:
    """``count`` :class:`Slowloris` clients, each accepted and a few bytes into its head."""

    def __init__(self, port: int, count: int):
        self.clients = [Slowloris(port) for _ in range(count)]

    def __enter__(self) -> SlowClients:
        for c in self.clients:
            c.start()
        deadline = time.monotonic() + 10
        while min(c.sent for c in self.clients) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        if min(c.sent for c in self.clients) < 3:
            raise RuntimeError("the slow clients could not send their first bytes")
        return self

    def __exit__(self, *exc) -> None:
        for c in self.clients:
            c.halt.set()
        for c in self.clients:
            c.join(timeout=5)


def timed_get(url: str, timeout: float = 10.0) -> tuple[int, float]:
    """(status, seconds) of a GET of ``url``."""
    t0 = time.monotonic()
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        resp.read()
        return resp.status, time.monotonic() - t0


#: 192 views taken in turn, three times the renderer's cache (64): every export is drawn.
EXPORT_VIEWS = [
    f"y={y}&k={k}&n={n}&p={p}"
    for y in (1991, 2000, 2010)
    for k in ("quantiles", "equal_interval")
    for n in range(2, 10)
    for p in ("auto", "OrRd", "PuBu", "YlGnBu")
]


def beside_exports(base: str, samples: int = 20) -> tuple[float, float]:
    """Median and longest ms of /healthz while two clients ask for PNG exports in a loop."""
    halt = threading.Event()

    def export(i: int) -> None:
        n = i * len(EXPORT_VIEWS) // 2
        while not halt.is_set():
            n += 1
            query = EXPORT_VIEWS[n % len(EXPORT_VIEWS)]
            urllib.request.urlopen(
                f"{base}/export/view.png?c=BRA&i=illiteracy&{query}", timeout=120
            ).read()

    loops = [threading.Thread(target=export, args=(i,), daemon=True) for i in range(2)]
    for t in loops:
        t.start()
    time.sleep(2)
    ms = []
    for _ in range(samples):
        ms.append(timed_get(base + "/healthz", timeout=60)[1] * 1000)
        time.sleep(0.2)
    halt.set()
    for t in loops:
        t.join(timeout=120)
    return statistics.median(ms), max(ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--slow", default="2,11,16,24")
    # gunicorn runs gthread whenever threads > 1: the sync workers need --threads 1
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    store = Path(os.environ.get("ATLAS_STORE_DIR", ROOT / "store")).resolve()
    kind = args.worker_class
    log = ROOT / "bench" / "out" / f"serving-{kind}.log"
    log.parent.mkdir(exist_ok=True)
    threads = f" --threads {args.threads}" if args.threads else ""
    proc, base = start_gunicorn(store, log, f"--worker-class {kind}{threads}")
    port = int(base.rsplit(":", 1)[1])
    rows = []
    try:
        for count in (int(n) for n in args.slow.split(",")):
            runs = []
            for _ in range(2):
                with SlowClients(port, count):
                    try:
                        runs.append(f"{timed_get(base + '/healthz', timeout=5)[1] * 1000:.0f} ms")
                    except OSError:
                        runs.append("blocked")
            rows.append(
                f"| GET /healthz beside {count} slow clients ({kind}) | {', '.join(runs)} | < 1 s |"
            )
        median, longest = beside_exports(base)
        rows.append(
            f"| GET /healthz beside 2 PNG export loops ({kind}) | median {median:.0f} ms, "
            f"max {longest:.0f} ms | |"
        )
    finally:
        stop(proc)
    print(write_table(f"serving-{kind}", rows))


if __name__ == "__main__":
    main()
