"""Reproducible benchmarks; results in bench/RESULTS.md."""

from __future__ import annotations

import platform
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"


def write_table(name: str, rows: list[str], header: str = "| measure | value | target |") -> str:
    """A results table (``rows`` are markdown rows) with the machine it was measured on, written
    to ``bench/out/<name>.md`` for bench.measure to gather into RESULTS.md; returns its text."""
    table = "\n".join(
        [
            header,
            "|---|---|---|",
            *rows,
            "",
            f"Machine: {platform.machine()}, Python {platform.python_version()}, "
            f"{time.strftime('%Y-%m-%d')}.",
        ]
    )
    OUT.mkdir(exist_ok=True)
    (OUT / f"{name}.md").write_text(table + "\n")
    return table
