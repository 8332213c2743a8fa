"""Workshop tours in the URL: round trip, limits, hostile input, slides shown as views."""

from __future__ import annotations

import base64
import json
import random
import string
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas import tour, urlstate
from atlas.tour import Slide, TourError
from atlas.urlstate import State

DEFAULTS = State(lang="es", country="BRA", indicator="infant_mortality")
COUNTRIES = {"BRA", "CHL", "COL", "MEX", "PER", "URY"}


def _pack(data, raw: bytes | None = None) -> str:
    raw = raw if raw is not None else json.dumps(data).encode()
    return "1." + base64.urlsafe_b64encode(zlib.compress(raw)).rstrip(b"=").decode()


text = st.text(max_size=60).map(lambda s: " ".join(s.split()))
slides = st.lists(
    st.builds(
        Slide,
        query=st.sampled_from(["", "v=1&c=MEX&i=illiteracy", "v=1&y=2010&m=status&u=BRA4304408"]),
        title=text.filter(str.isprintable),
        note=text.filter(str.isprintable),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(slides)
def test_tour001_slides_round_trip_through_the_url(items):
    encoded = tour.encode(items)
    assert urlstate.PARSERS["tour"](encoded) == encoded
    assert tour.decode(encoded) == tuple(items)
    assert set(encoded[2:]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


def test_tour002_the_tour_and_slide_keys_round_trip_in_the_view_state():
    encoded = tour.encode([Slide("v=1&c=MEX", "México", "Analfabetismo")])
    state = State(
        lang="pt", country="MEX", indicator="illiteracy", present=True, tour=encoded, slide=2
    )
    assert urlstate.parse(urlstate.serialise(state, DEFAULTS), DEFAULTS, COUNTRIES) == state


@pytest.mark.parametrize(
    "bad",
    [
        "x",
        "1.",
        "2.eJyLjgUAARUAuQ",
        "1.!!!!",
        "1.AAAA",
        _pack(None, b"\xff\xfe not json"),
        _pack({"a": 1}),
        _pack([]),
        _pack([["q", "t"]]),
        _pack([[1, "t", "n"]]),
        _pack([["q", "t" * 81, "n"]]),
        _pack([["q" * 601, "t", "n"]]),
    ],
)
def test_tour003_a_broken_tour_is_named_not_raised(bad):
    with pytest.raises(TourError) as err:
        tour.decode(bad)
    assert err.value.reason == "broken"
    state = urlstate.parse("?" + "tour=" + bad, DEFAULTS, COUNTRIES)
    assert state.tour == "" and "tour" in state.invalid


def test_tour004_limits_slides_length_and_a_zip_bomb():
    with pytest.raises(TourError) as err:
        tour.decode(_pack([["", "t", "n"]] * (tour.MAX_SLIDES + 1)))
    assert err.value.reason == "too_many"
    assert str(tour.MAX_SLIDES) in err.value.text("pt")
    bomb = _pack(None, b"[" + b" " * 1_000_000 + b"]")
    assert len(bomb) < tour.MAX_CHARS
    with pytest.raises(TourError) as err:
        tour.decode(bomb)
    assert err.value.reason == "too_long"
    with pytest.raises(TourError) as err:
        tour.decode("1." + "A" * tour.MAX_CHARS)
    assert err.value.reason == "too_long"
    assert urlstate.MAX_VALUE["tour"] == tour.MAX_CHARS + 1
    with pytest.raises(TourError) as err:
        tour.add([Slide("")] * tour.MAX_SLIDES, Slide(""))
    assert err.value.reason == "too_many"
    rng = random.Random(0)
    words = ["".join(rng.choices(string.ascii_letters, k=tour.MAX_NOTE)) for _ in range(20)]
    with pytest.raises(TourError) as err:
        tour.encode([Slide(f"v=1&y={2000 + i}", f"Slide {i}", w) for i, w in enumerate(words)])
    assert err.value.reason == "too_long"


def test_tour005_titles_and_notes_are_cut_to_one_line_of_plain_text():
    (slide,) = tour.decode(tour.encode([Slide("", "a\nb\x00c" + "t" * 100, "n\t" * 300)]))
    assert "\n" not in slide.title and "\x00" not in slide.title
    assert len(slide.title) == tour.MAX_TITLE and len(slide.note) <= tour.MAX_NOTE


def test_tour006_editing_adds_moves_retitles_and_removes():
    a, b, c = Slide("v=1&y=2000", "A"), Slide("v=1&y=2005", "B"), Slide("v=1&y=2010", "C")
    items = tour.add(tour.add(tour.add((), a), b), c)
    assert [s.title for s in tour.move(items, 2, -1)] == ["A", "C", "B"]
    assert [s.title for s in tour.move(items, 0, -1)] == ["A", "B", "C"]
    assert [s.title for s in tour.remove(items, 1)] == ["A", "C"]
    renamed = tour.retitle(items, ["Uno", None, "Tres"], [None, "nota", None])
    assert [(s.title, s.note) for s in renamed] == [("Uno", ""), ("B", "nota"), ("Tres", "")]


def test_tour007_a_slide_keeps_the_view_and_opens_in_the_readers_language():
    view = State(lang="en", country="MEX", indicator="illiteracy", year=2010, big=True)
    query = tour.slide_query(view, DEFAULTS)
    assert "lang" not in query and "big" not in query and "c=MEX" in query
    encoded = tour.encode([Slide(tour.slide_query(DEFAULTS, DEFAULTS), "Brasil"), Slide(query)])
    reader = State(lang="pt", country="BRA", indicator="infant_mortality")
    shown = tour.slide_state(encoded, 1, reader, DEFAULTS, COUNTRIES)
    assert (shown.lang, shown.country, shown.indicator, shown.year) == (
        "pt",
        "MEX",
        "illiteracy",
        2010,
    )
    assert (shown.present, shown.tour, shown.slide) == (True, encoded, 1)
    assert tour.slide_state(encoded, 9, reader, DEFAULTS, COUNTRIES).slide == 1
    opened = urlstate.parse(tour.link(encoded, DEFAULTS, "en"), DEFAULTS, COUNTRIES)
    assert (opened.present, opened.slide, opened.tour, opened.lang) == (True, 0, encoded, "en")
