"""A CPU time budget for what a request may cost.

Every parameter of a link is the reader's (or an attacker's) choice, so nothing a link or a
callback can ask may cost more than about two seconds of CPU: a slower answer blocks a worker
(and every reader queued behind it) and, past the worker timeout, kills it. Slow work is
precomputed at build time or done by a compiled library; this module is the tripwire that
names whatever still slips through: :class:`Watch` measures the CPU a block of work spends and
logs a warning naming the work and its (shortened) query when it spends more than its budget.

The clock is the calling thread's CPU time (``time.thread_time``): under threaded workers the
process's time would also count the other requests served meanwhile. Wall time is not measured,
as it grows with the machine's load, not with what was asked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

#: CPU seconds a request may spend (tests/app/test_budget.py and tests/app/test_fuzz_cost.py).
BUDGET_S = 2.0
#: Characters of a query written to the log: the rest is the sender's and could flood it.
MAX_LOGGED = 200

log = logging.getLogger("atlas.budget")


@dataclass
class Spent:
    """What a watched block of work spent (filled in when the block ends)."""

    name: str
    query: str
    budget: float
    cpu: float = 0.0

    @property
    def over(self) -> bool:
        return self.cpu > self.budget


def shorten(text: object, limit: int = MAX_LOGGED) -> str:
    """``text`` as one printable line of at most ``limit`` characters (``…`` marks a cut):
    a query is attacker-controlled, so it can neither forge log lines nor fill the log."""
    line = "".join(c if c.isprintable() else "\ufffd" for c in str(text)[: limit + 1])
    return line if len(line) <= limit else line[: limit - 1] + "…"


class Watch:
    """Measures the CPU spent from its creation to :meth:`stop` (or the end of a ``with``
    block); on stopping, logs the time spent at debug level (tests and profiling read it there)
    and a warning when it is over ``budget`` seconds. ``name`` and ``query`` may be set while
    the work runs, when they are known only then; both are shortened when logged."""

    def __init__(
        self,
        name: str,
        query: object = "",
        budget: float = BUDGET_S,
        clock: Callable[[], float] = time.thread_time,
    ):
        self.spent = Spent(name, "", budget)
        self.query = query
        self._clock = clock
        self._start = clock()

    def stop(self) -> Spent:
        spent = self.spent
        spent.cpu = self._clock() - self._start
        spent.name, spent.query = shorten(spent.name, 100), shorten(self.query)
        log.debug("cpu %s %.4f s %s", spent.name, spent.cpu, spent.query)
        if spent.over:
            log.warning(
                "over budget: %s spent %.2f s of CPU (budget %.1f s) for %s",
                spent.name,
                spent.cpu,
                spent.budget,
                spent.query,
            )
        return spent

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
