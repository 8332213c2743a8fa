"""The store: read-only access to the built data (see geodata/build.py for its layout).

Loaded once at start-up. Every answer is a fresh object or a read-only array, so no caller can
change what another user sees.

A store folder holds releases (``releases/<version>/``, one per build) and ``current``, a symlink
to the newest complete one; :func:`resolve` follows it once, so a process keeps reading the
release it loaded while later builds switch ``current``. A plain folder (a store built before
releases, the tiny test stores) is read as it is.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely

from atlas.geography import ALL_COUNTRIES as ALL
from atlas.geography import SUBNATIONAL_LEVELS
from atlas.names import match, other_names_table, qualifier_index, scope_keys
from atlas.text import fold

#: The store format this code reads; geodata/build.py writes it into the manifest. Raise it when a
#: change to the build makes older stores unreadable: they then stop the start and ask for a rebuild.
STORE_VERSION = 5

UNIT_COLUMNS = [
    "unit_id",
    "country",
    "level",
    "code",
    "name",
    "admin1_code",
    "admin1_name",
    "population",
    "population_year",
    "area_km2",
    "other_names",  # "|"-separated other names people use (Huamanga for Ayacucho 050101)
]
OBSERVATION_COLUMNS = [
    "unit_id",
    "indicator_id",
    "year",
    "value",
    "ci_low",
    "ci_high",
    "source_id",
    "flag",
    "flag_ref",
]
#: The producers' own weights of values (CONEVAL's population, MSP's births), for roll-ups.
WEIGHT_COLUMNS = ["unit_id", "indicator_id", "year", "weight", "source_id"]
#: The producers' own published department and national figures of unit-level series.
AGGREGATE_COLUMNS = ["unit_id", "indicator_id", "year", "value", "source_id"]
#: How each admin-1 value of a municipal series was obtained (geodata/rollups.py): ``basis`` is
#: "published", "producer_weights" or "population"; ``coverage`` the share of the state's
#: population the roll-up counts (NaN for a published figure or where no population is known).
ADMIN1_COLUMNS = ["unit_id", "indicator_id", "year", "basis", "units", "units_counted", "coverage"]
#: The store's tables and the columns the atlas reads from each (checked at start-up).
TABLES = {
    "units.parquet": UNIT_COLUMNS,
    "observations.parquet": OBSERVATION_COLUMNS,
    "weights.parquet": WEIGHT_COLUMNS,
    "aggregates.parquet": AGGREGATE_COLUMNS,
    "admin1.parquet": ADMIN1_COLUMNS,
}
#: What geodata/build.py writes into manifest.json, for the whole store and for each country.
MANIFEST_KEYS = (
    "store_version",
    "built_at",
    "build_seconds",
    "fingerprint",
    "raw_dir",
    "countries",
    "all_countries",
    "sources",
    "counts",
)
COUNTRY_KEYS = ("name", "unit_level", "geo", "bounds")
#: The command that (re)builds the store, named by every start-up error.
FIX = "Run `make store` to rebuild it."
#: A store folder's releases and the pointer to the one to load (geodata/build.py writes both).
RELEASES = "releases"
CURRENT = "current"


def resolve(path: Path) -> Path:
    """The folder to read for the store at ``path``: the release ``current`` points at (resolved
    now, so a later switch does not move a loaded store), or ``path`` itself when it has no
    pointer (a plain store). A dangling pointer resolves to a missing folder, which :func:`check`
    reports as an unbuilt store."""
    path = Path(path)
    pointer = path / CURRENT
    if pointer.is_symlink() or pointer.exists():
        return pointer.resolve()
    return path


class StoreError(Exception):
    """The store is missing, damaged or of another version; the message, one line, names the
    problem and the command that fixes it."""


def _problem(path: Path, problem: str) -> StoreError:
    return StoreError(f"Data store at {path}: {problem}. {FIX}")


def _one_line(exc: Exception) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def geo_names(manifest: dict) -> list[str]:
    """The display files the manifest names (every country, level and level of detail)."""
    entries = list(manifest["countries"].values())
    if manifest["all_countries"]:
        entries.append(manifest["all_countries"])
    return [f["name"] for e in entries for lods in e["geo"].values() for f in lods.values()]


def check(path: Path) -> dict:
    """Check the store at ``path`` before loading it and return its manifest.

    Cheap (milliseconds): the manifest's version and keys, the tables' columns from their parquet
    metadata, and that every display file it names exists and is not empty (not read). Raises
    :class:`StoreError` with one line naming the first problem found and the fix.
    """
    path = Path(path)
    manifest_file = path / "manifest.json"
    if not manifest_file.is_file():
        raise _problem(path, "no manifest.json (the store is not built)")
    try:
        manifest = json.loads(manifest_file.read_text())
    except (OSError, ValueError) as exc:
        raise _problem(path, f"manifest.json is unreadable ({_one_line(exc)})") from None
    if not isinstance(manifest, dict):
        raise _problem(path, "manifest.json is not a JSON object")
    version = manifest.get("store_version")
    if version != STORE_VERSION:
        raise _problem(
            path, f"it has store version {version}, this atlas reads version {STORE_VERSION}"
        )
    missing = [k for k in MANIFEST_KEYS if k not in manifest]
    if missing:
        raise _problem(path, f"manifest.json lacks {', '.join(missing)}")
    try:
        for iso3, entry in manifest["countries"].items():
            lacking = [k for k in COUNTRY_KEYS if k not in entry]
            if lacking:
                raise _problem(path, f"manifest.json's entry of {iso3} lacks {', '.join(lacking)}")
        names = geo_names(manifest)
    except (AttributeError, KeyError, TypeError) as exc:
        raise _problem(path, f"manifest.json is malformed ({_one_line(exc)})") from None
    for table, columns in TABLES.items():
        if not (path / table).is_file():
            raise _problem(path, f"{table} is missing")
        try:
            names_in_table = pq.read_schema(path / table).names
        except (OSError, ValueError) as exc:
            raise _problem(path, f"{table} is unreadable ({_one_line(exc)})") from None
        lacking = [c for c in columns if c not in names_in_table]
        if lacking:
            raise _problem(path, f"{table} lacks the column(s) {', '.join(lacking)}")
    for name in names:
        geo = path / "geo" / name
        if not geo.is_file() or geo.stat().st_size == 0:
            raise _problem(path, f"the display file geo/{name} is missing or empty")
    return manifest


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class Layer:
    """The units of one country at one level, in the order of its display geometry file."""

    country: str
    level: str
    unit_ids: np.ndarray
    names: np.ndarray
    admin1_names: np.ndarray
    admin1_codes: np.ndarray
    population: np.ndarray

    def __len__(self) -> int:
        return len(self.unit_ids)

    @cached_property
    def index(self) -> pd.Index:
        return pd.Index(self.unit_ids)

    @cached_property
    def name_texts(self) -> np.ndarray:
        """The names as a numpy string array (which plotly copies whole, where it walks an
        object array name by name): made once per layer, not once per figure."""
        return np.asarray(self.names, dtype=str)


@dataclass(frozen=True)
class Cube:
    """All values of one indicator for one layer: a units x years matrix (NaN = missing)."""

    years: tuple[int, ...]
    values: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    sources: tuple[str, ...]  # the source of each year's values
    #: the producer's own weight of each value (same shape), None when the catalog names none
    weights: np.ndarray | None = None
    #: why each value is flagged ("" = not flagged) and what the reason refers to (same shape),
    #: None when no value of the cube is flagged
    flags: np.ndarray | None = None
    flag_refs: np.ndarray | None = None

    def column(self, year: int) -> int:
        return self.years.index(year)

    @cached_property
    def usable(self) -> np.ndarray:
        """The values with the flagged ones made NaN: what rankings, progress and inequality
        measures use (the map and the roll-ups use :attr:`values`)."""
        if self.flags is None:
            return self.values
        return _readonly(np.where(self.flags != "", np.nan, self.values))

    @cached_property
    def order(self) -> np.ndarray:
        """Each year's units sorted by their :attr:`usable` value (NaN last): the inequality
        measures of a layer's fixed data sort it once, not once per request."""
        return _readonly(np.argsort(self.usable, axis=0, kind="stable"))


@dataclass(frozen=True)
class Values:
    """One indicator in one year for one layer, aligned with :attr:`Layer.unit_ids`."""

    indicator: str
    year: int
    layer: Layer
    value: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    source_id: str
    #: why each value is flagged ("" = not flagged) and what the reason refers to
    flag: np.ndarray | None = None
    flag_ref: np.ndarray | None = None
    #: the producer's weight of each value (births, pupils), None when it gives none
    weight: np.ndarray | None = None

    @property
    def flagged(self) -> np.ndarray:
        """True where the value is flagged (left out of rankings, counts and inequality)."""
        if self.flag is None:
            return np.zeros(len(self.value), dtype=bool)
        return self.flag != ""

    @property
    def has_ci(self) -> bool:
        return bool(np.isfinite(self.ci_low).any())


class Store:
    def __init__(self, path: Path):
        #: the store folder as given (ATLAS_STORE_DIR) and the release read from it, fixed here
        self.root = Path(path)
        self.path = resolve(self.root)
        self.manifest: dict = check(self.path)
        try:
            units = pd.read_parquet(self.path / "units.parquet", columns=UNIT_COLUMNS)
            obs = pd.read_parquet(self.path / "observations.parquet")
            weights = pd.read_parquet(self.path / "weights.parquet", columns=WEIGHT_COLUMNS[:4])
            aggregates = pd.read_parquet(
                self.path / "aggregates.parquet", columns=AGGREGATE_COLUMNS
            )
            admin1 = pd.read_parquet(self.path / "admin1.parquet", columns=ADMIN1_COLUMNS)
        except (OSError, ValueError) as exc:
            # A file whose metadata reads but whose data pages do not (truncated, overwritten).
            raise _problem(self.path, f"a table is unreadable ({_one_line(exc)})") from None
        units["folded"] = units["name"].map(fold)
        self._bounds = self._read_bounds()
        self._units = units.set_index("unit_id", drop=False)
        self._qualifiers = qualifier_index(units)
        self._other_names = other_names_table(units)
        # In unit, indicator and year order, so that series() slices a unit's rows instead of
        # scanning all of them (a report asks ~45 times; a scan of the 670,000 rows took 35 ms)
        # and need not sort them (65 ms here, once, against ~1 ms a call).
        self._obs = obs.sort_values(["unit_id", "indicator_id", "year"], kind="stable").reset_index(
            drop=True
        )
        self._obs_units = _readonly(self._obs["unit_id"].to_numpy(dtype=object))
        self._layers = self._build_layers(units)
        self._cubes = self._build_cubes(units, obs, weights)
        self._published = {
            (i, u, int(y)): (float(v), str(s))
            for u, i, y, v, s in aggregates[AGGREGATE_COLUMNS].itertuples(index=False)
        }
        self._admin1_counts = (
            admin1.groupby([admin1["unit_id"].str[:3], "basis"]).size().astype(int).to_dict()
        )
        self._admin1_basis = {
            (i, u, int(y)): (str(b), int(n), int(c), float(cov))
            for u, i, y, b, n, c, cov in admin1[ADMIN1_COLUMNS].itertuples(index=False)
        }
        self._quality = self._read_quality()

    # -- construction -----------------------------------------------------------------------

    def _read_quality(self) -> dict[str, dict]:
        """The build's quality report of each country (``quality/<ISO3>.json``), read once here so
        no page reads a file; a country without a readable report has none (an empty dict). The
        report named ``national`` covers the country-level reference series of all six."""
        out = {}
        for iso3 in [*self.manifest["countries"], "national"]:
            try:
                report = json.loads((self.path / "quality" / f"{iso3}.json").read_text())
            except (OSError, ValueError):
                continue
            if isinstance(report, dict):
                out[iso3] = report
        return out

    def _read_bounds(self) -> dict[str, tuple[float, float, float, float]]:
        """Each unit's bounding box (min lon, min lat, max lon, max lat), read once here so a
        selection can zoom the map without sending geometry again; the country rows have none."""
        try:
            geom = pd.read_parquet(self.path / "units.parquet", columns=["unit_id", "geometry"])
        except (OSError, ValueError) as exc:
            raise _problem(self.path, f"a table is unreadable ({_one_line(exc)})") from None
        boxes = shapely.bounds(shapely.from_wkb(geom["geometry"].to_numpy()))
        ok = np.isfinite(boxes).all(axis=1)
        ids = geom["unit_id"].to_numpy(dtype=object)[ok]
        return {str(u): tuple(float(v) for v in b) for u, b in zip(ids, boxes[ok], strict=True)}

    @staticmethod
    def _build_layers(units: pd.DataFrame) -> dict[tuple[str, str], Layer]:
        layers = {}
        # The six countries side by side: their country-level units form one more layer.
        together = units[units["level"] == "country"].assign(country=ALL)
        for (country, level), g in pd.concat([units, together]).groupby(
            ["country", "level"], sort=False
        ):
            g = g.sort_values("code")  # the build writes display files in code order
            layers[(country, level)] = Layer(
                country=country,
                level=level,
                unit_ids=_readonly(g["unit_id"].to_numpy(dtype=object)),
                names=_readonly(g["name"].to_numpy(dtype=object)),
                admin1_names=_readonly(g["admin1_name"].to_numpy(dtype=object)),
                admin1_codes=_readonly(g["admin1_code"].to_numpy(dtype=object)),
                population=_readonly(g["population"].to_numpy(dtype="float64")),
            )
        return layers

    def _build_cubes(self, units: pd.DataFrame, obs: pd.DataFrame, weights: pd.DataFrame) -> dict:
        where = units.set_index("unit_id")[["country", "level"]]
        obs = obs.join(where, on="unit_id")
        keys = ["unit_id", "indicator_id", "year"]
        obs = obs.merge(weights.astype({"year": obs["year"].dtype}), on=keys, how="left")
        national = obs[obs["level"] == "country"].assign(country=ALL)
        obs = pd.concat([obs, national], ignore_index=True)
        # the source of each year's values: the most frequent, the first by name on a tie (as
        # Series.mode), in one pass over all cubes
        group = ["indicator_id", "country", "level", "year"]
        tally = obs.groupby([*group, "source_id"], sort=False).size().rename("n").reset_index()
        tally = tally.sort_values(["n", "source_id"], ascending=[False, True], kind="stable")
        source_of = {
            (i, c, lvl, int(y)): s
            for i, c, lvl, y, s in tally.drop_duplicates(group)[[*group, "source_id"]].itertuples(
                index=False
            )
        }
        cubes = {}
        for (ind, country, level), g in obs.groupby(
            ["indicator_id", "country", "level"], sort=False
        ):
            layer = self._layers[(country, level)]
            years = tuple(sorted(int(y) for y in g["year"].unique()))
            rows = layer.index.get_indexer(g["unit_id"])
            cols = np.searchsorted(np.array(years), g["year"].to_numpy())
            shape = (len(layer), len(years))
            mats = []
            for col in ("value", "ci_low", "ci_high"):
                m = np.full(shape, np.nan)
                m[rows, cols] = g[col].to_numpy(dtype="float64")
                mats.append(_readonly(m))
            w = None
            if g["weight"].notna().any():
                w = np.full(shape, np.nan)
                w[rows, cols] = g["weight"].to_numpy(dtype="float64")
                w = _readonly(w)
            fl = refs = None
            if (g["flag"] != "").any():
                fl, refs = np.full(shape, "", dtype=object), np.full(shape, "", dtype=object)
                fl[rows, cols] = g["flag"].to_numpy(dtype=object)
                refs[rows, cols] = g["flag_ref"].to_numpy(dtype=object)
                fl, refs = _readonly(fl), _readonly(refs)
            cubes[(ind, country, level)] = Cube(
                years, *mats, tuple(source_of[(ind, country, level, y)] for y in years), w, fl, refs
            )
        return cubes

    # -- questions --------------------------------------------------------------------------

    def health(self) -> str | None:
        """Why the store on disk is no longer the one loaded at start-up, or None while it is.

        Cheap enough for every ``/healthz`` request: one small JSON read and a few file checks
        (the store folder removed, a file gone, or another build swapped in: its fingerprint
        differs). Each problem is one line. A release is never rewritten: a new build leaves the
        loaded one healthy until a later build's cleanup removes it (its folder is then gone).
        """
        if not self.path.is_dir():
            return f"the store folder {self.path} is gone"
        try:
            on_disk = json.loads((self.path / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            return f"manifest.json is unreadable ({_one_line(exc)})"
        if not isinstance(on_disk, dict) or on_disk.get("fingerprint") != self.fingerprint:
            return "the store on disk is another build than the one loaded; restart the atlas"
        for name in TABLES:
            if not (self.path / name).is_file():
                return f"{name} is missing"
        for name in geo_names(self.manifest):
            if not (self.path / "geo" / name).is_file():
                return f"the display file geo/{name} is missing"
        return None

    @property
    def fingerprint(self) -> str:
        return self.manifest["fingerprint"]

    @property
    def version(self) -> int:
        return self.manifest["store_version"]

    def countries(self) -> list[str]:
        """The six countries (ISO3). :data:`ALL` (all six, country level) is not among them."""
        return list(self.manifest["countries"])

    @property
    def has_all(self) -> bool:
        return bool(self.manifest.get("all_countries")) and (ALL, "country") in self._layers

    def country_name(self, iso3: str) -> str:
        if iso3 == ALL:
            return ", ".join(self.country_name(c) for c in self.countries())
        return self.manifest["countries"][iso3]["name"]

    def _entry(self, country: str) -> dict:
        """The manifest's entry of a country, or of the six countries together."""
        return (
            self.manifest["all_countries"]
            if country == ALL
            else self.manifest["countries"][country]
        )

    def bounds(self, country: str) -> list[float]:
        entry = self._entry(country)
        return entry["bounds"]

    def unit_bounds(self, unit_id: str) -> list[float] | None:
        """The unit's bounding box [min lon, min lat, max lon, max lat], None when it has no
        geometry (a country row, an unknown id)."""
        box = self._bounds.get(unit_id)
        return list(box) if box is not None else None

    def levels(self, country: str) -> list[str]:
        """Display levels of a country, finest first (Uruguay has admin-1 only; ALL: country)."""
        if country == ALL:
            return ["country"] if self.has_all else []
        return [lvl for lvl in SUBNATIONAL_LEVELS if (country, lvl) in self._layers]

    def layer(self, country: str, level: str) -> Layer:
        try:
            return self._layers[(country, level)]
        except KeyError:
            raise KeyError(f"No {level} units for {country!r} in the store.") from None

    def indicators(self, country: str | None = None, level: str | None = None) -> list[str]:
        """Indicators with at least one value for the country/level (all if None)."""
        return sorted(
            {
                ind
                for (ind, c, lvl) in self._cubes
                if (country is None or c == country) and (level is None or lvl == level)
            }
        )

    def years(self, indicator: str, country: str, level: str) -> list[int]:
        cube = self._cubes.get((indicator, country, level))
        return list(cube.years) if cube else []

    def published(self, indicator: str, unit_id: str, year: int) -> tuple[float, str] | None:
        """The producer's own published figure for a department or country (value, source id)."""
        return self._published.get((indicator, unit_id, int(year)))

    def admin1_basis(self, indicator: str, unit_id: str, year: int) -> dict | None:
        """How an admin-1 value of a municipal series was obtained: ``basis`` ("published",
        "producer_weights" or "population"), ``units`` and ``units_counted`` (municipalities) and
        ``coverage`` (share of the population counted; NaN for a published figure or without a
        known population); None for a
        value the store holds as the producer gave it (a department-level series)."""
        found = self._admin1_basis.get((indicator, unit_id, int(year)))
        if found is None:
            return None
        return dict(zip(("basis", "units", "units_counted", "coverage"), found, strict=True))

    def admin1_bases(self, country: str) -> dict[str, int]:
        """How many admin-1 values of ``country``'s municipal series have each basis."""
        return {b: n for (c, b), n in self._admin1_counts.items() if c == country}

    def published_aggregates(self) -> pd.DataFrame:
        """Every published aggregate in the store (unit_id, indicator_id, year, value, source_id)."""
        rows = [(u, i, y, v, s) for (i, u, y), (v, s) in self._published.items()]
        return pd.DataFrame(rows, columns=AGGREGATE_COLUMNS)

    def cube(self, indicator: str, country: str, level: str) -> Cube | None:
        return self._cubes.get((indicator, country, level))

    def values(self, indicator: str, year: int, country: str, level: str) -> Values:
        """Values aligned with the layer's display order; raises KeyError if there are none."""
        cube = self._cubes.get((indicator, country, level))
        if cube is None or year not in cube.years:
            raise KeyError(f"No {indicator} values for {country} {level} in {year}.")
        j = cube.column(year)
        return Values(
            indicator=indicator,
            year=year,
            layer=self._layers[(country, level)],
            value=cube.values[:, j],
            ci_low=cube.ci_low[:, j],
            ci_high=cube.ci_high[:, j],
            source_id=cube.sources[j],
            flag=None if cube.flags is None else cube.flags[:, j],
            flag_ref=None if cube.flag_refs is None else cube.flag_refs[:, j],
            weight=None if cube.weights is None else cube.weights[:, j],
        )

    def unit(self, unit_id: str) -> dict:
        try:
            row = self._units.loc[unit_id]
        except KeyError:
            raise KeyError(f"Unit {unit_id!r} is not in the store.") from None
        return {k: (None if pd.isna(row[k]) else row[k]) for k in UNIT_COLUMNS}

    def units_table(self) -> pd.DataFrame:
        """A copy of every unit's row (:data:`UNIT_COLUMNS`), in unit id order: for the open data
        API, which lists thousands at once (:meth:`unit` per unit is 100 times slower)."""
        return self._units[UNIT_COLUMNS].sort_index().reset_index(drop=True)

    def series(self, unit_id: str, indicator: str | None = None) -> pd.DataFrame:
        """A unit's full time series (all indicators, or one), sorted by indicator and year."""
        ids = self._obs_units
        lo, hi = np.searchsorted(ids, unit_id, "left"), np.searchsorted(ids, unit_id, "right")
        o = self._obs.iloc[lo:hi]  # already in indicator and year order
        if indicator is not None:
            o = o[o["indicator_id"].to_numpy() == indicator]
        return o.reset_index(drop=True)

    def series_of(self, unit_ids, indicators) -> pd.DataFrame:
        """The time series of several units for several indicators in one pass (the compare
        page: :meth:`series` per unit costs a scan of every observation each), sorted by unit,
        indicator and year."""
        o = self._obs
        o = o[o["unit_id"].isin(list(unit_ids)) & o["indicator_id"].isin(list(indicators))]
        return o.sort_values(["unit_id", "indicator_id", "year"]).reset_index(drop=True)

    @cached_property
    def _peer_table(self) -> tuple[pd.DataFrame, np.ndarray] | None:
        """``peers.parquet`` (geodata/peers.py) sorted by unit, read by the first page that asks
        for peers; None for a store built before the build wrote peers."""
        path = self.path / "peers.parquet"
        if not path.is_file():
            return None
        try:
            table = pd.read_parquet(path)
        except (OSError, ValueError):
            return None
        table = table.sort_values("unit_id", kind="stable").reset_index(drop=True)
        return table, _readonly(table["unit_id"].to_numpy(dtype=object))

    @property
    def has_peers(self) -> bool:
        return self._peer_table is not None

    def peers(self, unit_id: str) -> pd.DataFrame:
        """A copy of the unit's rows of the peers table (geodata.peers.PEER_COLUMNS), empty when
        it has none or the store has no peers table."""
        if self._peer_table is None:
            return pd.DataFrame()
        table, ids = self._peer_table
        lo, hi = np.searchsorted(ids, unit_id, "left"), np.searchsorted(ids, unit_id, "right")
        return table.iloc[lo:hi].reset_index(drop=True)

    def weights_of(self, unit_id: str, indicator: str) -> dict[int, float]:
        """The producer's weight (births, pupils) of each year's value of a unit, where it gives
        one; empty otherwise."""
        unit = self._units.loc[unit_id] if unit_id in self._units.index else None
        cube = None if unit is None else self.cube(indicator, unit["country"], unit["level"])
        if cube is None or cube.weights is None:
            return {}
        i = self._layers[(unit["country"], unit["level"])].index.get_loc(unit_id)
        return {y: float(w) for y, w in zip(cube.years, cube.weights[i], strict=True)}

    def search(self, query: str, limit: int = 10, country: str | None = None) -> list[dict]:
        """Units whose name matches ``query`` ignoring accents and case, best first: exact names,
        then names starting with the text, then the rest (larger places first); a state or
        country after the name narrows it ("canela rs"), see :mod:`atlas.names`."""
        q = fold(query)
        if not q:
            return []
        u = self._units
        if country:
            u = u[u["country"] == country]
        u = u[u["level"] != "country"]
        ranks = match(u, scope_keys(u), self._other_names, q, self._qualifiers)
        if ranks.empty:
            return []
        hits = u.loc[ranks.index].assign(_rank=ranks.to_numpy())
        hits = hits.sort_values(["_rank", "population", "name"], ascending=[True, False, True])
        # one frame conversion, not a lookup per cell: the API asks for every hit of "a" (10,204
        # units), which cost 2.2 s of CPU that way
        columns = ["unit_id", "name", "admin1_name", "country", "level"]
        return hits.head(max(0, limit))[columns].to_dict("records")

    def geo_file(self, country: str, level: str, lod: str = "low") -> str:
        """The display file of a country and level; a level of detail that was not built for it
        (the six-country map has "low" only) falls back to "low"."""
        entry = self._entry(country)
        files = entry["geo"][level]
        return files.get(lod, files["low"])["name"]

    def geo_path(self, name: str) -> Path | None:
        """The display file ``name`` (a file name, as in the manifest): the loaded release's, else
        that of another release kept in the same store folder, newest first. A name carries a
        hash of the file's content, so every release's file of that name is the same file: a
        page drawn before a restart keeps its geometry while the release it came from is kept."""
        if "/" in name or "\\" in name or name.startswith("."):
            return None
        # the releases folder beside the loaded release (none for a plain store)
        releases = self.path.parent if self.path != self.root else None
        kept = (
            sorted((p / "geo" for p in releases.iterdir() if p.name[:1] != "."), reverse=True)
            if releases is not None and releases.is_dir()
            else []
        )
        for geo in (self.path / "geo", *kept):
            if (geo / name).is_file():
                return geo / name
        return None

    def source(self, source_id: str) -> dict:
        return self.manifest["sources"][source_id]

    def quality(self, country: str) -> dict:
        """A copy of the build's quality report of ``country`` (empty when the store has none):
        units per level, sources with join rates and missing-value codes met, values left out,
        and the value flags (``flags``: reason -> indicator -> count) when the build wrote them."""
        return copy.deepcopy(self._quality.get(country, {}))
