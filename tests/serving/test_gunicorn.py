"""The atlas under gunicorn as the Procfile serves it (gunicorn.conf.py), on a free loopback port
against the tiny store: slow clients do not hold the workers, a body over the limit is refused
unread, and no client-chosen string longer than :data:`callbacks.guard.LOG_FIELD` characters
reaches the logs."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from callbacks.guard import LOG_FIELD, MAX_BODY

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tiny_store_dir, tmp_path_factory):
    """gunicorn with the project's configuration; yields (base URL, path of its log)."""
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {**os.environ, "ATLAS_STORE_DIR": str(tiny_store_dir), "HOST": "127.0.0.1"}
    env["PORT"] = str(port)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + log.read_text()[-3000:])
                time.sleep(0.3)
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _port(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


class Slowloris(threading.Thread):
    """A client that opens a request and sends its headers a byte every ``pause`` seconds,
    never finishing them, until stopped."""

    def __init__(self, port: int, pause: float = 1.0):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.pause = pause
        self.stop = threading.Event()
        self.sent = 0

    def run(self) -> None:
        head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
        for byte in head:
            if self.stop.is_set():
                break
            try:
                self.sock.send(bytes([byte]))
            except OSError:
                break
            self.sent += 1
            self.stop.wait(self.pause)
        self.sock.close()


def _timed_get(url: str) -> tuple[int, float]:
    t0 = time.monotonic()
    with urllib.request.urlopen(url, timeout=10) as resp:
        resp.read()
        return resp.status, time.monotonic() - t0


@pytest.mark.parametrize("clients", [2, 11])
def test_srv001_slow_header_clients_do_not_delay_a_normal_request(served, clients):
    base, _ = served
    slow = [Slowloris(_port(base)) for _ in range(clients)]
    for s in slow:
        s.start()
    try:
        # every slow client has been accepted and is half-way into its headers
        deadline = time.monotonic() + 10
        while min(s.sent for s in slow) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert min(s.sent for s in slow) >= 3
        for path in ("/healthz", "/_dash-dependencies", "/healthz"):
            status, seconds = _timed_get(base + path)
            assert status == 200
            assert seconds < 1.0, f"{path} took {seconds:.2f} s beside {clients} slow clients"
    finally:
        for s in slow:
            s.stop.set()
        for s in slow:
            s.join(timeout=5)


def _raw_request(port: int, head: bytes, body: bytes = b"") -> bytes:
    """Send ``head`` (and the start of a body), return what the server answers first."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def test_srv002_a_body_over_the_limit_is_refused_before_it_is_read(served):
    base, _ = served
    announced = 200 * 1024 * 1024
    head = (
        "POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {announced}\r\n\r\n"
    ).encode()
    # 64 kB of the 200 MB announced: the answer comes without the rest ever being sent
    answer = _raw_request(_port(base), head, b"[" * 65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_srv003_a_body_under_the_limit_reaches_the_app(served):
    base, _ = served
    body = json.dumps({"output": "nope.children", "pad": "x" * (MAX_BODY // 2)}).encode()
    req = urllib.request.Request(
        base + "/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 400  # read and refused by the callback guard, not by size


def _log_lines(log: Path, marker: str, timeout: float = 10.0) -> list[str]:
    """The log's lines once one contains ``marker`` (gunicorn writes a line per request)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = log.read_text(errors="replace").splitlines()
        if any(marker in line for line in lines) or time.monotonic() > deadline:
            return lines


def test_srv004_no_client_string_longer_than_the_cap_reaches_the_log(served):
    base, log = served
    port = _port(base)
    long = "Z" * 1500
    # a long path and query (under gunicorn's line limit), referrer and user agent
    head = (
        f"GET /{long}?q={long} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {long}\r\n"
        f"Referer: http://x/{long}\r\nConnection: close\r\n\r\n"
    )
    assert _raw_request(port, head.encode()).startswith(b"HTTP/1.1 ")
    # a request line over gunicorn's limit, which its error log quotes
    over = f"GET /{'Y' * 5000} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    assert _raw_request(port, over.encode()).startswith(b"HTTP/1.1 4")
    # a malformed line gunicorn quotes in its error log
    bad = f"GET /{'W' * 3000} HTTP/9.9{'W' * 1000}\r\nHost: x\r\n\r\n"
    _raw_request(port, bad.encode())
    # a malformed callback body
    req = urllib.request.Request(
        base + "/_dash-update-component",
        data=b"[" * 1000 + b"]" * 1000,
        headers={"Content-Type": "application/json", "User-Agent": "srv004-" + long},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 400
    lines = _log_lines(log, '"srv004-ZZZ')
    assert sum("ZZZ" in line for line in lines) >= 2  # the requests were logged...
    too_long = re.compile(r"([ZYW])\1{" + str(LOG_FIELD) + ",}")
    runs = [m.group(0) for line in lines for m in too_long.finditer(line)]
    assert runs == []  # ...each client string cut to the cap
    assert not any("Traceback" in line for line in lines)
