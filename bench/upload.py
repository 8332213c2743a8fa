"""CPU time of what an upload costs the server for Brazil's 5,564 municipalities (issue 12, and
the guide's "nothing a request can ask costs more than about 2 s of CPU"): a national CSV read and
validated, and its preview maps beside the official layer (:mod:`atlas.upload_preview`), on a
store opened afresh (its first view and display geometry read included) and again.

    python -m bench.upload

CPU time of this process (``time.process_time``). Prints a Markdown table and writes it to
bench/out/upload.md. Needs the built store (``ATLAS_STORE_DIR``).
"""

from __future__ import annotations

import time

import numpy as np

from atlas import render
from atlas.catalog import catalog
from atlas.contrib import read_upload
from atlas.contrib.mapping import Mapping
from atlas.contrib.validation import validate
from atlas.settings import settings
from atlas.store import Store
from atlas.upload_preview import preview
from bench import write_table

MAPPING = Mapping(code=("code",), year="year", value="value")


def _cpu(f):
    started = time.process_time()
    out = f()
    return out, time.process_time() - started


def main() -> None:
    store = Store(settings().store_dir)
    render.shapes.cache_clear()
    vals = store.values("infant_mortality", 2010, "BRA", "municipality")
    text = "code;year;value\n" + "".join(
        f"{u[3:]};2010;{round(float(v), 2)}\n"
        for u, v in zip(vals.layer.unit_ids, vals.value, strict=True)
        if np.isfinite(v)
    )
    fresh = Store(settings().store_dir)
    report, read_s = _cpu(
        lambda: validate(
            read_upload(text.encode(), "brasil.csv"), MAPPING, "BRA", "infant_mortality", fresh
        )
    )
    cat = catalog()
    first, first_s = _cpu(lambda: preview(fresh, cat, report, "es"))
    _, again_s = _cpu(lambda: preview(fresh, cat, report, "es"))
    rows = [
        f"| Brazil, {report.ok_rows} rows: read and validated | {read_s:.2f} s CPU | <= 2 s |",
        f"| preview maps, fresh store ({first.covered} units) | {first_s:.2f} s CPU | <= 2 s |",
        f"| preview maps again | {again_s:.2f} s CPU | <= 2 s |",
    ]
    print(write_table("upload", rows))


if __name__ == "__main__":
    main()
