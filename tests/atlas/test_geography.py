"""The geographic vocabulary (levels, the all-countries code) and the languages are spelled once:
in atlas/geography.py and atlas/i18n.py; every other module imports them."""

from __future__ import annotations

import re

import pytest

from atlas.geography import ALL_COUNTRIES, LEVELS, SUBNATIONAL_LEVELS
from atlas.settings import ROOT

SOURCES = ["app.py", "atlas/**/*.py", "callbacks/*.py", "layouts/*.py", "geodata/**/*.py", "bench/*.py"]  # fmt: skip
#: A spelled-out constant, and where it may be spelled.
SPELLED = {
    "a tuple of levels": (
        r"""\(\s*["'](municipality|admin1|country)["']\s*,\s*["'](municipality|admin1|country)["']""",
        {"atlas/geography.py"},
    ),
    "the all-countries code": (r"""=\s*["']ALL["']""", {"atlas/geography.py"}),
    "the languages": (
        r"""\(\s*["'](es|pt|en)["']\s*,\s*["'](es|pt|en)["']""",
        # catalog.py and method/targets.py read their own files; the message registry takes them.
        {"atlas/i18n.py", "atlas/catalog.py", "atlas/method/targets.py"},
    ),
}


#: Database migrations are a frozen record of the schema as it was (a CHECK constraint spells the
#: languages of its day): they never import the live constants.
FROZEN = "atlas/db/migrations/versions/"


def _sources() -> list:
    found = {p for pattern in SOURCES for p in ROOT.glob(pattern)}
    return sorted(p for p in found if not p.relative_to(ROOT).as_posix().startswith(FROZEN))


def test_geo001_levels_are_ordered_finest_first_and_the_map_levels_are_below_the_country():
    assert LEVELS == ("municipality", "admin1", "country")
    assert SUBNATIONAL_LEVELS == ("municipality", "admin1") and ALL_COUNTRIES == "ALL"


@pytest.mark.parametrize("what", sorted(SPELLED))
def test_geo002_each_constant_is_spelled_in_one_module_only(what):
    pattern, allowed = SPELLED[what]
    spelled = {
        p.relative_to(ROOT).as_posix()
        for p in _sources()
        if re.search(pattern, p.read_text(encoding="utf-8"))
    }
    assert len(_sources()) > 40  # the globs found the code
    assert spelled <= allowed, f"{what} spelled out in {sorted(spelled - allowed)}"
    assert spelled, f"{what} is defined nowhere the test looks"
