"""Values kept as published but flagged (geodata/flags.py sets the reasons): their reason in words.

A flagged value is shown wherever it appears (map hover, unit panel, table, profile) with the
sentence built here, and left out of rankings, status counts and inequality measures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from atlas.i18n import number, t

if TYPE_CHECKING:
    from atlas.store import Store

#: Why a value is flagged, in the order geodata/flags.py chooses one when several apply
#: ("" = not flagged).
FLAG_REASONS = ("inherited", "implausible_zero", "collapse", "few_events", "above_100")
#: A zero rate per births is implausible when the country's rate that year expects at least this
#: many events in the unit (Poisson: P(0 | 5 expected) = 0.7 %).
MIN_EXPECTED_EVENTS = 5.0
#: The sign put before a flagged value's reason (also marks it in the table).
MARK = "⚠"


def reason_text(store: Store, reason: str, ref: str, weight: float | None, lang: str) -> str:
    """ "⚠ Valor heredado: ..." for a flagged value, "" for a value that is not flagged."""
    if not reason:
        return ""
    if reason not in FLAG_REASONS:
        raise ValueError(f"Unknown flag reason {reason!r}.")
    ref_name = ref
    if ref:
        try:
            unit = store.unit(ref)
            ref_name = f"{unit['name']} ({unit['code']})"
        except KeyError:
            ref_name = ref
    count = number(weight, 0, lang) if weight is not None and math.isfinite(weight) else "?"
    return f"{MARK} " + t(f"flags.reason.{reason}", lang, ref=ref_name, weight=count)


def reason_texts(
    store: Store,
    reasons: Sequence[str] | None,
    refs: Sequence[str] | None,
    weights: Sequence[float] | None,
    lang: str,
    n: int,
) -> list[str]:
    """:func:`reason_text` for each of ``n`` values ("" where not flagged; all "" when
    ``reasons`` is None, i.e. nothing in the layer is flagged)."""
    if reasons is None:
        return [""] * n
    refs = refs if refs is not None else [""] * n
    out = []
    cache: dict[tuple, str] = {}
    for i, reason in enumerate(reasons):
        if not reason:
            out.append("")
            continue
        w = float(weights[i]) if weights is not None else None
        key = (reason, refs[i], w)
        if key not in cache:
            cache[key] = reason_text(store, reason, refs[i], w, lang)
        out.append(cache[key])
    return out
