"""Publishing a validated upload as a new, immutable version of a contributed dataset, rolling
back to an earlier version, and reading the version served.

Plain Python on a SQLAlchemy session (no Dash). The caller's session is the one transaction:
:func:`publish` writes the dataset (when new), the version, its values and the audit entry, and
switches ``current_version_id`` last; if anything fails the caller's ``with db.session()`` block
rolls it all back and the previous version is still the one served. Versions are never edited
or deleted: a rollback only moves the pointer (and marks the version left ``rolled_back``).

Every write asks :func:`atlas.accounts.can` for ``publish_data`` on the place of each unit
written (an editor's scope must cover all of them; an admin may write anywhere) and is
recorded in the audit log (:func:`atlas.accounts.audit`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from atlas import accounts
from atlas.accounts import PUBLISH_DATA, NotAllowed, Place, Principal
from atlas.db.models import Dataset, DatasetValue, DatasetVersion
from atlas.i18n import t

#: Every key a :class:`PublishError` may carry (``contrib.publish.error.<key>``).
ERROR_KEYS = (
    "mismatch",
    "nothing",
    "required",
    "unknown_unit",
    "other_country",
    "no_dataset",
    "no_version",
    "already_current",
)
#: Longest texts kept (the columns' own lengths).
_LIMITS = {"title": 300, "source": 5000, "licence": 200, "method_note": 20000, "contact": 300}


class PublishError(ValueError):
    """A publish or rollback refused for a reason the reader is told: ``key`` is a message of
    ``messages_contrib.toml`` (``contrib.publish.error.*``)."""

    def __init__(self, key: str, **values):
        if key not in ERROR_KEYS:
            raise ValueError(f"Unknown publish error {key!r}.")
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        return t(f"contrib.publish.error.{self.key}", lang, **self.values)


@dataclass(frozen=True)
class Meta:
    """What a publication says about itself. ``unit_id`` is the contributing unit (None: the
    places of the values, e.g. a state's or a country's secretariat); ``note`` describes the
    upload (file name, checksum, the validation's counts)."""

    source: str
    licence: str
    contact: str
    method_note: str = ""
    title: str = ""
    unit_id: str | None = None
    note: str = ""

    def problems(self) -> list[str]:
        """The required fields left empty (``source``, ``licence``, ``contact``)."""
        return [k for k in ("source", "licence", "contact") if not getattr(self, k).strip()]


@dataclass(frozen=True)
class Published:
    dataset_id: int
    version: int
    values: int


@dataclass(frozen=True)
class ContributedValue:
    unit_id: str
    year: int
    value: float
    low: float | None
    high: float | None
    version: int
    published: dt.date
    source: str
    licence: str
    contributor: str
    label: str
    dataset_id: int
    indicator: str = ""


def _place(table: pd.DataFrame, uid: str) -> Place:
    row = table.loc[uid]
    if row["level"] == "country":
        return Place(row["country"])
    admin1 = row["admin1_code"]
    return Place(row["country"], None if pd.isna(admin1) else str(admin1), uid)


def places(store, unit_ids) -> dict[str, Place]:
    """The place of each unit (its country and state), read from the store's table once."""
    table = store.units_table().set_index("unit_id")
    out = {}
    for uid in dict.fromkeys(unit_ids):
        if uid not in table.index:
            raise PublishError("unknown_unit", unit=str(uid)[:40])
        out[uid] = _place(table, uid)
    return out


def may_publish(user: Principal | None, store) -> Callable[[str], bool]:
    """Whether ``user`` may publish values of a unit of ``store`` (by its id), for validating an
    upload before it is published (:func:`atlas.contrib.validation.validate`'s ``may_write``)."""
    table = store.units_table().set_index("unit_id")

    def may(uid: str) -> bool:
        return uid in table.index and accounts.can(user, PUBLISH_DATA, _place(table, uid))

    return may


def _require_all(user: Principal | None, where: dict[str, Place]) -> None:
    for place in where.values():
        accounts.require(user, PUBLISH_DATA, place)


def _none(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x) else float(x)


def publish(
    session: Session,
    user: Principal | None,
    country: str,
    indicator: str,
    report,
    meta: Meta,
    *,
    store,
    ip: str = "",
) -> Published:
    """``report``'s clean rows as a new version of the dataset of ``country``, ``indicator`` and
    ``meta.unit_id`` (created on first publish), made the served one. Raises
    :class:`atlas.accounts.NotAllowed` when ``user`` may not write one of the units (nothing is
    written), :class:`PublishError` for an empty report or missing fields."""
    if user is None:
        raise NotAllowed(PUBLISH_DATA)
    if report.country != country or report.indicator != indicator:
        raise PublishError("mismatch")
    clean = report.clean
    if clean.empty:
        raise PublishError("nothing")
    missing = meta.problems()
    if missing:
        raise PublishError("required", fields=", ".join(missing))
    where = places(store, [*clean["unit_id"], *([meta.unit_id] if meta.unit_id else [])])
    if any(p.country != country for p in where.values()):
        raise PublishError("other_country", country=country)
    _require_all(user, where)

    dataset = session.scalar(
        select(Dataset)
        .where(
            Dataset.country == country,
            Dataset.indicator == indicator,
            Dataset.unit_id.is_(None) if meta.unit_id is None else Dataset.unit_id == meta.unit_id,
        )
        .with_for_update()
    )
    fields = {k: getattr(meta, k).strip()[:n] for k, n in _LIMITS.items()}
    fields["title"] = fields["title"] or indicator
    if dataset is None:
        dataset = Dataset(
            country=country,
            unit_id=meta.unit_id,
            indicator=indicator,
            created_by=user.id,
            **fields,
        )
        session.add(dataset)
        session.flush()
    else:
        # the dataset's description follows its newest publication; old versions keep values
        for k, v in fields.items():
            setattr(dataset, k, v)
    last = session.scalar(
        select(func.max(DatasetVersion.number)).where(DatasetVersion.dataset_id == dataset.id)
    )
    version = DatasetVersion(
        dataset_id=dataset.id,
        number=(last or 0) + 1,
        created_by=user.id,
        note=meta.note,
    )
    session.add(version)
    session.flush()
    session.add_all(
        DatasetValue(
            version_id=version.id,
            unit_id=str(r.unit_id),
            indicator=indicator,
            year=int(r.year),
            value=float(r.value),
            interval_low=_none(r.low),
            interval_high=_none(r.high),
        )
        for r in clean.itertuples(index=False)
    )
    session.flush()
    previous = dataset.current_version_id
    dataset.current_version_id = version.id
    accounts.audit(
        session,
        user,
        "publish",
        "dataset",
        dataset.id,
        ip,
        version=version.number,
        values=len(clean),
        previous_version_id=previous,
    )
    session.flush()
    return Published(dataset.id, version.number, len(clean))


def _version_units(session: Session, version_id: int) -> list[str]:
    return list(
        session.scalars(
            select(DatasetValue.unit_id).where(DatasetValue.version_id == version_id).distinct()
        )
    )


def rollback(
    session: Session,
    user: Principal | None,
    dataset_id: int,
    to_version: int,
    *,
    store,
    ip: str = "",
) -> None:
    """Serve version ``to_version`` of the dataset again. The user must be allowed to write
    every unit of the version served now and of the one restored."""
    if user is None:
        raise NotAllowed(PUBLISH_DATA)
    dataset = session.scalar(select(Dataset).where(Dataset.id == dataset_id).with_for_update())
    if dataset is None:
        raise PublishError("no_dataset")
    target = session.scalar(
        select(DatasetVersion).where(
            DatasetVersion.dataset_id == dataset_id, DatasetVersion.number == to_version
        )
    )
    if target is None:
        raise PublishError("no_version", version=to_version)
    if target.id == dataset.current_version_id:
        raise PublishError("already_current", version=to_version)
    units = _version_units(session, target.id)
    current = session.get(DatasetVersion, dataset.current_version_id)
    if current is not None:
        units += _version_units(session, current.id)
    if dataset.unit_id:
        units.append(dataset.unit_id)
    where = places(store, units) if units else {"": Place(dataset.country)}
    _require_all(user, where)
    if current is not None:
        current.status = "rolled_back"
    target.status = "published"
    dataset.current_version_id = target.id
    accounts.audit(
        session,
        user,
        "rollback",
        "dataset",
        dataset.id,
        ip,
        to_version=to_version,
        from_version=current.number if current is not None else None,
    )
    session.flush()


def contributor_name(dataset: Dataset, store) -> str:
    if dataset.unit_id:
        try:
            return store.unit(dataset.unit_id)["name"]
        except KeyError:
            return dataset.unit_id
    return store.country_name(dataset.country)


def label(contributor: str, version: int, published: dt.date, lang: str) -> str:
    """``contributed by <place>, version N, YYYY-MM-DD`` in ``lang``."""
    return t(
        "contrib.publish.label",
        lang,
        place=contributor,
        version=version,
        date=published.isoformat(),
    )


def current_values(
    session: Session, country: str, indicator: str, *, store, lang: str = "es"
) -> list[ContributedValue]:
    """The values served now of every contributed dataset of ``country`` and ``indicator``,
    each with its version, date, source, licence and label; by unit, year and dataset."""
    return _served(
        session, (Dataset.country == country, Dataset.indicator == indicator), store, lang
    )


def unit_values(
    session: Session, unit_id: str, *, store, lang: str = "es"
) -> list[ContributedValue]:
    """The values served now of ``unit_id``, of every indicator and contributed dataset (a
    unit's report); by unit, year and dataset."""
    return _served(session, (DatasetValue.unit_id == unit_id,), store, lang)


def _served(session: Session, where, store, lang: str) -> list[ContributedValue]:
    rows = session.execute(
        select(Dataset, DatasetVersion, DatasetValue)
        .join(DatasetVersion, Dataset.current_version_id == DatasetVersion.id)
        .join(DatasetValue, DatasetValue.version_id == DatasetVersion.id)
        .where(*where)
        .order_by(DatasetValue.unit_id, DatasetValue.year, Dataset.id)
    ).all()
    names: dict[int, str] = {}
    out = []
    for ds, ver, val in rows:
        if ds.id not in names:
            names[ds.id] = contributor_name(ds, store)
        day = ver.created_at.date()
        out.append(
            ContributedValue(
                unit_id=val.unit_id,
                year=val.year,
                value=val.value,
                low=val.interval_low,
                high=val.interval_high,
                version=ver.number,
                published=day,
                source=ds.source,
                licence=ds.licence,
                contributor=names[ds.id],
                label=label(names[ds.id], ver.number, day, lang),
                dataset_id=ds.id,
                indicator=val.indicator,
            )
        )
    return out


def upload_note(filename: str, data: bytes, report) -> str:
    """What a version records of its upload: the file's name and SHA-256, the rows' counts."""
    digest = hashlib.sha256(data).hexdigest()
    counts = ", ".join(f"{k}: {v}" for k, v in report.counts.items())
    return f"{filename[:200]} sha256:{digest} rows: {len(report.rows)} ok: {report.ok_rows}" + (
        f" problems: {counts}" if counts else ""
    )


@dataclass(frozen=True)
class VersionInfo:
    number: int
    created_at: dt.datetime
    status: str
    values: int
    note: str
    current: bool


@dataclass(frozen=True)
class DatasetInfo:
    id: int
    country: str
    indicator: str
    unit_id: str | None
    title: str
    source: str
    licence: str
    method_note: str
    contact: str
    contributor: str
    versions: tuple[VersionInfo, ...]


def dataset_info(session: Session, dataset_id: int, *, store) -> DatasetInfo:
    """A dataset and its versions, newest first (PublishError ``no_dataset`` if none)."""
    ds = session.get(Dataset, dataset_id)
    if ds is None:
        raise PublishError("no_dataset")
    counts = dict(
        session.execute(
            select(DatasetValue.version_id, func.count())
            .join(DatasetVersion, DatasetValue.version_id == DatasetVersion.id)
            .where(DatasetVersion.dataset_id == dataset_id)
            .group_by(DatasetValue.version_id)
        ).all()
    )
    versions = session.scalars(
        select(DatasetVersion)
        .where(DatasetVersion.dataset_id == dataset_id)
        .order_by(DatasetVersion.number.desc())
    )
    return DatasetInfo(
        id=ds.id,
        country=ds.country,
        indicator=ds.indicator,
        unit_id=ds.unit_id,
        title=ds.title,
        source=ds.source,
        licence=ds.licence,
        method_note=ds.method_note,
        contact=ds.contact,
        contributor=contributor_name(ds, store),
        versions=tuple(
            VersionInfo(
                v.number,
                v.created_at,
                v.status,
                counts.get(v.id, 0),
                v.note,
                v.id == ds.current_version_id,
            )
            for v in versions
        ),
    )
