"""The open data API (``/api/v1``): the store's numbers for data desks and other systems.

Plain Python, no Dash and no Flask: each resource is a function of the store, the catalog and the
query's parameters (strings, as a URL gives them) that returns a :class:`Result` of plain rows;
callbacks/api.py only reads the request, calls :func:`answer` and sends JSON or CSV. The API is
read-only and its answers change only when the store does, so an answer's ETag is a hash of the
store's fingerprint and the canonical query (:func:`etag`).

Resources (every parameter and column is described by :func:`openapi`, served as
``/api/v1/openapi.json``):

- ``indicators``: the catalog (goal, MDG target, unit, direction, labels in es/pt/en), the
  targets each framework sets (:func:`atlas.method.target_for`, numeric ones only) and the
  countries, levels and years the store holds;
- ``units``: the units with their official code (text: leading zeros kept), parent state and
  population; ``units/<id>`` one of them;
- ``observations``: one row per unit, indicator and year, with its interval, flag, source and
  licence; paginated (``limit`` at most :data:`MAX_LIMIT`, ``offset``, a ``next`` link);
- ``progress``: one row per unit of a layer against a framework's target: status, baseline and
  latest value, target, deadline and the observed and required pace, stated as the unit panel
  states it (:func:`atlas.analysis.layer_progress`, :func:`atlas.place.pace`);
- ``contributed/<country>/<indicator>``: the series local governments published themselves
  (:mod:`atlas.publish`), read from the database, never mixed with the official ones:
  each row carries its version, date, source, licence and contributor, and the answer says it
  is contributed (``kind``). Its ETag hashes the answer itself, since the database changes
  without the store.

Missing values are null in JSON and empty in CSV, never 0. A bad parameter is an
:class:`ApiError` naming it and the values it allows.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from atlas import analysis
from atlas.catalog import Catalog
from atlas.exports import safe
from atlas.geography import LEVELS
from atlas.i18n import DEFAULT_LANG, LANGS, t
from atlas.method import target_for
from atlas.method.targets import FRAMEWORKS
from atlas.place import pace
from atlas.store import UNIT_COLUMNS as STORE_UNIT_COLUMNS
from atlas.store import Store
from atlas.text import source_label
from atlas.urls import API_ROOT, URLs

VERSION = "v1"
RESOURCES = ("indicators", "units", "observations", "progress")
FORMATS = ("json", "csv")
DEFAULT_LIMIT = 1000
MAX_LIMIT = 5000
#: The longest name search.
MAX_QUERY = 100
#: A local target's year must be a plausible plan's.
LOCAL_YEARS = (1990, 2100)
#: How long a client or a cache may keep an answer (seconds); the ETag revalidates it after.
MAX_AGE = 3600
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}

COMMON = ("format", "lang")
PARAMETERS = {
    "indicators": COMMON,
    "units": (*COMMON, "country", "level", "q", "limit", "offset"),
    "unit": COMMON,
    "observations": (*COMMON, "country", "level", "indicator", "year", "unit", "limit", "offset"),
    "contributed": COMMON,
    "progress": (
        *COMMON,
        "indicator",
        "country",
        "level",
        "framework",
        "local_value",
        "local_year",
    ),
}

INDICATOR_COLUMNS = (
    "id",
    "goal",
    "mdg_target",
    "unit",
    "direction",
    "comparable_across_countries",
    "label_es",
    "label_pt",
    "label_en",
    "targets",
    "available",
)
#: The units' columns the API gives: the store's, but its area (computed from the map's
#: boundaries) and the search's other names.
UNIT_COLUMNS = tuple(c for c in STORE_UNIT_COLUMNS if c not in ("area_km2", "other_names"))
OBSERVATION_COLUMNS = (
    "unit_id",
    "indicator",
    "year",
    "value",
    "ci_low",
    "ci_high",
    "flag",
    "source_id",
    "source",
    "licence",
)
CONTRIBUTED_COLUMNS = (
    "unit_id",
    "indicator",
    "year",
    "value",
    "ci_low",
    "ci_high",
    "version",
    "published",
    "contributor",
    "label",
    "source",
    "licence",
    "dataset_id",
)
PROGRESS_COLUMNS = (
    "unit_id",
    "name",
    "admin1_name",
    "status",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "target_value",
    "deadline",
    "pace_kind",
    "observed_pace",
    "required_pace",
    "fast_enough",
)


class ApiError(Exception):
    """A request the API cannot answer: ``status`` (400 or 404), the ``parameter`` at fault,
    the message in the reader's language and, where the parameter takes a fixed set of values,
    those values."""

    def __init__(
        self,
        status: int,
        parameter: str,
        message: str,
        allowed: list | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.parameter = parameter
        self.message = message
        self.allowed = allowed

    def with_status(self, status: int) -> ApiError:
        self.status = status
        return self

    def body(self) -> dict:
        error = {"status": self.status, "parameter": self.parameter, "message": self.message}
        if self.allowed is not None:
            error["allowed"] = self.allowed
        return {"error": error}


@dataclass(frozen=True)
class Result:
    """An answer: its rows (plain values, None for missing), the CSV's columns, and what goes
    beside the rows in JSON (``total``, ``limit``, ``offset``, ``next_query``, ``target``)."""

    rows: list[dict]
    columns: tuple[str, ...]
    meta: dict = field(default_factory=dict)
    #: One object rather than a list (``units/<id>``).
    single: bool = False

    def json_body(self, next_url: str | None = None) -> dict:
        if self.single:
            return self.rows[0]
        body = {k: v for k, v in self.meta.items() if k != "next_query"}
        if "limit" in self.meta:
            body["next"] = next_url
        body["data"] = self.rows
        return body

    def csv_body(self) -> str:
        """The rows as CSV (UTF-8, comma separated, header first); a text cell that a spreadsheet
        would run as a formula is quoted (:func:`atlas.exports.safe`), missing cells are empty."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([_csv_cell(row.get(c)) for c in self.columns])
        return out.getvalue()


def _csv_cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        value = _flat(value)
    value = safe(value)
    return "" if value is None else value


def _flat(value) -> str:
    """A nested value as one CSV cell: ``key=value`` pairs, items separated by ``; ``."""
    if isinstance(value, dict):
        return " ".join(f"{k}={_flat(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    return str(value)


def _num(v) -> float | None:
    """A float, or None for a missing value (NaN, None, pandas' NA)."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _text(v) -> str | None:
    """A text, or None for an empty or missing one (pandas gives NaN for a missing text)."""
    return v if isinstance(v, str) and v else None


def _int(v) -> int | None:
    f = _num(v)
    return None if f is None else int(f)


# -- parameters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """A query's parameters, checked: the raw strings and the reader's language."""

    resource: str
    raw: Mapping[str, str]
    lang: str
    fmt: str

    def get(self, name: str) -> str | None:
        """The parameter as given (an empty value is a value: it must be an allowed one)."""
        return self.raw.get(name)


def _bad(lang: str, parameter: str, value: str, allowed: list) -> ApiError:
    shown = ", ".join(str(a) for a in allowed)
    return ApiError(
        400,
        parameter,
        t("api.error.unknown_value", lang, parameter=parameter, value=value[:60], allowed=shown),
        allowed,
    )


def parse(resource: str, raw: Mapping[str, str]) -> Params:
    """The common parameters of ``raw`` checked: no parameter the resource does not take (a
    misspelt one would otherwise be ignored silently), ``lang`` and ``format`` known."""
    lang_raw = raw.get("lang", DEFAULT_LANG)
    lang = lang_raw if lang_raw in LANGS else DEFAULT_LANG
    if lang_raw not in LANGS:
        raise _bad(lang, "lang", lang_raw, list(LANGS))
    allowed = PARAMETERS[resource]
    for name in raw:
        if name not in allowed:
            raise ApiError(
                400,
                name,
                t(
                    "api.error.unknown_parameter",
                    lang,
                    parameter=name[:60],
                    allowed=", ".join(allowed),
                ),
                list(allowed),
            )
    fmt = raw.get("format", "json")
    if fmt not in FORMATS:
        raise _bad(lang, "format", fmt, list(FORMATS))
    return Params(resource, raw, lang, fmt)


def _choice(p: Params, name: str, allowed: list[str], default: str | None = None) -> str | None:
    value = p.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise _bad(p.lang, name, value, allowed)
    return value


def _integer(p: Params, name: str, default: int | None, low: int, high: int) -> int | None:
    value = p.get(name)
    if value is None:
        return default
    try:
        n = int(value)
    except ValueError:
        raise ApiError(
            400, name, t("api.error.not_integer", p.lang, parameter=name, value=value[:60])
        ) from None
    if not low <= n <= high:
        raise ApiError(
            400,
            name,
            t("api.error.out_of_range", p.lang, parameter=name, value=n, low=low, high=high),
        )
    return n


def _country(store: Store, p: Params, required: bool) -> str | None:
    countries = store.countries()
    value = _choice(p, "country", countries)
    if value is None and required:
        raise ApiError(
            400,
            "country",
            t("api.error.required", p.lang, parameter="country", allowed=", ".join(countries)),
            countries,
        )
    return value


def _level(p: Params) -> str | None:
    """A filter's level: any of :data:`LEVELS` (a country without that level has no rows)."""
    return _choice(p, "level", list(LEVELS))


def _layer_level(store: Store, p: Params, country: str) -> str:
    """The level of a layer to assess: one the country has (default: its finest)."""
    allowed = [*store.levels(country), "country"]
    return _choice(p, "level", allowed, allowed[0])


def _page(p: Params, total: int) -> tuple[int, int, dict | None]:
    """``limit`` and ``offset`` checked, and the query of the next page (None on the last)."""
    limit = _integer(p, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _integer(p, "offset", 0, 0, 10**9)
    following = None
    if offset + limit < total:
        following = dict(p.raw)
        following["offset"] = str(offset + limit)
    return limit, offset, following


def _paged(p: Params, rows: list[dict], columns: tuple[str, ...], total: int) -> Result:
    limit, offset, following = _page(p, total)
    meta = {"total": total, "limit": limit, "offset": offset, "next_query": following}
    return Result(rows[offset : offset + limit], columns, meta)


# -- resources -------------------------------------------------------------------------------


def _targets(catalog: Catalog, store: Store, indicator: str) -> list[dict]:
    """The numeric targets of ``indicator``: one per global framework, and the national ones of
    countries that documented their own (where the national framework only inherits the global
    rule, the global target stands)."""
    ind = catalog[indicator]
    if ind.direction == "none":
        return []
    out = []
    asks = [("mdg2015", None), ("sdg2030", None)]
    asks += [("national", c) for c in store.countries() if c in ind.countries()]
    for framework, country in asks:
        tgt = target_for(framework, indicator, direction=ind.direction, country=country)
        if not tgt.is_numeric or tgt.framework != framework:
            continue
        out.append(
            {
                "framework": framework,
                "country": country,
                "code": tgt.code,
                "kind": tgt.kind,
                "factor": str(tgt.factor) if tgt.factor is not None else None,
                "value": tgt.value,
                "tolerance": tgt.tolerance if tgt.kind == "parity" else None,
                "baseline_year": tgt.baseline_year,
                "deadline": tgt.deadline,
                "citation": tgt.citation,
            }
        )
    return out


def indicators(store: Store, catalog: Catalog, p: Params) -> Result:
    rows = []
    for ind in catalog:
        available = [
            {"country": c, "level": lvl, "years": store.years(ind.id, c, lvl)}
            for c in store.countries()
            for lvl in [*store.levels(c), "country"]
            if store.years(ind.id, c, lvl)
        ]
        rows.append(
            {
                "id": ind.id,
                "goal": ind.goal,
                "mdg_target": ind.target or None,
                "unit": ind.unit,
                "direction": ind.direction,
                "comparable_across_countries": ind.comparable_across_countries,
                **{f"label_{lang}": ind.label[lang] for lang in LANGS},
                "targets": _targets(catalog, store, ind.id),
                "available": available,
            }
        )
    return Result(rows, INDICATOR_COLUMNS, {"total": len(rows)})


def _unit_row(r: dict) -> dict:
    return {
        "unit_id": r["unit_id"],
        "country": r["country"],
        "level": r["level"],
        "code": str(r["code"]),
        "name": r["name"],
        "admin1_code": _text(r["admin1_code"]),
        "admin1_name": _text(r["admin1_name"]),
        "population": _num(r["population"]),
        "population_year": _int(r["population_year"]),
    }


def units(store: Store, catalog: Catalog, p: Params) -> Result:
    country = _country(store, p, required=False)
    level = _level(p)
    q = p.get("q")
    if q is not None and len(q) > MAX_QUERY:
        raise ApiError(400, "q", t("api.error.too_long", p.lang, parameter="q", n=MAX_QUERY))
    table = store.units_table()
    if country:
        table = table[table["country"] == country]
    if level:
        table = table[table["level"] == level]
    if q:
        # the atlas's own search: accents and case ignored, "canela rs", best matches first
        hits = [h["unit_id"] for h in store.search(q, limit=len(table) or 1, country=country)]
        kept = set(table["unit_id"])
        table = table.set_index("unit_id", drop=False).reindex([u for u in hits if u in kept])
    records = table[list(UNIT_COLUMNS)].to_dict("records")
    rows = [_unit_row(r) for r in records]
    return _paged(p, rows, UNIT_COLUMNS, len(rows))


def unit(store: Store, catalog: Catalog, p: Params, unit_id: str) -> Result:
    try:
        row = store.unit(unit_id)
    except KeyError:
        raise ApiError(
            404, "unit_id", t("api.error.unknown_unit", p.lang, unit=unit_id[:40])
        ) from None
    return Result([_unit_row(row)], UNIT_COLUMNS, single=True)


def observations(store: Store, catalog: Catalog, p: Params) -> Result:
    unit_id = p.get("unit")
    if unit_id is not None:
        try:
            home = store.unit(unit_id)
        except KeyError:
            raise ApiError(
                404, "unit", t("api.error.unknown_unit", p.lang, unit=unit_id[:40])
            ) from None
    country = _country(store, p, required=unit_id is None)
    level = _level(p)
    indicator = _choice(p, "indicator", list(catalog.indicators))
    year = _integer(p, "year", None, 0, 9999)
    if unit_id is not None:
        ids = (
            [unit_id]
            if country in (None, home["country"]) and level in (None, home["level"])
            else []
        )
    else:
        have = [*store.levels(country), "country"]
        levels = [lvl for lvl in have if level in (None, lvl)]
        ids = [u for lvl in levels for u in store.layer(country, lvl).unit_ids]
    wanted = [indicator] if indicator else list(catalog.indicators)
    obs = store.series_of(ids, wanted) if ids else store.series_of([], [])
    if year is not None:
        obs = obs[obs["year"].to_numpy() == year]
    total = len(obs)
    limit, offset, following = _page(p, total)
    page = obs.iloc[offset : offset + limit]
    sources = {}
    rows = []
    for u, i, y, v, lo, hi, s, fl in page[
        ["unit_id", "indicator_id", "year", "value", "ci_low", "ci_high", "source_id", "flag"]
    ].itertuples(index=False):
        if s not in sources:
            try:
                licence = store.source(s).get("licence") or None
            except KeyError:
                licence = None
            sources[s] = (source_label(store, s), licence)
        rows.append(
            {
                "unit_id": u,
                "indicator": i,
                "year": int(y),
                "value": _num(v),
                "ci_low": _num(lo),
                "ci_high": _num(hi),
                "flag": _text(fl),
                "source_id": s,
                "source": sources[s][0],
                "licence": sources[s][1],
            }
        )
    meta = {"total": total, "limit": limit, "offset": offset, "next_query": following}
    return Result(rows, OBSERVATION_COLUMNS, meta)


def progress(store: Store, catalog: Catalog, p: Params) -> Result:
    assessable = [i.id for i in catalog if i.direction != "none"]
    indicator = _choice(p, "indicator", assessable)
    if indicator is None:
        raise ApiError(
            400,
            "indicator",
            t("api.error.required", p.lang, parameter="indicator", allowed=", ".join(assessable)),
            assessable,
        )
    country = _country(store, p, required=True)
    level = _layer_level(store, p, country)
    framework = _choice(p, "framework", list(FRAMEWORKS), "mdg2015")
    local = None
    if framework == "local":
        value, year = p.get("local_value"), p.get("local_year")
        if value is None or year is None:
            missing = "local_value" if value is None else "local_year"
            raise ApiError(400, missing, t("api.error.local_needs", p.lang, parameter=missing))
        number = _num(value) if _is_number(value) else None
        if number is None:
            raise ApiError(
                400,
                "local_value",
                t("api.error.not_number", p.lang, parameter="local_value", value=value[:60]),
            )
        local = analysis.LocalTarget(number, _integer(p, "local_year", None, *LOCAL_YEARS))
    else:
        for name in ("local_value", "local_year"):
            if p.get(name) is not None:
                raise ApiError(400, name, t("api.error.local_only", p.lang, parameter=name))
    ind = catalog[indicator]
    if not ind.comparable_years(country, level):
        # as the map, which offers no progress there (income in each year's current prices)
        raise ApiError(
            400,
            "indicator",
            t("api.error.not_comparable", p.lang, indicator=indicator, country=country),
        )
    tgt = analysis.target(catalog, indicator, country, framework, local)
    layer = store.layer(country, level)
    result = analysis.layer_progress(
        store, catalog, indicator=indicator, country=country, level=level, tgt=tgt
    )
    rows = []
    records = result.to_dict("records")
    for uid, name, a1, r in zip(
        layer.unit_ids, layer.names, layer.admin1_names, records, strict=True
    ):
        pc = pace(r, ind.direction)
        required = pc.required if pc is not None else None
        rows.append(
            {
                "unit_id": uid,
                "name": name,
                "admin1_name": _text(a1),
                "status": r["status"],
                "baseline_year": _int(r["baseline_year"]),
                "baseline_value": _num(r["baseline_value"]),
                "latest_year": _int(r["latest_year"]),
                "latest_value": _num(r["latest_value"]),
                "target_value": _num(r["target_value"]),
                "deadline": _int(r["deadline"]),
                "pace_kind": pc.kind if pc is not None else None,
                "observed_pace": _num(pc.observed) if pc is not None else None,
                # -inf: no constant rate reaches a level of 0; JSON has no infinity, so null
                "required_pace": _num(required),
                "fast_enough": pc.fast_enough if pc is not None else None,
            }
        )
    meta = {
        "total": len(rows),
        "indicator": indicator,
        "country": country,
        "level": level,
        "framework": framework,
        "target": {
            "framework": tgt.framework,
            "kind": tgt.kind,
            "code": tgt.code or None,
            "factor": str(tgt.factor) if tgt.factor is not None else None,
            "value": tgt.value,
            "baseline_year": tgt.baseline_year,
            "deadline": tgt.deadline,
            "citation": tgt.citation,
        },
    }
    return Result(rows, PROGRESS_COLUMNS, meta)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


HANDLERS = {
    "indicators": indicators,
    "units": units,
    "observations": observations,
    "progress": progress,
}


def answer(store: Store, catalog: Catalog, resource: str, raw: Mapping[str, str]) -> Result:
    """The answer to ``resource`` for the query ``raw``; raises :class:`ApiError`."""
    p = parse(resource, raw)
    return HANDLERS[resource](store, catalog, p)


def answer_unit(store: Store, catalog: Catalog, unit_id: str, raw: Mapping[str, str]) -> Result:
    """``units/<id>``: one unit; raises :class:`ApiError` (404 for an unknown unit)."""
    return unit(store, catalog, parse("unit", raw), unit_id)


def answer_contributed(
    store: Store, catalog: Catalog, db, country: str, indicator: str, raw: Mapping[str, str]
) -> Result:
    """``contributed/<country>/<indicator>``: the contributed values served now (every
    contributor's current version), labelled; 404 for a country or indicator not known."""
    from atlas.publish import current_values

    p = parse("contributed", raw)
    if country not in store.countries():
        raise _bad(p.lang, "country", country, store.countries()).with_status(404)
    if indicator not in catalog.indicators:
        raise _bad(p.lang, "indicator", indicator, list(catalog.indicators)).with_status(404)
    with db.session() as s:
        values = current_values(s, country, indicator, store=store, lang=p.lang)
    rows = [
        {
            "unit_id": v.unit_id,
            "indicator": indicator,
            "year": v.year,
            "value": _num(v.value),
            "ci_low": _num(v.low),
            "ci_high": _num(v.high),
            "version": v.version,
            "published": v.published.isoformat(),
            "contributor": v.contributor,
            "label": v.label,
            "source": v.source,
            "licence": v.licence or None,
            "dataset_id": v.dataset_id,
        }
        for v in values
    ]
    meta = {
        "kind": "contributed",
        "note": t("api.contributed.note", p.lang),
        "country": country,
        "indicator": indicator,
        "total": len(rows),
    }
    return Result(rows, CONTRIBUTED_COLUMNS, meta)


def etag(store: Store, path: str, raw: Mapping[str, str]) -> str:
    """The answer's entity tag: the store's fingerprint, the path and the query in a canonical
    order (``?a=1&b=2`` and ``?b=2&a=1`` are one answer)."""
    canonical = "&".join(f"{k}={v}" for k, v in sorted(raw.items()))
    digest = hashlib.sha256(f"{store.fingerprint}\n{path}\n{canonical}".encode())
    return digest.hexdigest()[:32]


def lang_of(raw: Mapping[str, str]) -> str:
    lang = raw.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG


def not_found(path: str, lang: str) -> ApiError:
    return ApiError(404, "path", t("api.error.unknown_path", lang, path=path[:80]), list(RESOURCES))


# -- the OpenAPI document --------------------------------------------------------------------


def _param(name: str, where: str, description: str, schema: dict, required: bool = False):
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema,
    }


def _nullable(kind: str) -> dict:
    return {"type": [kind, "null"]}


def openapi(
    store: Store,
    catalog: Catalog,
    server: str = URLs().path(API_ROOT),
    lang: str = DEFAULT_LANG,
) -> dict:
    """The OpenAPI 3.1 document of the API in ``lang``: every path, parameter and response. The
    allowed values of ``country``, ``level``, ``indicator`` and ``framework`` are the store's and
    the catalog's, so the document says exactly what a request may ask."""

    countries = store.countries()
    inds = list(catalog.indicators)
    assessable = [i.id for i in catalog if i.direction != "none"]
    fmt = _param(
        "format",
        "query",
        t("api.doc.param.format", lang),
        {"type": "string", "enum": list(FORMATS)},
    )
    languages = {"type": "string", "enum": list(LANGS)}
    lang_param = _param("lang", "query", t("api.doc.param.lang", lang), languages)
    country = _param(
        "country", "query", t("api.doc.param.country", lang), {"type": "string", "enum": countries}
    )
    level = _param(
        "level", "query", t("api.doc.param.level", lang), {"type": "string", "enum": list(LEVELS)}
    )
    limit = _param(
        "limit",
        "query",
        t("api.doc.param.limit", lang, default=DEFAULT_LIMIT, max=MAX_LIMIT),
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    )
    offset = _param(
        "offset",
        "query",
        t("api.doc.param.offset", lang),
        {"type": "integer", "minimum": 0, "maximum": 10**9},
    )
    error = {"$ref": "#/components/responses/Error"}
    headers = {
        "ETag": {"schema": {"type": "string"}, "description": t("api.doc.header.etag", lang)},
        "Cache-Control": {"schema": {"type": "string"}, "description": "public, max-age"},
    }

    def ok(schema_ref: str, description: str, csv_ok: bool = True) -> dict:
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}
        if csv_ok:
            content["text/csv"] = {"schema": {"type": "string"}}
        return {
            "200": {"description": description, "headers": headers, "content": content},
            "304": {"description": t("api.doc.not_modified", lang)},
            "400": error,
            "404": error,
        }

    def page_of(row: str) -> dict:
        return {
            "type": "object",
            "required": ["total", "limit", "offset", "next", "data"],
            "properties": {
                "total": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"},
                "next": {"type": ["string", "null"], "description": t("api.doc.field.next", lang)},
                "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{row}"}},
            },
        }

    num, integer, text = _nullable("number"), _nullable("integer"), _nullable("string")
    target = {
        "type": "object",
        "properties": {
            "framework": {"type": "string"},
            "country": text,
            "code": text,
            "kind": {"type": "string"},
            "factor": text,
            "value": num,
            "tolerance": num,
            "baseline_year": integer,
            "deadline": integer,
            "citation": {"type": "string"},
        },
    }
    schemas = {
        "Indicator": {
            "type": "object",
            "required": list(INDICATOR_COLUMNS),
            "properties": {
                "id": {"type": "string"},
                "goal": {"type": "integer", "description": t("api.doc.field.goal", lang)},
                "mdg_target": text,
                "unit": {"type": "string"},
                "direction": {"type": "string", "enum": ["higher", "lower", "none"]},
                "comparable_across_countries": {"type": "boolean"},
                "label_es": {"type": "string"},
                "label_pt": {"type": "string"},
                "label_en": {"type": "string"},
                "targets": {"type": "array", "items": {"$ref": "#/components/schemas/Target"}},
                "available": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["country", "level", "years"],
                        "properties": {
                            "country": {"type": "string"},
                            "level": {"type": "string"},
                            "years": {"type": "array", "items": {"type": "integer"}},
                        },
                    },
                },
            },
        },
        "Target": target,
        "Indicators": {
            "type": "object",
            "required": ["total", "data"],
            "properties": {
                "total": {"type": "integer"},
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}},
            },
        },
        "Unit": {
            "type": "object",
            "required": list(UNIT_COLUMNS),
            "properties": {
                "unit_id": {"type": "string"},
                "country": {"type": "string"},
                "level": {"type": "string", "enum": list(LEVELS)},
                "code": {"type": "string", "description": t("api.doc.field.code", lang)},
                "name": {"type": "string"},
                "admin1_code": text,
                "admin1_name": text,
                "population": num,
                "population_year": integer,
            },
        },
        "Units": page_of("Unit"),
        "Observation": {
            "type": "object",
            "required": list(OBSERVATION_COLUMNS),
            "properties": {
                "unit_id": {"type": "string"},
                "indicator": {"type": "string"},
                "year": {"type": "integer"},
                "value": num,
                "ci_low": num,
                "ci_high": num,
                "flag": {**text, "description": t("api.doc.field.flag", lang)},
                "source_id": {"type": "string"},
                "source": {"type": "string"},
                "licence": text,
            },
        },
        "Observations": page_of("Observation"),
        "ProgressRow": {
            "type": "object",
            "required": list(PROGRESS_COLUMNS),
            "properties": {
                "unit_id": {"type": "string"},
                "name": {"type": "string"},
                "admin1_name": text,
                "status": {"type": "string"},
                "baseline_year": integer,
                "baseline_value": num,
                "latest_year": integer,
                "latest_value": num,
                "target_value": num,
                "deadline": integer,
                "pace_kind": {"type": ["string", "null"], "enum": ["relative", "points", None]},
                "observed_pace": num,
                "required_pace": num,
                "fast_enough": _nullable("boolean"),
            },
        },
        "Progress": {
            "type": "object",
            "required": ["total", "indicator", "country", "level", "framework", "target", "data"],
            "properties": {
                "total": {"type": "integer"},
                "indicator": {"type": "string"},
                "country": {"type": "string"},
                "level": {"type": "string"},
                "framework": {"type": "string"},
                "target": target,
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/ProgressRow"}},
            },
        },
        "ContributedValue": {
            "type": "object",
            "required": list(CONTRIBUTED_COLUMNS),
            "properties": {
                "unit_id": {"type": "string"},
                "indicator": {"type": "string"},
                "year": {"type": "integer"},
                "value": num,
                "ci_low": num,
                "ci_high": num,
                "version": {"type": "integer", "minimum": 1},
                "published": {"type": "string", "format": "date"},
                "contributor": {"type": "string"},
                "label": {"type": "string", "description": t("api.doc.field.label", lang)},
                "source": {"type": "string"},
                "licence": text,
                "dataset_id": {"type": "integer"},
            },
        },
        "Contributed": {
            "type": "object",
            "required": ["kind", "note", "country", "indicator", "total", "data"],
            "properties": {
                "kind": {"type": "string", "enum": ["contributed"]},
                "note": {"type": "string"},
                "country": {"type": "string"},
                "indicator": {"type": "string"},
                "total": {"type": "integer", "minimum": 0},
                "data": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ContributedValue"},
                },
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["status", "parameter", "message"],
                    "properties": {
                        "status": {"type": "integer"},
                        "parameter": {"type": "string"},
                        "message": {"type": "string"},
                        "allowed": {"type": "array"},
                    },
                }
            },
        },
    }
    paths = {
        "/indicators": {
            "get": {
                "summary": t("api.doc.indicators.summary", lang),
                "parameters": [fmt, lang_param],
                "responses": ok("Indicators", t("api.doc.indicators.response", lang)),
            }
        },
        "/units": {
            "get": {
                "summary": t("api.doc.units.summary", lang),
                "parameters": [
                    fmt,
                    lang_param,
                    country,
                    level,
                    _param(
                        "q",
                        "query",
                        t("api.doc.param.q", lang),
                        {"type": "string", "maxLength": MAX_QUERY},
                    ),
                    limit,
                    offset,
                ],
                "responses": ok("Units", t("api.doc.units.response", lang)),
            }
        },
        "/units/{unit_id}": {
            "get": {
                "summary": t("api.doc.unit.summary", lang),
                "parameters": [
                    _param(
                        "unit_id",
                        "path",
                        t("api.doc.param.unit_id", lang),
                        {"type": "string"},
                        True,
                    ),
                    fmt,
                    lang_param,
                ],
                "responses": ok("Unit", t("api.doc.unit.response", lang)),
            }
        },
        "/observations": {
            "get": {
                "summary": t("api.doc.observations.summary", lang),
                "description": t("api.doc.observations.description", lang),
                "parameters": [
                    fmt,
                    lang_param,
                    country,
                    level,
                    _param(
                        "indicator",
                        "query",
                        t("api.doc.param.indicator", lang),
                        {"type": "string", "enum": inds},
                    ),
                    _param(
                        "year",
                        "query",
                        t("api.doc.param.year", lang),
                        {"type": "integer", "minimum": 0, "maximum": 9999},
                    ),
                    _param("unit", "query", t("api.doc.param.unit", lang), {"type": "string"}),
                    limit,
                    offset,
                ],
                "responses": ok("Observations", t("api.doc.observations.response", lang)),
            }
        },
        "/progress": {
            "get": {
                "summary": t("api.doc.progress.summary", lang),
                "description": t("api.doc.progress.description", lang),
                "parameters": [
                    fmt,
                    lang_param,
                    _param(
                        "indicator",
                        "query",
                        t("api.doc.param.indicator_assessable", lang),
                        {"type": "string", "enum": assessable},
                        True,
                    ),
                    {**country, "required": True},
                    {**level, "description": t("api.doc.param.level_default", lang)},
                    _param(
                        "framework",
                        "query",
                        t("api.doc.param.framework", lang),
                        {"type": "string", "enum": list(FRAMEWORKS)},
                    ),
                    _param(
                        "local_value",
                        "query",
                        t("api.doc.param.local_value", lang),
                        {"type": "number"},
                    ),
                    _param(
                        "local_year",
                        "query",
                        t("api.doc.param.local_year", lang),
                        {"type": "integer", "minimum": LOCAL_YEARS[0], "maximum": LOCAL_YEARS[1]},
                    ),
                ],
                "responses": ok("Progress", t("api.doc.progress.response", lang)),
            }
        },
        "/contributed/{country}/{indicator}": {
            "get": {
                "summary": t("api.doc.contributed.summary", lang),
                "description": t("api.doc.contributed.description", lang),
                "parameters": [
                    {**country, "in": "path", "required": True},
                    _param(
                        "indicator",
                        "path",
                        t("api.doc.param.indicator", lang),
                        {"type": "string", "enum": inds},
                        True,
                    ),
                    fmt,
                    lang_param,
                ],
                "responses": ok("Contributed", t("api.doc.contributed.response", lang)),
            }
        },
        "/openapi.json": {
            "get": {
                "summary": t("api.doc.openapi.summary", lang),
                "parameters": [
                    _param("lang", "query", t("api.doc.param.lang_document", lang), languages)
                ],
                "responses": {
                    "200": {
                        "description": t("api.doc.openapi.response", lang),
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": t("api.doc.title", lang),
            "version": VERSION,
            "description": t("api.doc.description", lang),
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": t("api.doc.error", lang),
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }


def docs_html(doc: dict, lang: str, links: Mapping[str, str], langs: Mapping[str, str]) -> str:
    """The readable page of the OpenAPI document ``doc`` (:func:`openapi` in the same ``lang``)
    with headings in ``lang``: one section per path with its
    parameters and allowed values. ``links``: the URL of each path's example and of the
    document (key ``openapi``); ``langs``: this page in each language."""
    e = html.escape
    h = []
    h.append(f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">')
    h.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    h.append(f"<title>{e(t('api.docs.title', lang))}</title>")
    h.append(
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%}"
        "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
        "code{background:#f4f4f4;padding:0 .2rem}</style></head><body>"
    )
    others = " · ".join(
        f'<a href="{e(url)}" hreflang="{e(code)}" lang="{e(code)}">{e(code)}</a>'
        for code, url in langs.items()
        if code != lang
    )
    h.append(f'<nav aria-label="{e(t("api.docs.languages", lang))}">{others}</nav>')
    h.append(f"<h1>{e(t('api.docs.title', lang))}</h1>")
    h.append(f"<p>{e(t('api.docs.intro', lang))}</p>")
    h.append(
        f"<p>{e(t('api.docs.document', lang))}: "
        f'<a href="{e(links["openapi"])}">openapi.json</a> (OpenAPI {e(doc["openapi"])})</p>'
    )
    h.append(f"<h2>{e(t('api.docs.resources', lang))}</h2>")
    for path, item in doc["paths"].items():
        op = item["get"]
        h.append(f"<section><h3><code>GET {e(doc['servers'][0]['url'] + path)}</code></h3>")
        h.append(f"<p>{e(op['summary'])} {e(op.get('description', ''))}</p>")
        if path in links:
            h.append(
                f"<p>{e(t('api.docs.example', lang))}: "
                f'<a href="{e(links[path])}"><code>{e(links[path])}</code></a></p>'
            )
        params = op.get("parameters", [])
        if params:
            h.append(f"<h4>{e(t('api.docs.parameters', lang))}</h4><table><thead><tr>")
            for col in ("name", "required", "description", "allowed"):
                h.append(f"<th>{e(t(f'api.docs.col.{col}', lang))}</th>")
            h.append("</tr></thead><tbody>")
            for prm in params:
                s = prm["schema"]
                if "enum" in s:
                    allowed = ", ".join(str(v) for v in s["enum"])
                elif "minimum" in s:
                    allowed = f"{s['type']} {s['minimum']}–{s.get('maximum', '')}"
                else:
                    allowed = s["type"]
                required = t("api.docs.yes" if prm.get("required") else "api.docs.no", lang)
                h.append(
                    f"<tr><td><code>{e(prm['name'])}</code></td><td>{e(required)}</td>"
                    f"<td>{e(prm['description'])}</td><td>{e(allowed)}</td></tr>"
                )
            h.append("</tbody></table>")
        ref = op["responses"]["200"].get("content", {}).get("application/json", {})
        name = ref.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"].get(name)
        if schema is not None:
            h.append(f"<h4>{e(t('api.docs.response', lang))}</h4>")
            h.append(_fields_html(doc, schema, lang))
        h.append("</section>")
    h.append(f"<h2>{e(t('api.docs.errors', lang))}</h2><p>{e(t('api.docs.errors_text', lang))}</p>")
    h.append("</body></html>")
    return "".join(h)


def _fields_html(doc: dict, schema: dict, lang: str) -> str:
    """The fields of a response schema; a page's rows are its ``data`` items' fields."""
    e = html.escape
    props = schema.get("properties", {})
    data = props.get("data", {}).get("items", {}).get("$ref")
    rows = []
    for name, s in props.items():
        kind = s.get("type", "object")
        kind = " | ".join(kind) if isinstance(kind, list) else kind
        rows.append(f"<tr><td><code>{e(name)}</code></td><td>{e(kind)}</td></tr>")
    out = (
        f"<table><thead><tr><th>{e(t('api.docs.col.field', lang))}</th>"
        f"<th>{e(t('api.docs.col.type', lang))}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    if data:
        inner = doc["components"]["schemas"][data.rsplit("/", 1)[-1]]
        out += "<p><code>data[]</code></p>" + _fields_html(doc, inner, lang)
    return out
