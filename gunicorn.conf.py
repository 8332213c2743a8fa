"""gunicorn's settings for the atlas (``Procfile``: ``gunicorn -c gunicorn.conf.py``).

Why each value (measured in tests/serving, figures in README "Serving"):

- ``gthread`` workers, 12 threads each: a worker's main thread waits for a connection's first
  bytes in a poller and hands it to a thread only then; a client that trickles its headers holds
  one thread until it finishes. The ``sync`` workers of the old Procfile were held by each slow
  client (two blocked the site: a GET timed out). Connections are not spread evenly (the worker
  that wakes first takes them), so the sure budget is one worker's threads: 11 slow clients
  leave a GET under 1 s whatever the spread (tests/serving). ``python -m bench.serving``: 2, 11
  and 16 slow clients left /healthz at 3-12 ms; 24 blocked it in one run and not in another.
  ``gevent`` held 64 slow clients at 3 ms, but a worker runs one request at a time: beside two
  loops of PNG exports, /healthz took 77 ms (median, 172 ms max) against 5-6 ms (max 17-46 ms)
  with gthread, whose threads share the CPU. The atlas's cost is CPU, so gthread; many slow
  clients at once are a front's job: a buffering reverse proxy (nginx, Caddy) in production.
- Limits on the request line and headers: gunicorn's defaults, which the atlas's longest links
  are built to fit (a tour's encoded slides stop at 3,000 characters, atlas/tour.py); a longer
  line gets 414, more or larger headers 431 (fewer fields than the default 100: a browser
  sends about 15).
- ``timeout``: a worker whose main loop stalls this long is killed and replaced. With threads
  the main loop keeps beating while a request runs, so, unlike the sync workers' 60 s, it does
  not cut a long request short: what a request may cost is the app's to bound (its time
  budgets, issue 11), not this. ``graceful_timeout``: a restart lets requests finish for 20 s.
- ``keepalive``: an idle kept-alive connection waits in the poller (no thread) for 5 s.
- The body limit is Flask's ``MAX_CONTENT_LENGTH`` (app.py), checked against Content-Length
  before anything is read: gunicorn has no such setting.
- The access log truncates what a client chooses (request line, referrer, user agent) so no
  attacker-controlled string longer than :data:`LOG_FIELD` characters reaches the log; the error
  log gets the same cap through a filter (callbacks/guard.py).
"""

from __future__ import annotations

import os

from callbacks.guard import LOG_FIELD, install_log_truncation

wsgi_app = "app:server"
bind = [f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 12
# The store is loaded once in the master and shared by the forked workers (copy-on-write); a
# missing or stale store stops gunicorn itself with one line (app.py).
preload_app = True

timeout = 30
graceful_timeout = 20
keepalive = 5

limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

accesslog = "-"
access_log_format = (
    f'%(h)s %(t)s "%(r).{LOG_FIELD}s" %(s)s %(b)s %(M)sms "%(f).{LOG_FIELD}s" "%(a).{LOG_FIELD}s"'
)
errorlog = "-"
# gunicornc's control socket (one path per user: two instances would fight over it) is unused.
control_socket_disable = True
loglevel = "info"


def on_starting(server) -> None:
    """Cap gunicorn's own messages (e.g. an invalid request line it quotes) as the access log."""
    install_log_truncation("gunicorn.error", "gunicorn.access")
