"""The source registry: which raw files feed the store, who produced them, under what licence.

The registry is declarative, one TOML file per country in ``geodata/sources/``::

    [country]
    iso3 = "BRA"
    name = "Brasil"
    unit_level = "municipality"        # level of the units read_units() returns
    code_length = 7                    # official code length at that level
    admin1_code_length = 2
    boundaries = "bra_ibge_mesh"       # id of the source that gives the boundaries
    expected_units = 5564              # the build fails if read_units() returns another count
    simplify_factor = 1.0              # optional: scales display simplification (Chile's coast: 0.4)

    [[source]]
    id = "bra_atlas2013"
    producer = "PNUD Brasil, IPEA, FJP"
    dataset = "Atlas do Desenvolvimento Humano no Brasil 2013 (1991, 2000, 2010)"
    via = "R package abjur/abjData, table pnud_muni"   # where the file was copied from
    vintage = "Censos 1991, 2000, 2010"
    licence = "..."
    url = "official download URL"
    files = ["BRA/indicators/abjur_abjData/pnud_muni.rda"]   # relative to the raw folder
    reader = "bra:read_atlas2013"      # module in geodata/countries : function
    level = "municipality"             # level of the codes the reader returns
    join_threshold = 0.99              # share of the source's codes that must join to the units
    missing_codes = ["ND", ""]         # the producer's missing-value codes ("" = empty cell)
    notes = "known problems, in one or two sentences"

``producer`` and ``dataset`` are what readers see next to a value ("CONEVAL, Medición de la
pobreza municipal 2010–2020"): the producer's own title and years, never the repository, package,
file or sheet the copy came from. That copy provenance goes in ``via``, which only
``docs/sources.md`` shows (the store's manifest does not carry it); the registry refuses a
``dataset`` or ``producer`` that names a copy (:data:`COPY_MARKERS`).

A source with ``reader = ""`` is a boundary-only source (its files are read by ``read_units``).
``missing_codes`` lists every text its producer writes for "no value" in a numeric column
(``""`` is an empty cell, or a null in a JSON, Parquet or R file); the readers turn those cells
into missing values and count them (:mod:`geodata.cells`); any other text stops the build.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Real
from pathlib import Path

import pandas as pd

from atlas.geography import LEVELS
from geodata.cells import MissingCodes, is_number_text
from geodata.errors import BuildError

SOURCES_DIR = Path(__file__).parent / "sources"

#: Columns every reader returns (extra columns are dropped).
LONG_COLUMNS = ["code", "year", "variable", "value", "ci_low", "ci_high"]

#: What a reader-facing ``producer`` or ``dataset`` must not contain: a copy's route ("via ..."),
#: a file name, a sheet, a repository ("owner/name") or a package; these belong in ``via``.
COPY_MARKERS = {
    "'via'": re.compile(r"\bvia\b", re.IGNORECASE),
    "a file name": re.compile(
        r"\.(csv|xlsx?|json|rds|rda|parquet|geojson|gpkg|shp|zip|txt)\b", re.IGNORECASE
    ),
    "a sheet": re.compile(r"\bsheets?\b", re.IGNORECASE),
    "a repository": re.compile(r"[\w.-]*[a-z][\w.-]*/[\w.-]*[a-z][\w.-]*"),
    "a package": re.compile(r"\b(R package|PyPI|CRAN|GitHub)\b", re.IGNORECASE),
}


def copy_markers(text: str) -> list[str]:
    """What in ``text`` names a copy rather than the producer's dataset (empty when clean)."""
    return [name for name, pattern in COPY_MARKERS.items() if pattern.search(text)]


@dataclass(frozen=True)
class Source:
    id: str
    country: str
    producer: str
    dataset: str
    vintage: str
    licence: str
    url: str
    files: tuple[str, ...]
    reader: str
    level: str
    join_threshold: float
    notes: str = ""
    missing_codes: tuple[str, ...] = ()
    via: str = ""  # where the raw file was copied from (docs/sources.md only, never a page)

    def paths(self, raw: Path) -> list[Path]:
        return [raw / f for f in self.files]

    def check_files(self, raw: Path) -> None:
        """Raise a BuildError naming the first declared file that is missing."""
        for p in self.paths(raw):
            if not p.exists():
                raise BuildError(
                    f"Source '{self.id}' ({self.dataset}): a raw file is missing.",
                    path=p,
                    fix=f"Put the producer's file there (official download: {self.url}) "
                    f"or point --raw / ATLAS_RAW_DIR to the folder that holds it.",
                )

    def codes(self, raw: Path | None = None) -> MissingCodes:
        """The declared missing-value codes, with an empty count of the codes met per file."""
        return MissingCodes(
            self.id, self.missing_codes, f"geodata/sources/{self.country}.toml", raw
        )

    def load_reader(self) -> Callable[[Path, MissingCodes], pd.DataFrame]:
        module, func = self.reader.split(":")
        mod = importlib.import_module(f"geodata.countries.{module}")
        return getattr(mod, func)

    def read(self, raw: Path, codes: MissingCodes | None = None) -> pd.DataFrame:
        """Run the reader and normalise its output to LONG_COLUMNS; wrap any failure in a BuildError.

        ``codes`` (default: a fresh :meth:`codes`) counts the missing-value codes met per file.
        """
        self.check_files(raw)
        codes = codes if codes is not None else self.codes(raw)
        try:
            return normalise_long(self.load_reader()(raw, codes), self)
        except BuildError:
            raise
        except Exception as exc:  # a corrupt or changed file: say which and why
            raise BuildError(
                f"Source '{self.id}' ({self.dataset}) could not be read: {type(exc).__name__}: {exc}",
                path=", ".join(str(p) for p in self.paths(raw)),
                fix=f"Check that the file is the producer's original (official download: {self.url}); "
                "see the country's SOURCE.md for the expected layout.",
            ) from exc


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    unit_level: str
    code_length: int
    admin1_code_length: int
    boundaries: str
    expected_units: int
    sources: tuple[Source, ...] = field(default_factory=tuple)
    simplify_factor: float = 1.0

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(f"Source {source_id!r} is not declared for {self.iso3}.")

    @property
    def indicator_sources(self) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.reader)

    def read_units(self, raw: Path):
        self.source(self.boundaries).check_files(raw)
        mod = importlib.import_module(f"geodata.countries.{self.iso3.lower()}")
        return mod.read_units(raw)


def normalise_long(df: pd.DataFrame, source: Source) -> pd.DataFrame:
    missing = [c for c in ("code", "year", "variable", "value") if c not in df.columns]
    if missing:
        # Source.read wraps this with the files and the official download.
        raise ValueError(
            f"reader {source.reader} returned no column(s) {missing} "
            "(readers return code, year, variable, value[, ci_low, ci_high, level, flag, flag_ref])"
        )
    out = pd.DataFrame(
        {
            "code": df["code"].astype("string").str.strip(),
            "year": pd.to_numeric(df["year"], errors="raise").astype("int32"),
            "variable": df["variable"].astype("string"),
        }
    )
    for column in ("value", "ci_low", "ci_high"):
        out[column] = _numbers(df, column, source) if column in df else float("nan")
    if "level" in df:  # rows of the producer's own aggregates name their level (admin1, country)
        out["level"] = df["level"].astype("string").fillna(source.level)
    if "flag" in df:  # a value the reader knows the producer copied (flag_ref: the unit id copied)
        out["flag"] = df["flag"].fillna("").astype(str)
        out["flag_ref"] = df["flag_ref"].fillna("").astype(str) if "flag_ref" in df else ""
    return out


def _numbers(df: pd.DataFrame, column: str, source: Source) -> pd.Series:
    """A reader's numeric column as float64; text left in it means the reader skipped the codes.

    Readers turn every cell into a number or NaN with ``codes.numeric`` (geodata/cells.py); this
    check keeps a reader that forgot from losing values silently.
    """
    values = df[column]
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    is_number = values.map(lambda v: isinstance(v, Real) and not isinstance(v, bool))
    bad = ~is_number & values.notna()
    if bad.any():
        first = df[bad].iloc[0]
        raise BuildError(
            f"Source '{source.id}': reader {source.reader} returned {int(bad.sum())} non-numeric "
            f"{column} cell(s), e.g. {first[column]!r} for code {first['code']}, year "
            f"{first['year']}, variable {first['variable']}.",
            path=f"geodata/countries/{source.reader.split(':')[0]}.py",
            fix="Turn the column into numbers with codes.numeric(...) in the reader "
            "(geodata/cells.py), so that declared missing-value codes become missing and any "
            "other text stops the build with its cell.",
        )
    return values.astype("float64")


def _load_file(path: Path) -> Country:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    c = data["country"]
    sources = tuple(
        Source(
            id=s["id"],
            country=c["iso3"],
            producer=s["producer"],
            dataset=s["dataset"],
            vintage=s["vintage"],
            licence=s["licence"],
            url=s["url"],
            files=tuple(s["files"]),
            reader=s.get("reader", ""),
            level=s.get("level", c.get("unit_level", "municipality")),
            join_threshold=float(s.get("join_threshold", 0.0)),
            notes=s.get("notes", ""),
            missing_codes=_missing_codes(path, s),
            via=_via(path, s),
        )
        for s in data.get("source", [])
    )
    for s in sources:
        if s.level not in LEVELS:
            raise ValueError(f"{path.name}: source {s.id} has unknown level {s.level!r}")
        for key in ("producer", "dataset"):
            found = copy_markers(getattr(s, key))
            if found:
                raise ValueError(
                    f"{path.name}: source {s.id}: {key} {getattr(s, key)!r} names "
                    f"{', '.join(found)}; readers see it next to each value, so keep the "
                    "producer's own name and title (+ years) there and move the copy's route, "
                    "files and sheets to `via`."
                )
    return Country(
        iso3=c["iso3"],
        name=c["name"],
        unit_level=c.get("unit_level", "municipality"),
        code_length=int(c.get("code_length", 0)),
        admin1_code_length=int(c.get("admin1_code_length", 2)),
        boundaries=c.get("boundaries", ""),
        expected_units=int(c.get("expected_units", 0)),
        sources=sources,
        simplify_factor=float(c.get("simplify_factor", 1.0)),
    )


def _missing_codes(path: Path, source: dict) -> tuple[str, ...]:
    """The ``missing_codes`` of one [[source]] table, validated.

    Each code is a text as the cells are compared after stripping (so no outer spaces), once;
    a number is never a code (a numeric cell is a value); a boundary-only source reads no values.
    """
    codes = source.get("missing_codes", [])
    where = f"{path.name}: source {source.get('id')!r}: missing_codes"
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ValueError(f'{where} must be a list of strings, e.g. ["n.d.", ""]')
    problems = [f"{c!r} has spaces around it" for c in codes if c != c.strip()] + [
        f"{c!r} is a number, not a code" for c in codes if is_number_text(c)
    ]
    if len(set(codes)) != len(codes):
        problems.append("a code is listed twice")
    if codes and not source.get("reader"):
        problems.append("a boundary-only source (no reader) reads no values")
    if problems:
        raise ValueError(f"{where}: " + "; ".join(problems))
    return tuple(codes)


def _via(path: Path, source: dict) -> str:
    """The ``via`` of one [[source]] table: a non-empty text, when given."""
    via = source.get("via", "")
    if not isinstance(via, str) or ("via" in source and not via.strip()):
        raise ValueError(
            f"{path.name}: source {source.get('id')!r}: via must be a non-empty text naming where "
            'the files were copied from, e.g. "R package perupobreza2018"; leave it out when '
            "the files are the producer's own download."
        )
    return via.strip()


def manifest_sources(registry: dict[str, Country]) -> dict[str, dict[str, str]]:
    """Every source's attribution, as the store's manifest (and so the app) carries it."""
    keys = ("country", "level", "producer", "dataset", "vintage", "licence", "url")
    return {s.id: {k: getattr(s, k) for k in keys} for c in registry.values() for s in c.sources}


def load_registry(directory: Path = SOURCES_DIR) -> dict[str, Country]:
    """All countries declared in ``directory``, keyed by ISO3 (``national`` for country-level series)."""
    out: dict[str, Country] = {}
    for path in sorted(directory.glob("*.toml")):
        country = _load_file(path)
        out[country.iso3] = country
    return out
