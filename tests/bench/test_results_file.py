"""bench/RESULTS.md is part generated, part written by hand: a benchmark's run replaces only
its own parts."""

from __future__ import annotations

from bench.measure import END, update_results

HAND = """<!-- bench.measure: written by `python -m bench.measure` down to its closing mark -->
# Benchmark results

| old table |
<!-- /bench.measure -->

A note by hand on the table.

## Issue 11 (by hand)

The reader's wait.

## Build and start-up

old build figures

## Peers across borders (bench/peers.py)

by hand
"""


def test_bch001_a_run_replaces_its_block_and_sections_and_keeps_the_notes():
    text = update_results(
        HAND,
        "# Benchmark results\n\n| new table |",
        {"## Build and start-up": "new build figures", "## Compare page (bench/compare.py)": "c"},
    )
    assert "| new table |" in text and "| old table |" not in text
    assert text.count(END) == 1 and text.index("| new table |") < text.index(END)
    for kept in ("A note by hand on the table.", "The reader's wait.", "by hand\n"):
        assert kept in text
    assert "new build figures" in text and "old build figures" not in text
    assert text.index("new build figures") < text.index("## Peers across borders")
    assert text.rstrip().endswith("## Compare page (bench/compare.py)\n\nc")
    # run again: the same file
    again = update_results(
        text,
        "# Benchmark results\n\n| new table |",
        {"## Build and start-up": "new build figures", "## Compare page (bench/compare.py)": "c"},
    )
    assert again == text


def test_bch002_a_file_without_marks_gets_the_block_on_top():
    text = update_results("## Notes\n\nkept\n", "# Benchmark results", {})
    assert text.startswith("<!-- bench.measure") and text.endswith("## Notes\n\nkept\n")
