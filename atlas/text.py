"""Small text helpers shared by the build and the app: name folding for accent- and
case-insensitive search, year ranges."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """'Bogotá, D.C.' -> 'BOGOTA D C': no accents, upper case, punctuation as single spaces."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^0-9A-Za-z]+", " ", s).strip().upper()


def year_ranges(years, min_run: int = 2, dash: str = "–") -> str:
    """``(1997, 1998, 1999, 2005)`` -> ``"1997–1999, 2005"``: runs of at least ``min_run``
    consecutive years as a range, other years one by one."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    out: list[str] = []
    for a, b in runs:
        if b - a + 1 >= max(2, min_run):
            out.append(f"{a}{dash}{b}")
        else:
            out.extend(str(y) for y in range(a, b + 1))
    return ", ".join(out)


def attribution(producer: str, dataset: str) -> str:
    """The reader-facing source line: the producer's short name and the dataset's title.

    ``"CONEVAL — Consejo Nacional de Evaluación ..."`` and ``"Medición de la pobreza municipal
    2010–2020"`` -> ``"CONEVAL, Medición de la pobreza municipal 2010–2020"``: the part of the
    producer before " — " (its acronym; the full name is on the methodology page). The registry
    keeps copy provenance out of both (``via``, geodata/registry.py).
    """
    short = (producer or "").split(" — ", 1)[0].strip()
    return ", ".join(part for part in (short, (dataset or "").strip()) if part)


def source_label(store, source_id: str) -> str:
    """The source line of a store's source (:func:`attribution` of its producer and dataset);
    its id when the store's manifest does not name it."""
    try:
        s = store.source(source_id)
    except KeyError:
        return source_id
    return attribution(s.get("producer", ""), s.get("dataset", "")) or source_id
