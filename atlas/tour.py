"""Workshop tours: prepared views, each with a title and a short note, carried in the URL.

A tour needs no account and no server storage: the ``tour`` URL parameter holds it, so the link
the facilitator copies opens it anywhere. Encoding: ``1.`` (the format's version) followed by
the URL-safe base64 (no padding) of the zlib-compressed JSON list ``[[query, title, note], ...]``,
where ``query`` is the slide's view as the map writes it (``v=1&c=MEX&i=illiteracy``; without
the language, large type, presentation mode or tour keys, which the reader's link sets).

Decoding never trusts the input: size limits before and after decompression (no zip bomb),
types, lengths and the number of slides are checked, and a broken tour raises :class:`TourError`
naming what is wrong, for a notice in the reader's language (``tour.error.<reason>``).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

from atlas import urlstate
from atlas.i18n import t
from atlas.urlstate import State

FORMAT = "1"
#: Most slides a tour holds; a title's and a note's most characters.
MAX_SLIDES = 20
MAX_TITLE = 80
MAX_NOTE = 240
#: Most characters of the encoded tour: gunicorn refuses a request line over 4094 bytes, and the
#: view's own parameters and the path need the rest.
MAX_CHARS = 3000
#: Most bytes of the decompressed JSON (a tour at its limits is far below this).
MAX_JSON = 64_000
MAX_QUERY = 600
#: Keys a slide's view never keeps: the reader's link sets them.
NOT_IN_SLIDE = ("lang", "big", "present", "tour", "slide")
_ENCODED = re.compile(r"^1\.[A-Za-z0-9_-]+$")


#: Why a tour cannot be read or written (messages ``tour.error.<reason>``).
REASONS = ("broken", "too_long", "too_many")


class TourError(ValueError):
    """A tour that cannot be read or written; ``reason`` names it (``tour.error.<reason>``)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def text(self, lang: str) -> str:
        """What the reader is told, in ``lang``."""
        return t(f"tour.error.{self.reason}", lang, n=MAX_SLIDES)


@dataclass(frozen=True)
class Slide:
    query: str  # the slide's view, e.g. "v=1&c=MEX&i=illiteracy" (no leading "?")
    title: str = ""
    note: str = ""


def _clean(text: str, limit: int) -> str:
    """One line of plain text, at most ``limit`` characters (control characters dropped)."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text or ""))
    return " ".join(text.split())[:limit]


def slide_query(state: State, defaults: State) -> str:
    """The view of ``state`` as a slide keeps it: its query without the reader's keys."""
    keys = {urlstate.KEYS[name] for name in NOT_IN_SLIDE}
    search = urlstate.serialise(state, defaults).lstrip("?")
    pairs = [(k, v) for k, v in parse_qsl(search, keep_blank_values=True) if k not in keys]
    return urlencode(pairs, safe=",") if any(k != "v" for k, _ in pairs) else ""


def encode(slides: list[Slide] | tuple[Slide, ...]) -> str:
    """Slides -> the ``tour`` parameter; "" for no slides. Raises TourError when too long."""
    if not slides:
        return ""
    if len(slides) > MAX_SLIDES:
        raise TourError("too_many")
    data = [[s.query, _clean(s.title, MAX_TITLE), _clean(s.note, MAX_NOTE)] for s in slides]
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    packed = base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode()
    out = f"{FORMAT}.{packed}"
    if len(out) > MAX_CHARS:
        raise TourError("too_long")
    return out


def decode(text: str) -> tuple[Slide, ...]:
    """The ``tour`` parameter -> its slides; raises TourError on anything but a valid tour."""
    if not isinstance(text, str) or not text:
        raise TourError("broken")
    if len(text) > MAX_CHARS:
        raise TourError("too_long")
    if not _ENCODED.match(text):
        raise TourError("broken")
    body = text[2:]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON)
    except (binascii.Error, zlib.error):
        raise TourError("broken") from None
    if inflater.unconsumed_tail:  # more than MAX_JSON bytes once inflated
        raise TourError("too_long")
    try:
        data = json.loads(raw.decode())
    except (UnicodeDecodeError, ValueError):
        raise TourError("broken") from None
    if not isinstance(data, list) or not data:
        raise TourError("broken")
    if len(data) > MAX_SLIDES:
        raise TourError("too_many")
    slides = []
    for item in data:
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not all(isinstance(x, str) for x in item)
            or len(item[0]) > MAX_QUERY
            or len(item[1]) > MAX_TITLE
            or len(item[2]) > MAX_NOTE
        ):
            raise TourError("broken")
        slides.append(Slide(item[0], _clean(item[1], MAX_TITLE), _clean(item[2], MAX_NOTE)))
    return tuple(slides)


def is_valid(text: str) -> bool:
    try:
        decode(text)
    except TourError:
        return False
    return True


def slides_or_empty(text: str) -> tuple[Slide, ...]:
    """The slides of a tour already checked by the URL parser ("" or broken: none)."""
    try:
        return decode(text) if text else ()
    except TourError:
        return ()


# -- editing (the facilitator's panel) ----------------------------------------------------------


def add(slides, slide: Slide) -> tuple[Slide, ...]:
    """``slides`` with ``slide`` appended (TourError when the tour is full)."""
    if len(slides) >= MAX_SLIDES:
        raise TourError("too_many")
    return (*slides, replace(slide, title=_clean(slide.title, MAX_TITLE)))


def move(slides, index: int, step: int) -> tuple[Slide, ...]:
    """``slides`` with slide ``index`` moved ``step`` places (clamped to the ends)."""
    out = list(slides)
    if not 0 <= index < len(out):
        return tuple(out)
    to = min(max(index + step, 0), len(out) - 1)
    out.insert(to, out.pop(index))
    return tuple(out)


def remove(slides, index: int) -> tuple[Slide, ...]:
    return tuple(s for i, s in enumerate(slides) if i != index)


def retitle(slides, titles: list, notes: list) -> tuple[Slide, ...]:
    """``slides`` with the titles and notes typed in (one per slide, in order; None keeps)."""
    out = []
    for i, s in enumerate(slides):
        title = titles[i] if i < len(titles) and titles[i] is not None else s.title
        note = notes[i] if i < len(notes) and notes[i] is not None else s.note
        out.append(Slide(s.query, _clean(title, MAX_TITLE), _clean(note, MAX_NOTE)))
    return tuple(out)


# -- showing a slide ---------------------------------------------------------------------------


def slide_state(
    tour: str, index: int, reader: State, defaults: State, valid_countries: set[str] | None = None
) -> State:
    """The state that shows slide ``index`` (clamped) of ``tour`` in presentation mode: the
    slide's view, in the ``reader``'s language and type size, the tour and the slide's number."""
    slides = slides_or_empty(tour)
    if not slides:
        return replace(reader, tour="", slide=0)
    index = min(max(index, 0), len(slides) - 1)
    view = urlstate.parse(slides[index].query, defaults, valid_countries)
    return replace(
        view, lang=reader.lang, big=reader.big, present=True, tour=tour, slide=index, invalid=()
    )


def link(tour: str, defaults: State, lang: str) -> str:
    """The query string that opens ``tour`` at its first slide in presentation mode."""
    reader = replace(defaults, lang=lang)
    return urlstate.serialise(slide_state(tour, 0, reader, defaults), defaults)
