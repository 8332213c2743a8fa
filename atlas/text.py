"""Name folding for accent- and case-insensitive search (shared by build and app)."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """'Bogotá, D.C.' -> 'BOGOTA D C': no accents, upper case, punctuation as single spaces."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^0-9A-Za-z]+", " ", s).strip().upper()
