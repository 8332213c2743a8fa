"""Target frameworks: which value each indicator must reach, by when, and on whose authority.

Declared in ``targets.toml`` next to this module (the only file this package reads; the words
shown for statuses and frameworks are the ``target.*`` messages of :mod:`atlas.i18n`). A framework
(``mdg2015``, ``sdg2030``, ``national``, ``local``) has a baseline year, a deadline and rules; a
rule turns the baseline value ``x0`` of one indicator into its target value ``x*``:

* ``ratio``           ``x* = x0 * factor``  (halve: 1/2; two thirds less: 1/3; three quarters: 1/4)
* ``absolute``        ``x* = value``        (SDG 3.2 under-5 mortality 25; universal 100 or 0)
* ``shortfall_ratio`` ``x* = 100 - (100 - x0) * factor``  (MDG 7.C for coverage indicators)
* ``parity``          a band around 1, scored on ``max(x, 1/x) <= 1 + tolerance``
* ``trend``           no numeric target: the unit gets a trend-only class

A rule may give one kind per normative direction ("universal" = 100 for coverage, 0 for a
deprivation published as "% without"), so :func:`target_for` takes the indicator's direction.
Ratios are kept as exact fractions so that ``60 * 1/3`` is exactly 20.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Literal

from atlas.i18n import number, percent, t

TARGETS_FILE = Path(__file__).with_name("targets.toml")
FRAMEWORKS = ("mdg2015", "sdg2030", "national", "local")
NUMERIC_KINDS = ("ratio", "absolute", "shortfall_ratio", "parity")
FULL_SCALE = 100.0  # upper bound of shares in percent, for "shortfall" and "universal" targets

Kind = Literal["ratio", "absolute", "shortfall_ratio", "parity", "trend"]


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs of the progress classes (see ``[thresholds]`` in targets.toml for the sources)."""

    on_track: float = 0.95
    must_accelerate: float = 0.10
    bound_tolerance: float = 1.0
    min_points: int = 2
    trend_fast: float = 0.015
    trend_moderate: float = 0.005
    trend_slow: float = 0.0


@dataclass(frozen=True)
class Target:
    """A concrete target for one indicator: how to get ``x*`` from the baseline, and by when.

    ``baseline_year`` is the year the baseline should come from: the observation of that year, or
    the first one after it that leaves enough later ones to measure a pace, or else the closest one
    before it at most ``baseline_window`` years earlier (``None``: the first observation; see
    :mod:`atlas.method.progress`). ``framework`` is where the rule
    was found: a ``national`` request falls back to ``mdg2015`` rules where no national commitment
    is documented, and the returned target says so.
    """

    indicator: str
    framework: str
    kind: Kind
    baseline_year: int | None
    deadline: int | None
    factor: Fraction | None = None
    value: float | None = None
    tolerance: float = 0.0
    code: str = ""
    citation: str = ""
    country: str | None = None
    baseline_window: int = 0

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    def target_value(self, baseline: float) -> float | None:
        """``x*`` for a baseline value ``x0`` (in the parity scale ``max(x, 1/x)`` for parity)."""
        if self.kind == "ratio":
            return baseline * self.factor.numerator / self.factor.denominator
        if self.kind == "shortfall_ratio":
            f = self.factor
            return FULL_SCALE - (FULL_SCALE - baseline) * f.numerator / f.denominator
        if self.kind == "absolute":
            return float(self.value)
        if self.kind == "parity":
            return 1.0 + self.tolerance
        return None


@dataclass(frozen=True)
class Rule:
    """One ``[[framework.<id>.rule]]`` entry, before the indicator's direction is known."""

    code: str
    indicators: tuple[str, ...]
    by_direction: dict[str, dict]  # "any" | "higher" | "lower" -> {kind, factor, value, tolerance}
    citation: str
    country: str | None = None

    def spec(self, direction: str) -> dict | None:
        return self.by_direction.get("any") or self.by_direction.get(direction)


@dataclass(frozen=True)
class Framework:
    id: str
    baseline_year: int | None
    deadline: int | None
    citation: str
    rules: tuple[Rule, ...]
    inherits: str | None = None
    baseline_window: int = 0


@dataclass(frozen=True)
class MethodConfig:
    frameworks: dict[str, Framework]
    thresholds: Thresholds


def _fraction(raw: object) -> Fraction:
    if isinstance(raw, str):
        return Fraction(raw.replace(" ", ""))
    if isinstance(raw, int):
        return Fraction(raw)
    if isinstance(raw, float):
        return Fraction(raw).limit_denominator(10_000)
    raise ValueError(f"A factor must be a number or a fraction string such as '1/3', not {raw!r}.")


def _spec(raw: dict, where: str) -> dict:
    kind = raw.get("kind")
    if kind not in NUMERIC_KINDS:
        raise ValueError(f"{where}: kind must be one of {NUMERIC_KINDS}, not {kind!r}.")
    spec: dict = {"kind": kind}
    if kind in ("ratio", "shortfall_ratio"):
        if "factor" not in raw:
            raise ValueError(f"{where}: kind {kind!r} needs a factor.")
        spec["factor"] = _fraction(raw["factor"])
    if kind == "absolute":
        if "value" not in raw:
            raise ValueError(f"{where}: kind 'absolute' needs a value.")
        spec["value"] = float(raw["value"])
    if kind == "parity":
        spec["tolerance"] = float(raw.get("tolerance", 0.0))
    return spec


def load_config(path: Path = TARGETS_FILE) -> MethodConfig:
    """Read and check ``targets.toml``."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)

    raw_th = data.get("thresholds", {})
    unknown = set(raw_th) - set(Thresholds.__dataclass_fields__)
    if unknown:
        raise ValueError(f"Unknown threshold(s) in {path.name}: {sorted(unknown)}.")
    thresholds = Thresholds(**raw_th)

    frameworks: dict[str, Framework] = {}
    for fid, raw in data.get("framework", {}).items():
        if fid not in FRAMEWORKS:
            raise ValueError(f"Framework {fid!r} is not one of {FRAMEWORKS}.")
        rules = []
        for i, r in enumerate(raw.get("rule", [])):
            where = f"{path.name} framework {fid!r} rule {i + 1} ({r.get('code', '')})"
            if not r.get("citation"):
                raise ValueError(f"{where}: every rule needs a citation.")
            if "kind" in r:
                by_direction = {"any": _spec(r, where)}
            else:
                by_direction = {
                    d: _spec(r[d], f"{where} [{d}]") for d in ("higher", "lower") if d in r
                }
                if not by_direction:
                    raise ValueError(f"{where}: give a kind, or a kind per direction.")
            rules.append(
                Rule(
                    code=str(r.get("code", "")),
                    indicators=tuple(r["indicators"]),
                    by_direction=by_direction,
                    citation=r["citation"],
                    country=r.get("country"),
                )
            )
        frameworks[fid] = Framework(
            id=fid,
            baseline_year=raw.get("baseline_year"),
            deadline=raw.get("deadline"),
            citation=raw.get("citation", ""),
            rules=tuple(rules),
            inherits=raw.get("inherits"),
            baseline_window=int(raw.get("baseline_window", 0)),
        )
    for fw in frameworks.values():
        if fw.inherits and fw.inherits not in frameworks:
            raise ValueError(f"Framework {fw.id!r} inherits unknown framework {fw.inherits!r}.")
        if fw.baseline_window < 0:
            raise ValueError(f"Framework {fw.id!r}: baseline_window must not be negative.")

    return MethodConfig(frameworks=frameworks, thresholds=thresholds)


@lru_cache(maxsize=1)
def config() -> MethodConfig:
    """The method configuration, read once per process (it is immutable)."""
    return load_config()


def thresholds() -> Thresholds:
    """The progress-class thresholds (the single place they are defined is targets.toml)."""
    return config().thresholds


def threshold_fields(lang: str, th: Thresholds | None = None) -> dict[str, str]:
    """The thresholds as a text prints them in ``lang``, for the ``{placeholders}`` of the status
    help texts (``target.status_help.*``) and of the methodology: ``on_pct`` "95 %", ``acc_pct``
    "10 %", ``fast_pct`` "1,5 %", ``moderate_pct`` "0,5 %", ``n`` (the fewest points) "2",
    ``tol`` (the tolerance of 0/100 targets, in points) "1", ``full`` "100".
    ``th`` defaults to :func:`thresholds`."""
    th = th or thresholds()
    return {
        "tol": number(
            th.bound_tolerance, 0 if th.bound_tolerance == int(th.bound_tolerance) else 1, lang
        ),
        "full": number(FULL_SCALE, 0, lang),
        "on_pct": percent(th.on_track, lang),
        "acc_pct": percent(th.must_accelerate, lang),
        "fast_pct": percent(th.trend_fast, lang),
        "moderate_pct": percent(th.trend_moderate, lang),
        "n": number(th.min_points, 0, lang),
    }


def frameworks() -> dict[str, Framework]:
    return config().frameworks


def _framework(framework: str) -> Framework:
    try:
        return config().frameworks[framework]
    except KeyError:
        raise KeyError(
            f"Target framework {framework!r} does not exist; use one of {FRAMEWORKS}."
        ) from None


def _from_rule(rule: Rule, spec: dict, fw: Framework, indicator: str) -> Target:
    return Target(
        indicator=indicator,
        framework=fw.id,
        kind=spec["kind"],
        baseline_year=fw.baseline_year,
        deadline=fw.deadline,
        factor=spec.get("factor"),
        value=spec.get("value"),
        tolerance=spec.get("tolerance", 0.0),
        code=rule.code,
        citation=rule.citation,
        country=rule.country,
        baseline_window=fw.baseline_window,
    )


def target_for(
    framework: str, indicator: str, *, direction: str, country: str | None = None
) -> Target:
    """The target of ``indicator`` under ``framework``; kind ``"trend"`` when none is numeric.

    ``direction`` is the indicator's normative direction from the catalog ("higher"/"lower"/"none").
    For ``national``, ``country`` (ISO3) selects documented national commitments; indicators without
    one get the inherited global rule (its ``framework`` field then says ``mdg2015``).
    """
    if framework == "local":
        raise ValueError("Local targets come from the user: build them with local_target().")
    fw = _framework(framework)
    chain = [fw]
    while chain[-1].inherits:
        chain.append(_framework(chain[-1].inherits))
    for f in chain:
        for rule in f.rules:
            if indicator not in rule.indicators:
                continue
            if rule.country is not None and rule.country != country:
                continue
            spec = rule.spec(direction)
            if spec is not None:
                return _from_rule(rule, spec, f, indicator)
    return Target(
        indicator=indicator,
        framework=fw.id,
        kind="trend",
        baseline_year=fw.baseline_year,
        deadline=fw.deadline,
        citation="No numeric target in this framework: trend-only classes "
        "(Statistics Canada / Open SDG).",
        baseline_window=fw.baseline_window,
    )


def local_target(
    indicator: str, value: float, year: int, *, baseline_year: int | None = None
) -> Target:
    """A user-given target: reach ``value`` by ``year`` (baseline: first observation, or the first
    in or after ``baseline_year``)."""
    if baseline_year is not None and baseline_year >= year:
        raise ValueError(
            f"The target year {year} must come after the baseline year {baseline_year}."
        )
    return Target(
        indicator=indicator,
        framework="local",
        kind="absolute",
        baseline_year=baseline_year,
        deadline=int(year),
        value=float(value),
        code="local",
        citation=frameworks()["local"].citation,
    )


def trend_only(
    indicator: str, *, baseline_year: int | None = None, deadline: int | None = None
) -> Target:
    """No numeric target: trend classes over ``[baseline_year, deadline]`` (open ends allowed)."""
    return Target(
        indicator=indicator,
        framework="none",
        kind="trend",
        baseline_year=baseline_year,
        deadline=deadline,
        citation="No numeric target: trend-only classes (Statistics Canada / Open SDG).",
    )


def target_note(target: Target, lang: str) -> str:
    """What a page says of where a target comes from: the rule's citation (a reference, kept as
    published), or, for a target without a rule (trend-only classes, a local target typed by the
    reader), a sentence in ``lang``."""
    if target.kind == "trend":
        return t("target.note.trend_only", lang)
    if target.framework == "local":
        return t("target.note.local", lang)
    return target.citation or t(f"target.framework.{target.framework}", lang)
