"""The message registry (``atlas/messages*.toml``, read by :mod:`atlas.i18n`).

Every message exists in es, pt and en with the same ``{placeholders}``; every key the code uses
exists, keys built with f-strings included; every key defined is used; and no message writes a
number that a settings file holds (the progress thresholds of ``atlas/method/targets.toml``).
Keys are found by parsing the code: the first argument of ``t(...)`` (a string, an f-string or a
choice between strings) and every other string or f-string that has the shape of a key of the
registry (``caption_key = "panels.table.caption"``, ``key = f"country.{code}"``).
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import atlas.i18n as i18n
from atlas import (
    catalog,
    classify,
    datatruth,
    exports,
    methodology,
    network,
    tour,
    unit_report,
    urls,
    urlstate,
)
from atlas.attachments import REFUSALS
from atlas.catalog import load_catalog
from atlas.contrib.errors import ERROR_CODES
from atlas.contrib.validation import NOTE_KINDS, PROBLEM_KINDS
from atlas.db.models import EXPERIENCE_STATUSES, ROLES, VERSION_STATUSES
from atlas.flags import FLAG_REASONS
from atlas.i18n import LANGS, messages, number, t
from atlas.method import STATUSES, TARGET_STATUSES, frameworks, thresholds
from atlas.method.targets import FRAMEWORKS
from atlas.publish import ERROR_KEYS as PUBLISH_ERRORS
from layouts import contribute_pages
from tests.conftest import ROOT

#: Where user-facing text is built.
CODE = ("atlas", "layouts", "callbacks", "app.py")
#: A key: lower-case namespace, then dot-separated parts ("target.status.on_track", "goal.1").
KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*(\.[A-Za-z0-9_/]+)+")


def _view_names() -> tuple[str, ...]:
    """The views of the atlas page: those of the registry."""
    from atlas.views import REGISTRY

    return REGISTRY.names()


def _countries() -> tuple[str, ...]:
    """The countries of the catalog's series (without the national reference series)."""
    series = load_catalog().all_series()
    return tuple(sorted({s.country for s in series} - {methodology.NATIONAL}))


def _factors(kind: str) -> tuple[str, ...]:
    """The factors of the ``kind`` rules of targets.toml, as the keys write them ("1/3")."""
    return tuple(
        sorted(
            f"{spec['factor'].numerator}/{spec['factor'].denominator}"
            for fw in frameworks().values()
            for rule in fw.rules
            for spec in rule.by_direction.values()
            if spec["kind"] == kind
        )
    )


#: Every key the code builds with an f-string, as a pattern (each placeholder written ``{}``) ->
#: the values of its placeholders, one tuple per placeholder, taken from where the code declares
#: them. Keys built in a loop over a literal tuple (``for k in ("intro", "overlap")``) need no
#: entry: the test reads the tuple from the code. Any other f-string key fails test_i18n003 until
#: its placeholders are declared here.
DYNAMIC: dict[str, Callable[[], tuple[tuple[str, ...], ...]]] = {
    "country.{}": lambda: (_countries(),),
    "level.{}": lambda: (urlstate.LEVELS,),
    "goal.{}": lambda: (tuple(map(str, catalog.GOALS)),),
    "views.name.{}": lambda: (_view_names(),),
    "classify.{}": lambda: (urlstate.CLASSIFICATIONS,),
    "palette.{}": lambda: (tuple(classify.PALETTES),),
    "params.{}": lambda: ((*urlstate.KEYS, "url"),),  # State.invalid names a field, or the URL
    "target.status.{}": lambda: (STATUSES,),
    "tour.error.{}": lambda: (tour.REASONS,),
    "flags.reason.{}": lambda: (FLAG_REASONS,),
    "target.status_help.{}": lambda: (STATUSES,),
    "target.framework.{}": lambda: (FRAMEWORKS,),
    "method.framework_desc.{}": lambda: (FRAMEWORKS,),
    "method.framework_intro.{}": lambda: ((*methodology.RULE_FRAMEWORKS, "local"),),
    "method.status.rule.{}": lambda: ((*TARGET_STATUSES, "insufficient_data"),),
    "method.rates.q.{}.name": lambda: (tuple(k for k, _ in methodology.RATE_FORMULAS),),
    "method.rates.q.{}.note": lambda: (tuple(k for k, _ in methodology.RATE_FORMULAS),),
    "method.peers.q.{}": lambda: (tuple(k for k, _ in methodology.PEER_FORMULAS),),
    "method.inequality.m.{}.name": lambda: (tuple(k for k, _ in methodology.INEQUALITY_FORMULAS),),
    "method.inequality.m.{}.note": lambda: (tuple(k for k, _ in methodology.INEQUALITY_FORMULAS),),
    "method.references.items.{}": lambda: (methodology.REFERENCES,),
    "method.factor_words.ratio.{}": lambda: (_factors("ratio"),),
    "method.factor_words.shortfall.{}": lambda: (_factors("shortfall_ratio"),),
    "profile.kind.{}.{}": lambda: (_countries(), urlstate.LEVELS),
    "profile.kind.any.{}": lambda: (urlstate.LEVELS,),
    # atlas/place.py: the observed pace's verb and the required pace's
    "panels.place.observed_{}": lambda: (("falls", "rises", "flat"),),
    "panels.place.required_{}": lambda: (("fall", "rise"),),
    # atlas/exports.py and atlas/unit_report.py: the report's files and roll-up notes
    "report.file.col.{}": lambda: (
        (*exports.DATA_COLUMNS, *exports.SUMMARY_COLUMNS, *exports.SOURCE_COLUMNS),
    ),
    "report.file.series.{}": lambda: ((*unit_report.ROLES, "target"),),
    "report.download_{}": lambda: (exports.FORMATS,),
    "tour.{}": lambda: (("up", "down", "remove"),),
    # layouts/account_pages.py: the roles of atlas/db/models.py
    "accounts.role.{}": lambda: (ROLES,),
    # layouts/network_pages.py and callbacks/network.py: the e-network's statuses, fields, answers
    "network.status.{}": lambda: (EXPERIENCE_STATUSES,),
    "network.submitted.{}": lambda: (("pending", "approved", "draft"),),
    "network.moderate.done_{}": lambda: (("approve", "reject"),),
    "network.field.{}": lambda: (tuple(network.LIMITS),),
    "report.rollup.{}": lambda: (("weighted", "unweighted", "producer_weights"),),
    # layouts/map_page.py: the map's download menu, one link per format of atlas/urls.py
    "exports.{}": lambda: (urls.EXPORT_FORMATS,),
    # atlas/panels.py: Summary.gini_direction when there is one
    "panels.summary.trend_{}": lambda: (("falling", "rising", "stable"),),
    # atlas/datatruth.py: the derived statements and the flags' reasons; layouts/data_page.py
    "datatruth.say.{}": lambda: ((*datatruth.CAN, *datatruth.CANNOT),),
    "datatruth.flag.{}": lambda: (FLAG_REASONS,),
    "datatruth.level.{}": lambda: (urlstate.LEVELS,),
    # atlas/panels.py basis_text and atlas/datatruth.py: how an admin-1 value was obtained
    "panels.unit.basis.{}": lambda: (
        (
            "published",
            "producer_weights",
            "population",
            "producer_weights_units",
            "population_units",
        ),
    ),
    "datatruth.admin1.{}": lambda: (datatruth.ADMIN1_BASES,),
    # atlas/contrib/: why an upload is refused, what a row's validation found, notes on a file
    "contrib.error.{}": lambda: (ERROR_CODES,),
    "contrib.problem.{}": lambda: (PROBLEM_KINDS,),
    "contrib.publish.error.{}": lambda: (PUBLISH_ERRORS,),
    "contrib.kind.{}": lambda: (PROBLEM_KINDS,),
    "contrib.page.role.{}": lambda: (contribute_pages.ROLES,),
    "contrib.page.field.{}": lambda: (contribute_pages.META_FIELDS,),
    "contrib.page.status.{}": lambda: (("current", *VERSION_STATUSES),),
    "contrib.note.{}": lambda: (NOTE_KINDS,),
    # atlas/attachments.py: why a file attached to an experience is refused
    "attach.error.{}": lambda: (REFUSALS,),
}
#: Patterns the code looks up with a fall-back (``if key in messages()``): not every value needs
#: a message (a generic sentence for other factors; the level's id for other unit kinds).
OPTIONAL = {
    "method.factor_words.ratio.{}",
    "method.factor_words.shortfall.{}",
    "profile.kind.{}.{}",
    "profile.kind.any.{}",
}
#: Messages that write a threshold's number in another sense: (key, threshold) -> why.
NOT_A_THRESHOLD = {
    ("method.uncertainty.overlap", "on_track"): "the 95 % of the producers' confidence intervals",
}


# --------------------------------------------------------------------------------------------
# Reading the keys out of the code


@dataclasses.dataclass(frozen=True)
class Use:
    """A key the code uses: a key, or a pattern with ``{}`` placeholders and their values."""

    key: str
    where: str
    domains: tuple[tuple[str, ...], ...] | None = None  # None: a pattern of unknown values

    def keys(self) -> Iterator[str]:
        if "{}" not in self.key:
            yield self.key
        elif self.domains is not None:
            for values in itertools.product(*self.domains):
                yield self.key.format(*values)


def _code_files() -> list[Path]:
    files: list[Path] = []
    for name in CODE:
        path = ROOT / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _loop_values(name: str, node: ast.AST, parents: dict) -> tuple[str, ...] | None:
    """The strings ``name`` takes at ``node`` when the loop that binds it runs over a literal
    tuple (``for k in ("a", "b")``, ``for k, formula in (("a", "x"), ...)``); else None."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.For):
            loops = [node]
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            loops = node.generators
        else:
            continue
        for loop in loops:
            target = loop.target
            names = target.elts if isinstance(target, ast.Tuple) else [target]
            position = [i for i, n in enumerate(names) if isinstance(n, ast.Name) and n.id == name]
            if not position:
                continue
            if not isinstance(loop.iter, (ast.Tuple, ast.List)):
                return None
            items = loop.iter.elts
            if isinstance(target, ast.Tuple):
                if not all(isinstance(i, ast.Tuple) for i in items):
                    return None
                items = [i.elts[position[0]] for i in items]
            values = tuple(getattr(i, "value", None) for i in items)
            return values if all(isinstance(v, str) for v in values) else None
    return None


def _fstring_use(node: ast.JoinedStr, parents: dict, where: str) -> Use:
    pattern, holes = "", []
    for part in node.values:
        if isinstance(part, ast.Constant):
            pattern += part.value
        else:
            pattern += "{}"
            holes.append(part.value)
    inferred = [
        _loop_values(h.id, node, parents) if isinstance(h, ast.Name) else None for h in holes
    ]
    if all(d is not None for d in inferred):
        return Use(pattern, where, tuple(inferred))
    if pattern in DYNAMIC:
        return Use(pattern, where, DYNAMIC[pattern]())
    return Use(pattern, where)


def _is_t_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"


def code_uses() -> list[Use]:
    """Every key the code names, with where it names it."""
    namespaces = {key.split(".")[0] for key in messages()}
    uses: list[Use] = []
    for path in _code_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        rel = path.relative_to(ROOT)
        # the first argument of t(...), whatever its shape
        key_args = set()
        for node in ast.walk(tree):
            if _is_t_call(node) and node.args:
                todo = [node.args[0]]
                while todo:
                    arg = todo.pop()
                    if isinstance(arg, ast.IfExp):
                        todo += [arg.body, arg.orelse]
                    elif isinstance(arg, (ast.Constant, ast.JoinedStr)):
                        key_args.add(arg)
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.JoinedStr) and (
                node in key_args or _fstring_head(node) in namespaces
            ):
                uses.append(_fstring_use(node, parents, where))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                shaped = KEY_SHAPE.fullmatch(node.value)
                if node in key_args or (shaped and node.value.split(".")[0] in namespaces):
                    if not isinstance(parents.get(node), ast.JoinedStr):
                        uses.append(Use(node.value, where))
    return uses


def _fstring_head(node: ast.JoinedStr) -> str | None:
    """The namespace an f-string starts with (``f"country.{c}"`` -> "country"), if any."""
    first = node.values[0] if node.values else None
    if isinstance(first, ast.Constant) and "." in first.value:
        return first.value.split(".")[0]
    return None


@pytest.fixture(scope="module")
def uses() -> list[Use]:
    found = code_uses()
    assert len(found) > 200, "the parser found too few keys: is CODE right?"
    return found


# --------------------------------------------------------------------------------------------
# The registry


def _fields(text: str) -> set[str]:
    return set(re.findall(r"{(\w*)}", text))


def test_i18n001_every_message_has_three_languages():
    for key, entry in messages().items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key


def test_i18n002_placeholders_agree_between_languages():
    for key, entry in messages().items():
        fields = {lang: _fields(entry[lang]) for lang in LANGS}
        assert fields["es"] == fields["pt"] == fields["en"], (key, fields)


def test_i18n003_every_key_used_in_the_code_exists(uses):
    unknown = sorted(f"{u.where}: {u.key!r}" for u in uses if "{}" in u.key and u.domains is None)
    assert not unknown, f"declare the values of these placeholders in DYNAMIC: {unknown}"
    missing = sorted(
        f"{u.where}: {key}"
        for u in uses
        if u.key not in OPTIONAL
        for key in u.keys()
        if key not in messages()
    )
    assert not missing, missing


def test_i18n003_dynamic_keys_of_the_code_are_all_declared(uses):
    """Every DYNAMIC pattern is still built by the code (a stale entry hides nothing)."""
    patterns = {u.key for u in uses if "{}" in u.key}
    assert not sorted(set(DYNAMIC) - patterns)
    assert OPTIONAL <= set(DYNAMIC)


def test_i18n006_every_key_defined_is_used(uses):
    used = {key for u in uses for key in u.keys()}
    unused = sorted(set(messages()) - used)
    assert not unused, f"defined in atlas/messages*.toml but used nowhere: {unused}"


def test_i18n003_the_parser_sees_each_way_of_naming_a_key(uses):
    by_key = {u.key: u for u in uses}
    assert "common.source" in by_key  # t("common.source", lang)
    assert "map.lower_is_better" in by_key  # t("map.lower_is_better" if .. else ..)
    assert "panels.table.caption" in by_key  # caption_key = "panels.table.caption"
    assert set(by_key["views.name.{}"].keys()) == {f"views.name.{v}" for v in _view_names()}
    # a loop over a literal tuple gives the values itself
    assert "method.uncertainty.overlap" in set(by_key["method.uncertainty.{}"].keys())


def test_i18n003_an_undeclared_fstring_key_fails():
    tree = ast.parse('def f(x, lang):\n    return t(f"views.nothing.{x}", lang)\n')
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr))
    parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    assert _fstring_use(node, parents, "x.py:2").domains is None
    tree = ast.parse('for k in ("a", "b"):\n    t(f"views.{k}", "es")\n')
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr))
    parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    assert list(_fstring_use(node, parents, "x.py:2").keys()) == ["views.a", "views.b"]


def test_i18n007_a_key_in_two_files_is_an_error(tmp_path, monkeypatch):
    for name in ("messages.toml", "messages_other.toml"):
        (tmp_path / name).write_text('[app.title]\nes = "a"\npt = "b"\nen = "c"\n')
    monkeypatch.setattr(i18n, "MESSAGES_FILE", tmp_path / "messages.toml")
    messages.cache_clear()
    try:
        with pytest.raises(ValueError, match="app.title.*messages.toml.*messages_other.toml"):
            messages()
    finally:
        messages.cache_clear()


# --------------------------------------------------------------------------------------------
# No number of a settings file written in a message


def _written(value: float, decimals_required: bool) -> str:
    """A regex for ``value`` as a message could print it: either decimal separator, trailing
    zeros allowed ("0,10" for 0.1); ``decimals_required``: at least one decimal ("1,0")."""
    text = f"{value:.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    if not decimals:
        return rf"{whole}[.,]0+" if decimals_required else rf"{whole}(?:[.,]0+)?"
    return rf"{whole}[.,]{decimals}0*"


def threshold_patterns() -> dict[str, re.Pattern]:
    """Each threshold of targets.toml -> the forms a message would print it in, derived from its
    value: a fraction as a percentage ("95 %", "95%", "1,5 %", "0.5 %") and as a decimal ("0,95",
    "0.10"); any value with decimals ("1,0"). A whole number alone ("2") is not searched: it is
    written in too many other senses ("goal 2", "1 = best"; min_points reaches texts as {n}); nor
    is zero (trend_slow, the line between improving and worsening: "a 0 % target")."""
    patterns = {}
    for name, value in dataclasses.asdict(thresholds()).items():
        if value == 0:
            continue
        forms = [_written(value, decimals_required=True)]
        if isinstance(value, float) and 0 <= value < 1:
            forms.append(_written(value * 100, decimals_required=False) + r" ?%")
        patterns[name] = re.compile(rf"(?<![\d.,])(?:{'|'.join(forms)})(?![\d])")
    return patterns


def test_i18n008_no_message_writes_a_threshold():
    found = []
    for name, pattern in threshold_patterns().items():
        for key, entry in messages().items():
            for lang, text in entry.items():
                hit = pattern.search(text)
                if hit and (key, name) not in NOT_A_THRESHOLD:
                    found.append(f"{key} [{lang}] writes {name} as {hit.group(0)!r}")
    assert not found, found


def test_i18n008_threshold_forms_are_found():
    """The search finds each threshold as texts print it, and not its neighbours."""
    patterns = threshold_patterns()
    th = thresholds()
    for lang in LANGS:
        assert patterns["on_track"].search(f"al menos {number(th.on_track * 100, 0, lang)} %")
        assert patterns["on_track"].search(f"ρ ≥ {number(th.on_track, 2, lang)}")
        assert patterns["trend_fast"].search(f"{number(th.trend_fast * 100, 1, lang)}%")
        assert patterns["must_accelerate"].search(f"{number(th.must_accelerate, 2, lang)} ≤ ρ")
    assert not patterns["on_track"].search("1995 %")
    assert not patterns["on_track"].search("0,951")
    assert not patterns["trend_fast"].search("11,5 %")
    assert NOT_A_THRESHOLD.keys() <= {(k, n) for k in messages() for n in patterns}


# --------------------------------------------------------------------------------------------
# Formatting


def test_i18n004_numbers_follow_the_language():
    assert number(1234.5, 1, "es") == "1.234,5"
    assert number(1234.5, 1, "pt") == "1.234,5"
    assert number(1234.5, 1, "en") == "1,234.5"
    assert number(float("nan"), 1, "pt") == "sem dados"
    assert number(None, 0, "en") == "no data"
    assert i18n.percent(0.015, "es") == "1,5 %"
    assert i18n.percent(0.95, "en") == "95 %"
    assert i18n.percent(0.0439, "pt", 2) == "4,39 %"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=False, width=64),
            st.floats(-1001, 1001),
            st.sampled_from([998.95, 999.0, 999.04, 999.96, -999.5, 12.35, 0.05, -0.04, -0.0]),
            st.none(),
        ),
        max_size=40,
    ),
    st.integers(0, 3),
    st.sampled_from(LANGS),
)
def test_i18n023_many_numbers_are_written_as_one_number_is(values, decimals, lang):
    """:func:`i18n.numbers` (5,564 at a time) writes each value as Python's grouped fixed-point
    format does, whichever way it takes (small values skip the grouping), with the language's
    separators, and a missing value as the language's "no data"."""
    thousands, decimal = i18n.SEPARATORS[lang]
    table = str.maketrans({",": thousands, ".": decimal})
    expected = [
        t("common.no_data", lang) if v is None or v != v else f"{v:,.{decimals}f}".translate(table)
        for v in values
    ]
    assert i18n.numbers(values, decimals, lang) == expected
    # a long column (kept once written, by the values as written): the same texts, twice
    times = i18n.KEEP_FROM // max(1, len(values)) + 1
    if values:
        for _ in range(2):
            assert i18n.numbers(values * times, decimals, lang) == expected * times


def test_i18n024_a_kept_column_is_the_callers_own():
    column = [1234.5, None, 2.0] * i18n.KEEP_FROM
    first = i18n.numbers(column, 1, "es")
    first[0] = "changed"
    again = i18n.numbers(column, 1, "es")
    assert again[:3] == ["1.234,5", "sin datos", "2,0"] and again is not first
    # the same values to other decimals or in another language are other columns
    assert i18n.numbers(column, 0, "es")[0] == "1.234"
    assert i18n.numbers(column, 1, "en")[0] == "1,234.5"


def test_i18n005_unknown_language_falls_back_to_spanish_and_unknown_key_fails():
    assert t("common.source", "fr") == "Fuente"
    with pytest.raises(KeyError):
        t("no.such.key", "es")


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=True), st.integers(0, 3))
def test_i18n025_rounded_is_the_number_the_text_reads_back_as(x, decimals):
    """The key under which a written column is kept, and what paint sends: equal rounded
    values are equal texts."""
    got = float(i18n.rounded([x], decimals)[0])
    assert got == (x if math.isinf(x) else float(f"{x:.{decimals}f}"))
