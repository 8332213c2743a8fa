"""The methodology page, as plain data: sections of paragraphs, lists, formulas and tables.

:func:`methodology` assembles the page for one language from three places and nothing else:

* the ``method.*`` messages (``atlas/messages_method.toml``) — all the prose, every entry in es, pt
  and en, and the ``target.*`` labels of statuses and frameworks, both read with
  :func:`atlas.i18n.t`;
* ``atlas/method/targets.toml`` through :mod:`atlas.method` — frameworks, rules, citations and
  thresholds (no number that lives there is written here or in the prose: the prose has
  ``{placeholders}`` that are filled from :func:`atlas.method.thresholds` and the rules);
* the catalog (indicator labels, series, comparability notes) and the source registry (producer,
  dataset, vintage, licence, download page), both passed in.

No Dash here: ``layouts/method_page.py`` turns the sections into HTML. Inline code in paragraphs
is written between backticks; formulas are language-neutral and kept in this module.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import urlsplit

from atlas import method as m
from atlas.flags import MIN_EXPECTED_EVENTS
from atlas.geography import LEVELS
from atlas.i18n import decimals_needed, lang_or_default, messages, number, percent, t
from atlas.i18n import label as catalog_label
from atlas.method.progress import OFF_TRACK_STATUSES, TARGET_STATUSES, TREND_STATUSES
from atlas.method.targets import FRAMEWORKS, FULL_SCALE
from atlas.peers import (
    BASELINE_WINDOW,
    BASELINE_YEARS,
    FEATURES,
    K_BETTER,
    K_OTHER,
    K_SAME,
    PACE_FEATURES,
)
from atlas.text import year_ranges

#: Section ids, in page order (also the anchors of the table of contents).
SECTION_IDS = (
    "targets",
    "baseline",
    "missing-data",
    "rates",
    "status",
    "aggregates",
    "inequality",
    "uncertainty",
    "sources",
    "comparability",
    "peers",
    "limits",
    "references",
)
#: Frameworks with rules shown as tables (``local`` has none: the user types the target).
RULE_FRAMEWORKS = ("mdg2015", "sdg2030", "national")
#: Order of the bibliography (keys of ``[method.references.items]`` in messages_method.toml).
REFERENCES = (
    "un2008",
    "ares70_1",
    "candia2011",
    "unsd2023",
    "eustat",
    "statcan",
    "unicef_arr",
    "igme2015",
    "escap",
    "escap_sdg",
    "worldbank2013",
    "uis_gpi",
    "pysal",
    "schenker2001",
    "fukuda_parr2013",
)
NATIONAL = "national"
LEVEL_ORDER = LEVELS
_URL = re.compile(r"https?://\S+")


# --------------------------------------------------------------------------------------------
# The page as data


@dataclass(frozen=True)
class Link:
    """A table cell that is a link (``href``) showing ``text``, followed by a plain ``note``."""

    text: str
    href: str
    note: str = ""


Cell = str | Link


@dataclass(frozen=True)
class Paragraph:
    text: str  # `backticks` mark inline code (formulas)


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Formulas:
    """Named formulas: shown as a definition list (name, then the formula as code)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A data table. The first column heads its row. ``formula_columns`` hold code;
    ``column_lang`` gives the language of a column's text when it differs from the page's."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    formula_columns: tuple[int, ...] = ()
    column_lang: tuple[str | None, ...] = ()

    def lang_of(self, column: int) -> str | None:
        return self.column_lang[column] if column < len(self.column_lang) else None


Block = Paragraph | Items | Formulas | Table


@dataclass(frozen=True)
class Section:
    """One heading of the page: its anchor id, title, content blocks in order, and subsections."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...] = ()

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    def walk(self) -> Iterator[Section]:
        """This section and all its subsections, depth first."""
        yield self
        for sub in self.subsections:
            yield from sub.walk()


def texts(sections: Section | list[Section] | tuple[Section, ...]) -> Iterator[str]:
    """Every visible string of ``sections`` (titles, prose, captions, cells), in page order."""
    if isinstance(sections, Section):
        sections = [sections]
    for top in sections:
        for s in top.walk():
            yield s.title
            for b in s.blocks:
                if isinstance(b, Paragraph):
                    yield b.text
                elif isinstance(b, Items):
                    yield from b.items
                elif isinstance(b, Formulas):
                    for name, formula in b.items:
                        yield name
                        yield formula
                else:
                    yield b.caption
                    yield from b.header
                    for row in b.rows:
                        for cell in row:
                            if isinstance(cell, Link):
                                yield cell.text
                                if cell.note:
                                    yield cell.note
                            else:
                                yield cell


# --------------------------------------------------------------------------------------------
# Numbers (always through atlas.i18n.number, so "0,95" in es and pt, "0.95" in en)


def _num(value: float, lang: str, max_decimals: int = 3) -> str:
    """``value`` with as few decimals as it needs (at most ``max_decimals``)."""
    return number(value, decimals_needed(value, max_decimals), lang)


def _header(lang: str, *keys: str) -> tuple[str, ...]:
    """A table's column headings: the messages ``keys`` (``method.<table>.col_<column>``)."""
    return tuple(t(key, lang) for key in keys)


def _fraction(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


# --------------------------------------------------------------------------------------------
# Helpers on the catalog and the registry


def _indicator_name(catalog, indicator_id: str, lang: str) -> str:
    ind = catalog.indicators.get(indicator_id)
    if ind is None:
        return t("method.rules.not_in_atlas", lang, id=indicator_id)
    return catalog_label(ind.label, lang)


def _country_name(code: str, lang: str) -> str:
    """A country's name (messages.toml), or the page's own label ("national" series)."""
    if code == NATIONAL:
        return t("method.country.national", lang)
    key = f"country.{code}"
    return t(key, lang) if key in messages() else code


def _country_order(codes) -> list[str]:
    return sorted(set(codes), key=lambda c: (c == NATIONAL, c))


def _level_name(level: str, lang: str) -> str:
    try:
        return t(f"level.{level}", lang)
    except KeyError:
        return level


def _href(url: str) -> str:
    found = _URL.search(url or "")
    return found.group(0).rstrip(").,;") if found else ""


def _url_cell(url: str) -> Cell:
    """The registry's URL field as a link to its first address, named by its host (long addresses
    are unreadable in a table at large type); what the field says besides the address is kept as
    the link's note."""
    href = _href(url)
    if not href:
        return url
    host = urlsplit(href).netloc.removeprefix("www.") or href
    note = " ".join(url.replace(href, " ").split())
    return Link(host, href, note)


def _foreign(lang: str, source_lang: str = "en") -> str | None:
    """Language attribute for a column written in ``source_lang`` (None when it is the page's)."""
    return None if lang == source_lang else source_lang


# --------------------------------------------------------------------------------------------
# (a) Targets


def _rule_words(spec: dict, direction: str | None, lang: str) -> tuple[str, str]:
    """A rule spec in words and as a formula, in ``lang``."""
    kind = spec["kind"]
    full = _num(FULL_SCALE, lang)
    if kind == "ratio":
        f = spec["factor"]
        key = f"method.factor_words.ratio.{_fraction(f)}"
        words = (
            t(key, lang)
            if key in messages()
            else t("method.rules.ratio_generic", lang, factor=_fraction(f))
        )
        formula = f"x* = x0 / {f.denominator}" if f.numerator == 1 else f"x* = x0 × {_fraction(f)}"
        return words, formula
    if kind == "shortfall_ratio":
        f = spec["factor"]
        key = f"method.factor_words.shortfall.{_fraction(f)}"
        words = (
            t(key, lang)
            if key in messages()
            else t("method.rules.shortfall_generic", lang, factor=_fraction(f), full=full)
        )
        tail = f"/ {f.denominator}" if f.numerator == 1 else f"× {_fraction(f)}"
        return words, f"x* = {full} − ({full} − x0) {tail}"
    if kind == "absolute":
        v = spec["value"]
        value = _num(v, lang)
        if direction == "higher" and v == FULL_SCALE:
            words = t("method.rules.universal_coverage", lang, value=value)
        elif direction == "lower" and v == 0:
            words = t("method.rules.universal_deprivation", lang, value=value)
        else:
            words = t("method.rules.absolute", lang, value=value)
        return words, f"x* = {value}"
    if kind == "parity":
        tol = spec.get("tolerance", 0.0)
        words = t(
            "method.rules.parity",
            lang,
            pct=percent(tol, lang),
            low=_num(1 - tol, lang, 2),
            high=_num(1 + tol, lang, 2),
        )
        return words, f"max(x, 1/x) ≤ {_num(1 + tol, lang, 2)}"
    return t("method.kind.trend.name", lang), "—"


def _rule_cells(rule, lang: str) -> tuple[str, str]:
    if "any" in rule.by_direction:
        return _rule_words(rule.by_direction["any"], None, lang)
    words, formulas = [], []
    for direction, key in (
        ("higher", "method.rules.coverage"),
        ("lower", "method.rules.deprivation"),
    ):
        spec = rule.by_direction.get(direction)
        if spec is None:
            continue
        w, f = _rule_words(spec, direction, lang)
        words.append(f"{t(key, lang)}: {w}")
        formulas.append(f"{t(key, lang)}: {f}")
    return "; ".join(words), "; ".join(formulas)


def _baseline_words(year: int | None, lang: str) -> str:
    if year is None:
        return t("method.frameworks.baseline_first", lang)
    return t("method.frameworks.baseline_from", lang, year=year)


def _framework_table(lang: str) -> Table:
    fws = m.frameworks()
    rows = []
    for fid in FRAMEWORKS:
        fw = fws.get(fid)
        if fw is None:
            continue
        rows.append(
            (
                t(f"target.framework.{fid}", lang),
                _baseline_words(fw.baseline_year, lang),
                str(fw.deadline) if fw.deadline else t("method.frameworks.deadline_user", lang),
                t(f"method.framework_desc.{fid}", lang),
                fw.citation,
            )
        )
    return Table(
        caption=t("method.frameworks.caption", lang),
        header=_header(
            lang,
            "method.frameworks.col_framework",
            "method.frameworks.col_baseline",
            "method.frameworks.col_deadline",
            "method.frameworks.col_content",
            "method.frameworks.col_reference",
        ),
        rows=tuple(rows),
        column_lang=(None, None, None, None, _foreign(lang)),
    )


def _rules_table(fid: str, catalog, lang: str) -> Table:
    fw = m.frameworks()[fid]
    national = any(r.country for r in fw.rules)
    rows = []
    for rule in fw.rules:
        words, formula = _rule_cells(rule, lang)
        names = "; ".join(_indicator_name(catalog, i, lang) for i in rule.indicators)
        row = (rule.code,)
        if national:
            row += (_country_name(rule.country, lang) if rule.country else "",)
        rows.append(row + (names, words, formula, rule.citation))
    cols = (
        ("method.rules.col_code",)
        + (("method.rules.col_country",) if national else ())
        + (
            "method.rules.col_indicators",
            "method.rules.col_rule",
            "method.rules.col_formula",
            "method.rules.col_reference",
        )
    )
    n = len(cols)
    return Table(
        caption=t("method.rules.caption", lang, framework=t(f"target.framework.{fid}", lang)),
        header=_header(lang, *cols),
        rows=tuple(rows),
        formula_columns=(n - 2,),
        column_lang=(None,) * (n - 1) + (_foreign(lang),),
    )


def _targets_section(catalog, lang: str) -> Section:
    fws = m.frameworks()
    full = _num(FULL_SCALE, lang)
    kinds = Table(
        caption=t("method.kind.caption", lang),
        header=_header(
            lang, "method.kind.col_kind", "method.kind.col_text", "method.kind.col_formula"
        ),
        rows=tuple(
            (t(f"method.kind.{k}.name", lang), t(f"method.kind.{k}.text", lang, full=full), formula)
            for k, formula in (
                ("ratio", "x* = x0 × f"),
                ("absolute", "x* = v"),
                ("shortfall_ratio", f"x* = {full} − ({full} − x0) × f"),
                ("parity", "max(x, 1/x) ≤ 1 + τ"),
                ("trend", "g = d × CAGR"),
            )
        ),
        formula_columns=(2,),
    )
    subs = []
    for fid in (*RULE_FRAMEWORKS, "local"):
        if fid not in fws:
            continue
        blocks: list[Block] = [Paragraph(t(f"method.framework_intro.{fid}", lang))]
        if fid == "sdg2030" and "mdg2015" in fws:
            in_sdg = {i for r in fws["sdg2030"].rules for i in r.indicators}
            only_mdg = [i for r in fws["mdg2015"].rules for i in r.indicators if i not in in_sdg]
            if only_mdg:
                names = ", ".join(
                    _indicator_name(catalog, i, lang) for i in dict.fromkeys(only_mdg)
                )
                blocks.append(
                    Paragraph(t("method.framework_intro.sdg_trend_only", lang, indicators=names))
                )
        if fid == "national":
            parent = fws[fid].inherits
            if parent:
                blocks.append(
                    Paragraph(
                        t(
                            "method.framework_intro.national_fallback",
                            lang,
                            framework=t(f"target.framework.{parent}", lang),
                        )
                    )
                )
            blocks.append(Paragraph(t("method.framework_intro.national_missing", lang)))
        if fws[fid].rules:
            blocks.append(_rules_table(fid, catalog, lang))
        subs.append(
            Section(
                id=f"framework-{fid}",
                title=t(f"target.framework.{fid}", lang),
                blocks=tuple(blocks),
            )
        )
    return Section(
        id="targets",
        title=t("method.section.targets", lang),
        blocks=(
            Paragraph(t("method.targets.intro", lang)),
            Paragraph(t("method.targets.kinds_intro", lang)),
            kinds,
            Paragraph(t("method.targets.direction", lang, full=full)),
            _framework_table(lang),
            Paragraph(t("method.targets.citation_note", lang)),
        ),
        subsections=tuple(subs),
    )


# --------------------------------------------------------------------------------------------
# (d) Baseline, (e) missing data


def _baseline_section(catalog, lang: str) -> Section:
    fws = m.frameworks()
    mdg = fws.get("mdg2015")
    year = mdg.baseline_year if mdg and mdg.baseline_year else None
    by_country: dict[str, list[int]] = {}
    for s in catalog.all_series():
        if s.level == "country":
            continue
        by_country.setdefault(s.country, []).extend(y for y in s.years if year is None or y >= year)
    rows = tuple(
        (_country_name(c, lang), str(min(ys)), str(max(ys)))
        for c in _country_order(by_country)
        if (ys := by_country[c])
    )
    sdg = fws.get("sdg2030")
    sdg_year = sdg.baseline_year if sdg and sdg.baseline_year else None
    window = sdg.baseline_window if sdg else 0
    rule = {
        "year": year if year is not None else "—",
        "sdg_year": sdg_year if sdg_year is not None else "—",
        "sdg_deadline": sdg.deadline if sdg and sdg.deadline else "—",
        "window": number(window, 0, lang),
        "earliest": sdg_year - window if sdg_year is not None else "—",
        "n": number(m.thresholds().min_points, 0, lang),
    }
    blocks: list[Block] = [
        Paragraph(t("method.baseline.rule", lang, **rule)),
        Paragraph(t("method.baseline.shown", lang)),
    ]
    if rows:
        blocks.append(
            Table(
                caption=t("method.baseline.table_caption", lang),
                header=_header(
                    lang,
                    "method.baseline.col_country",
                    "method.baseline.col_first",
                    "method.baseline.col_last",
                ),
                rows=rows,
            )
        )
    blocks += [
        Paragraph(
            t(
                "method.baseline.latest",
                lang,
                deadline=mdg.deadline if mdg and mdg.deadline else "—",
                achieved=t("target.status.achieved", lang),
                not_achieved=t("target.status.not_achieved", lang),
            )
        ),
        Paragraph(t("method.baseline.local", lang)),
    ]
    return Section(id="baseline", title=t("method.section.baseline", lang), blocks=tuple(blocks))


def _missing_section(lang: str) -> Section:
    th = m.thresholds()
    return Section(
        id="missing-data",
        title=t("method.section.missing", lang),
        blocks=(
            Paragraph(t("method.missing.missing", lang)),
            Paragraph(t("method.missing.range", lang)),
            Paragraph(
                t(
                    "method.missing.min_points",
                    lang,
                    n=number(th.min_points, 0, lang),
                    label=t("target.status.insufficient_data", lang),
                )
            ),
            Paragraph(t("method.missing.aggregates", lang)),
            Paragraph(t("method.missing.flags", lang)),
            Paragraph(
                t(
                    "method.missing.flag_rules",
                    lang,
                    events=number(MIN_EXPECTED_EVENTS, 0, lang),
                    p0=number(100 * math.exp(-MIN_EXPECTED_EVENTS), 1, lang),
                )
            ),
        ),
    )


# --------------------------------------------------------------------------------------------
# (b) Rates


RATE_FORMULAS = (
    ("linear_path", "x0 + (x* − x0)(t − t0)/(T − t0)"),
    ("constant_path", "x0 (x*/x0)^((t − t0)/(T − t0))"),
    ("cagr", "(xt/x0)^(1/(t − t0)) − 1"),
    ("arr", "ln(x0/xt)/(t − t0)"),
    ("required", "(x*/x0)^(1/(T − t0)) − 1;  ARR: ln(x0/x*)/(T − t0)"),
    ("still_required", "(x*/xt)^(1/(T − t)) − 1"),
    ("projected", "xp = x0 (xt/x0)^((T − t0)/(t − t0))"),
    ("linear_pace", "(xt − x0)/(t − t0)"),
    ("gap", "|x* − xt|;  |x* − xt| / |x* − x0|"),
    ("year_reached", "t0 + (t − t0) ln(x*/x0) / ln(xt/x0)"),
)


def _rate_examples(lang: str) -> Table | None:
    """Required rates of the MDG ratio rules, computed from targets.toml."""
    fw = m.frameworks().get("mdg2015")
    if fw is None or not fw.baseline_year or not fw.deadline:
        return None
    years = fw.deadline - fw.baseline_year
    factors = []
    for r in fw.rules:
        spec = r.by_direction.get("any") or r.by_direction.get("lower")
        if spec and spec["kind"] == "ratio" and spec["factor"] not in factors:
            factors.append(spec["factor"])
    if not factors:
        return None
    rows = []
    for f in sorted(factors, reverse=True):
        words, formula = _rule_words({"kind": "ratio", "factor": f}, None, lang)
        arr = math.log(1 / float(f)) / years
        cagr = float(f) ** (1 / years) - 1
        rows.append(
            (
                f"{words} ({formula})",
                str(years),
                f"ln {_num(float(1 / f), lang)} / {years} = {percent(arr, lang, 2)}",
                percent(cagr, lang, 2),
            )
        )
    return Table(
        caption=t("method.rates.examples_caption", lang, start=fw.baseline_year, end=fw.deadline),
        header=_header(
            lang,
            "method.rates.col_target",
            "method.rates.col_years",
            "method.rates.col_arr",
            "method.rates.col_cagr",
        ),
        rows=tuple(rows),
        formula_columns=(2,),
    )


def _rates_section(lang: str) -> Section:
    rows = tuple(
        (t(f"method.rates.q.{k}.name", lang), formula, t(f"method.rates.q.{k}.note", lang))
        for k, formula in RATE_FORMULAS
    )
    blocks: list[Block] = [
        Paragraph(t("method.rates.intro", lang)),
        Table(
            caption=t("method.rates.caption", lang),
            header=_header(
                lang,
                "method.rates.col_quantity",
                "method.rates.col_formula",
                "method.rates.col_note",
            ),
            rows=rows,
            formula_columns=(1,),
        ),
        Paragraph(t("method.rates.zero_baseline", lang)),
        Paragraph(t("method.rates.zero_target", lang)),
    ]
    examples = _rate_examples(lang)
    if examples is not None:
        blocks += [examples, Paragraph(t("method.rates.examples_note", lang))]
    return Section(id="rates", title=t("method.section.rates", lang), blocks=tuple(blocks))


# --------------------------------------------------------------------------------------------
# (c) Status classes, thresholds from atlas.method.thresholds()


def _status_section(lang: str) -> Section:
    th = m.thresholds()
    on = number(th.on_track, 2, lang)
    acc = number(th.must_accelerate, 2, lang)
    fields = dict(
        m.threshold_fields(lang, th),
        on=on,
        acc=acc,
        tol=number(th.bound_tolerance, 1, lang),
        full=_num(FULL_SCALE, lang),
    )
    conditions = {
        "achieved": t("method.status.condition.achieved", lang),
        "on_track": f"ρ ≥ {on}",
        "must_accelerate": f"{acc} ≤ ρ < {on}",
        "stagnation_regression": f"ρ < {acc}",
        "not_achieved": t("method.status.condition.not_achieved", lang),
        "insufficient_data": f"n < {fields['n']}",
    }
    rows = tuple(
        (t(f"target.status.{s}", lang), t(f"method.status.rule.{s}", lang, **fields), conditions[s])
        for s in (*TARGET_STATUSES, "insufficient_data")
    )
    parity_tol = next(
        (
            spec.get("tolerance", 0.0)
            for fw in m.frameworks().values()
            for r in fw.rules
            for spec in r.by_direction.values()
            if spec["kind"] == "parity"
        ),
        None,
    )
    blocks: list[Block] = [
        Paragraph(t("method.status.intro", lang)),
        Formulas(((t("method.status.rho_label", lang), "ρ = (xp − x0) / (x* − x0)"),)),
        Table(
            caption=t("method.status.caption", lang),
            header=_header(
                lang,
                "method.status.col_class",
                "method.status.col_rule",
                "method.status.col_condition",
            ),
            rows=rows,
            formula_columns=(2,),
        ),
        Paragraph(t("method.status.exceptions_intro", lang)),
        Items(
            tuple(
                t(f"method.status.exception.{k}", lang, **fields)
                for k in ("latest", "bound", "baseline_met")
            )
        ),
    ]
    if parity_tol is not None:
        blocks.append(
            Paragraph(
                t(
                    "method.status.parity",
                    lang,
                    pct=percent(parity_tol, lang),
                    low=_num(1 - parity_tol, lang, 2),
                    high=_num(1 + parity_tol, lang, 2),
                )
            )
        )
    blocks.append(Paragraph(t("method.status.pace", lang)))

    # classes without a numeric target (Statistics Canada)
    bounds = {
        "improving_fast": (th.trend_fast, None),
        "improving": (th.trend_moderate, th.trend_fast),
        "improving_slowly": (th.trend_slow, th.trend_moderate),
        "worsening": (None, th.trend_slow),
    }
    trend_rows = []
    for s in TREND_STATUSES:
        lo, hi = bounds[s]
        if hi is None:
            cond, pct = f"g ≥ {_num(lo, lang, 4)}", f"≥ {percent(lo, lang)}"
        elif lo is None:
            cond, pct = f"g < {_num(hi, lang, 4)}", f"< {percent(hi, lang)}"
        else:
            cond = f"{_num(lo, lang, 4)} ≤ g < {_num(hi, lang, 4)}"
            pct = f"{percent(lo, lang)} – {percent(hi, lang)}"
        trend_rows.append((t(f"target.status.{s}", lang), cond, pct))
    trend = Section(
        id="trend-classes",
        title=t("method.section.trend", lang),
        blocks=(
            Paragraph(t("method.trend.intro", lang)),
            Formulas(((t("method.trend.g_label", lang), "g = d × ((xt/x0)^(1/(t − t0)) − 1)"),)),
            Table(
                caption=t("method.trend.caption", lang),
                header=_header(
                    lang,
                    "method.trend.col_class",
                    "method.trend.col_condition",
                    "method.trend.col_percent",
                ),
                rows=tuple(trend_rows),
                formula_columns=(1,),
            ),
            Items(
                tuple(
                    t(f"method.trend.{k}", lang, full=fields["full"])
                    for k in ("best_bound", "zero_baseline", "no_scaling", "not_target")
                )
            ),
        ),
    )
    return Section(
        id="status",
        title=t("method.section.status", lang),
        blocks=tuple(blocks),
        subsections=(trend,),
    )


# --------------------------------------------------------------------------------------------
# (f) Aggregates and inequality


INEQUALITY_FORMULAS = (
    ("gini", "G = Σi Σj pi pj |xi − xj| / (2 P² μ)"),
    ("theil", "T = Σi (pi/P)(xi/μ) ln(xi/μ)"),
    ("theil_between", "TB = Σg (Pg/P)(μg/μ) ln(μg/μ)"),
    ("theil_within", "TW = Σg (Pg μg)/(P μ) Tg;  T = TB + TW"),
    ("cv", "CV = σ / μ"),
    ("p90p10", "P90 / P10"),
    ("maxmin", "max(x) / min(x)"),
    ("off_track", "Σ p (off track) / Σ p (assessed)"),
    ("sigma", "σt, CVt, Gt, Tt, sd(ln x)t"),
    ("beta", "(xt − x0)/(t − t0) = a + b x0 + e"),
)


def _aggregates_section(lang: str) -> Section:
    return Section(
        id="aggregates",
        title=t("method.section.aggregates", lang),
        blocks=(
            Paragraph(t("method.aggregates.text", lang)),
            Formulas(((t("method.aggregates.formula_label", lang), "Σi pi xi / Σi pi"),)),
            Paragraph(t("method.aggregates.missing", lang)),
            Paragraph(t("method.aggregates.weights", lang)),
        ),
    )


def _inequality_section(lang: str) -> Section:
    classes = ", ".join(f"«{t(f'target.status.{s}', lang)}»" for s in OFF_TRACK_STATUSES)
    rows = tuple(
        (
            t(f"method.inequality.m.{k}.name", lang),
            formula,
            t(f"method.inequality.m.{k}.note", lang, classes=classes),
        )
        for k, formula in INEQUALITY_FORMULAS
    )
    return Section(
        id="inequality",
        title=t("method.section.inequality", lang),
        blocks=(
            Paragraph(t("method.inequality.intro", lang)),
            Table(
                caption=t("method.inequality.caption", lang),
                header=_header(
                    lang,
                    "method.inequality.col_measure",
                    "method.inequality.col_formula",
                    "method.inequality.col_note",
                ),
                rows=rows,
                formula_columns=(1,),
            ),
            Paragraph(t("method.inequality.notation", lang)),
            Paragraph(t("method.inequality.pysal", lang)),
        ),
    )


# --------------------------------------------------------------------------------------------
# (g) Uncertainty


def _uncertainty_section(lang: str) -> Section:
    return Section(
        id="uncertainty",
        title=t("method.section.uncertainty", lang),
        blocks=tuple(
            Paragraph(t(f"method.uncertainty.{k}", lang))
            for k in ("intro", "overlap", "z", "target", "no_interval")
        ),
    )


# --------------------------------------------------------------------------------------------
# (h) Sources per country


def _sources_section(registry_sources: Mapping[str, Mapping], lang: str) -> Section:
    by_country: dict[str, list[tuple[str, Mapping]]] = {}
    for sid, s in registry_sources.items():
        by_country.setdefault(str(s.get("country", "")), []).append((sid, s))
    header = _header(
        lang,
        "method.sources.col_dataset",
        "method.sources.col_producer",
        "method.sources.col_vintage",
        "method.sources.col_licence",
        "method.sources.col_level",
        "method.sources.col_url",
    )
    subs = []
    for country in _country_order(by_country):
        rows = tuple(
            (
                s.get("dataset") or sid,
                s.get("producer", ""),
                s.get("vintage", ""),
                s.get("licence", ""),
                _level_name(s.get("level", ""), lang),
                _url_cell(s.get("url", "")),
            )
            for sid, s in sorted(by_country[country], key=lambda kv: kv[0])
        )
        name = _country_name(country, lang)
        blocks: list[Block] = []
        if country == NATIONAL:
            blocks.append(Paragraph(t("method.sources.national_note", lang)))
        blocks.append(
            Table(caption=t("method.sources.caption", lang, country=name), header=header, rows=rows)
        )
        subs.append(Section(id=f"sources-{country.lower()}", title=name, blocks=tuple(blocks)))
    intro: list[Block] = [Paragraph(t("method.sources.intro", lang))]
    if not subs:
        intro.append(Paragraph(t("method.sources.none", lang)))
    return Section(
        id="sources",
        title=t("method.section.sources", lang),
        blocks=tuple(intro),
        subsections=tuple(subs),
    )


# --------------------------------------------------------------------------------------------
# (i) Comparability


def _comparability_section(catalog, registry_sources: Mapping[str, Mapping], lang: str) -> Section:
    comparable = [
        catalog_label(ind.label, lang) for ind in catalog if ind.comparable_across_countries
    ]
    blocks: list[Block] = [
        Paragraph(t("method.comparability.intro", lang)),
        Paragraph(t("method.comparability.countries_intro", lang)),
        Items(
            tuple(
                t(f"method.comparability.countries.{k}", lang)
                for k in ("lines", "ages", "households", "census_survey", "currency", "coverage")
            )
        ),
        Paragraph(t("method.comparability.vintages_intro", lang)),
        Items(
            tuple(
                t(f"method.comparability.vintages.{k}", lang)
                for k in ("ppp", "census_survey", "methods", "models", "boundaries")
            )
        ),
    ]
    if comparable:
        blocks.append(
            Paragraph(t("method.comparability.comparable", lang, indicators=", ".join(comparable)))
        )
    blocks.append(Paragraph(t("method.comparability.per_country", lang)))

    by_country: dict[str, list] = {}
    for s in catalog.all_series():
        if any(s.comparability.values()):
            by_country.setdefault(s.country, []).append(s)
    goal = {ind.id: ind.goal for ind in catalog}
    header = _header(
        lang,
        "method.comparability.col_indicator",
        "method.comparability.col_level",
        "method.comparability.col_source",
        "method.comparability.col_years",
        "method.comparability.col_note",
    )
    subs = []
    for country in _country_order(by_country):
        series = sorted(
            by_country[country],
            key=lambda s: (
                LEVEL_ORDER.index(s.level) if s.level in LEVEL_ORDER else len(LEVEL_ORDER),
                goal.get(s.indicator, 99),
                s.indicator,
                s.years[:1],
            ),
        )
        rows = tuple(
            (
                _indicator_name(catalog, s.indicator, lang),
                _level_name(s.level, lang),
                (registry_sources.get(s.source) or {}).get("dataset") or s.source,
                year_ranges(s.years, min_run=3),
                catalog_label(s.comparability, lang),
            )
            for s in series
        )
        name = _country_name(country, lang)
        subs.append(
            Section(
                id=f"comparability-{country.lower()}",
                title=name,
                blocks=(
                    Table(
                        caption=t("method.comparability.caption", lang, country=name),
                        header=header,
                        rows=rows,
                    ),
                ),
            )
        )
    return Section(
        id="comparability",
        title=t("method.section.comparability", lang),
        blocks=tuple(blocks),
        subsections=tuple(subs),
    )


# --------------------------------------------------------------------------------------------
# Peers across borders (geodata/peers.py computes them; atlas.peers holds the numbers)

PEER_FORMULAS = (
    ("zscore", "z = (x − mean) / sd;  population: x = ln(inhabitants)"),
    ("distance", "d(a, b) = √( Σf∈F (za,f − zb,f)² / |F| )"),
    ("pace", "(xt/x0)^(1/(t − t0)) − 1"),
)


def _peers_section(catalog, lang: str) -> Section:
    features = ", ".join(_indicator_name(catalog, i, lang) for i in FEATURES)
    paced = ", ".join(_indicator_name(catalog, i, lang) for i in PACE_FEATURES)
    return Section(
        id="peers",
        title=t("method.section.peers", lang),
        blocks=(
            Paragraph(t("method.peers.intro", lang)),
            Paragraph(t("method.peers.features", lang, features=features)),
            Paragraph(t("method.peers.like", lang, k_same=K_SAME, k_other=K_OTHER)),
            Formulas(tuple((t(f"method.peers.q.{k}", lang), f) for k, f in PEER_FORMULAS)),
            Paragraph(
                t(
                    "method.peers.better",
                    lang,
                    indicators=paced,
                    window=percent(BASELINE_WINDOW, lang),
                    years=BASELINE_YEARS,
                    k_better=K_BETTER,
                )
            ),
            Paragraph(t("method.peers.limits_intro", lang)),
            Items(
                tuple(
                    t(f"method.peers.limits.{k}", lang)
                    for k in ("years", "methods", "coverage", "few", "pace", "causes")
                )
            ),
        ),
    )


# --------------------------------------------------------------------------------------------
# Limits, references, the page


def _limits_section(lang: str) -> Section:
    return Section(
        id="limits",
        title=t("method.section.limits", lang),
        blocks=(
            Items(
                tuple(
                    t(f"method.limits.{k}", lang)
                    for k in ("two_points", "countries", "projections", "targets", "sources")
                )
            ),
        ),
    )


def _references_section(lang: str) -> Section:
    return Section(
        id="references",
        title=t("method.section.references", lang),
        blocks=(
            Paragraph(t("method.references.intro", lang)),
            Items(tuple(t(f"method.references.items.{k}", lang) for k in REFERENCES)),
        ),
    )


def page_title(lang: str) -> str:
    return t("method.page.title", lang)


def methodology(lang: str, catalog, registry_sources: Mapping[str, Mapping]) -> list[Section]:
    """The methodology page in ``lang`` (es, pt, en; anything else: es), section by section.

    ``catalog`` is an :class:`atlas.catalog.Catalog`; ``registry_sources`` has the shape of
    ``Store.manifest["sources"]``: ``{source_id: {country, level, producer, dataset, vintage,
    licence, url}}``.
    """
    lang = lang_or_default(lang)
    return [
        _targets_section(catalog, lang),
        _baseline_section(catalog, lang),
        _missing_section(lang),
        _rates_section(lang),
        _status_section(lang),
        _aggregates_section(lang),
        _inequality_section(lang),
        _uncertainty_section(lang),
        _sources_section(registry_sources, lang),
        _comparability_section(catalog, registry_sources, lang),
        _peers_section(catalog, lang),
        _limits_section(lang),
        _references_section(lang),
    ]
