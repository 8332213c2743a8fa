"""Load test: a room of readers replaying a real browser session against gunicorn.

    python -m bench.load --users 50 --duration 60            # the Procfile's gunicorn
    python -m bench.load --users 50 --duration 60 --no-cache # every answer computed anew

1. Serves the store (ATLAS_STORE_DIR) with gunicorn as the Procfile does (gunicorn.conf.py),
   ``--workers`` workers, on a free loopback port (bench/serving.py).
2. Records a reader's session in headless Chromium (bench/session.py): the atlas opened on
   Brazil's municipalities, another indicator, another year, a municipality found by name, the
   table tab; every request the page made, page, scripts, geometry, layout and callbacks.
3. Locust (headless, as a library) starts ``--users`` readers, each replaying the session with a
   pause of 2-5 s between interactions (a workshop clicking along), again and again.

Reports requests/s, sessions/s, median and p95 response times, failures, the server's CPU time per
request (gunicorn's processes, from /proc) and each worker's PSS at the end; writes
bench/out/load.json. Speed targets are read off this, never asserted in tests.
"""

from gevent import monkey

monkey.patch_all()  # locust's users are gevent greenlets: patch before anything opens a socket

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import runpy  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import psutil  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402

from atlas.settings import settings  # noqa: E402
from bench import OUT  # noqa: E402
from bench.serving import start_gunicorn, stop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
THINK = (2.0, 5.0)


def cpu_seconds(master: psutil.Process) -> float:
    procs = [master, *master.children(recursive=True)]
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def steps_of(session: list[dict]) -> list[list[dict]]:
    """The session's requests grouped by interaction, in order."""
    steps: list[list[dict]] = []
    for r in session:
        if not steps or steps[-1][0]["step"] != r["step"]:
            steps.append([])
        steps[-1].append(r)
    return steps


#: gunicorn's keep-alive (gunicorn.conf.py): how long it keeps an idle connection open.
KEEPALIVE = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["keepalive"]


def run(users: int, duration: int, workers: int, cache: bool) -> dict:
    env = {"ATLAS_CACHE_SIZE": "0", "ATLAS_CACHE_URL": ""} if not cache else {}
    OUT.mkdir(parents=True, exist_ok=True)
    server, base = start_gunicorn(
        settings().store_dir, OUT / "load-gunicorn.log", f"--workers {workers}", env=env
    )
    try:
        session_file = OUT / "session.json"
        subprocess.run(
            [sys.executable, "-m", "bench.session", "--url", base + "/", "--out", session_file],
            cwd=ROOT,
            check=True,
        )
        steps = steps_of(json.loads(session_file.read_text()))
        n_requests = sum(len(s) for s in steps)
        done = {"sessions": 0}

        class Reader(HttpUser):
            host = base
            wait_time = between(0, 0)

            @task
            def session(self):
                for k, step in enumerate(steps):
                    if k:
                        pause = random.uniform(*THINK)
                        gevent.sleep(pause)
                        if pause > KEEPALIVE - 1:
                            # the server may close this reader's idle connections as the next
                            # request goes out on one (a reset): Chromium sends such a request
                            # again on a new connection, python's client reports a failure
                            # instead. Like a browser that had to, start afresh.
                            self.client.close()
                    for r in step:
                        name = r["path"].split("?")[0]
                        if name.startswith("/geo/") or name.startswith("/vendor/"):
                            name = name.rsplit("/", 1)[0] + "/*"
                        if r["method"] == "POST":
                            body = r["body"].encode()
                            headers = {"Content-Type": "application/json"}
                            try:
                                output = json.loads(r["body"]).get("output", "")
                            except ValueError:
                                output = ""
                            self.client.post(
                                r["path"],
                                data=body,
                                headers=headers,
                                name=f"callback {output[:40]}",
                            )
                        else:
                            self.client.get(r["path"], name=name)
                done["sessions"] += 1

        env_ = Environment(user_classes=[Reader], events=events)
        runner = env_.create_local_runner()
        master = psutil.Process(server.pid)
        runner.start(users, spawn_rate=min(users, 10))
        gevent.sleep(min(10, duration // 4))  # everyone started and warmed up
        env_.stats.reset_all()
        done["sessions"] = 0
        cpu0, t0 = cpu_seconds(master), time.time()
        gevent.sleep(duration)
        cpu1, t1 = cpu_seconds(master), time.time()
        stats = env_.stats.total
        result = {
            "users": users,
            "workers": workers,
            "cache": cache,
            "duration_s": round(t1 - t0, 1),
            "requests": stats.num_requests,
            "failures": stats.num_failures,
            # what failed, as locust saw it (a connection reset, a timeout, a status)
            "errors": [
                (e.method, e.name, str(e.error)[:200], e.occurrences)
                for e in env_.stats.errors.values()
            ],
            "requests_per_s": round(stats.num_requests / (t1 - t0), 1),
            "sessions_per_s": round(done["sessions"] / (t1 - t0), 2),
            "session_requests": n_requests,
            "median_ms": stats.get_response_time_percentile(0.5),
            "p95_ms": stats.get_response_time_percentile(0.95),
            "p99_ms": stats.get_response_time_percentile(0.99),
            "cpu_ms_per_request": round(1000 * (cpu1 - cpu0) / max(1, stats.num_requests), 2),
            "cpu_cores_busy": round((cpu1 - cpu0) / (t1 - t0), 2),
            "pss_mb_per_worker": [
                round(p.memory_full_info().pss / 2**20, 1) for p in master.children()
            ],
            "slowest": sorted(
                (
                    (s.name, s.get_response_time_percentile(0.95), s.num_requests)
                    for s in env_.stats.entries.values()
                ),
                key=lambda x: -x[1],
            )[:5],
        }
        runner.quit()
        return result
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds measured")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-cache", action="store_true", help="ATLAS_CACHE_SIZE=0")
    args = parser.parse_args()
    result = run(args.users, args.duration, args.workers, not args.no_cache)
    OUT.mkdir(parents=True, exist_ok=True)
    name = "load-nocache.json" if args.no_cache else "load.json"
    (OUT / name).write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
