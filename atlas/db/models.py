"""The tables of what users write: accounts and their scopes, invitations, login attempts,
contributed datasets with their immutable versions and values, local development plans and their
targets, the e-network's experiences (with their attached files), and the audit log of every
write.

Official data stay in the built store (:mod:`atlas.store`); nothing here is ever written into it.
Unit ids are the store's (ISO3 + the producer's official code as text, e.g. ``BRA3550308``) and
are not foreign keys: the store is rebuilt from files, the database lives on.

Times are naive UTC (:func:`utcnow`) on both backends, so SQLite and PostgreSQL compare them alike.
Choices (roles, statuses) are short strings with a CHECK constraint, not database enums: adding a
value is then a one-line migration on both backends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import event as sa_event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from atlas.i18n import LANGS
from atlas.text import fold

#: Constraint names fixed by pattern, so a migration can name what it drops on both backends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("admin", "editor", "reviewer")
VERSION_STATUSES = ("published", "rolled_back")
EXPERIENCE_STATUSES = ("draft", "pending", "approved", "rejected")
#: an experience is written in one of the interface's languages
EXPERIENCE_LANGS = LANGS

#: Lengths: an e-mail address (RFC 5321), a unit id (ISO3 + up to 12 digits, with room), a
#: catalog indicator id, a URL.
EMAIL, UNIT, INDICATOR, URL = 254, 32, 64, 2048


def utcnow() -> dt.datetime:
    """Now, in UTC without a zone (how every time is stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON}


class User(Base):
    """An account: an admin, an editor (who writes within its scopes) or a reviewer (who
    moderates experiences)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower case, so one address is one account whatever its case
    email: Mapped[str] = mapped_column(String(EMAIL), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: argon2id (argon2-cffi's encoded form, parameters included)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    scopes: Mapped[list[Scope]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="Scope.user_id"
    )


class Invitation(Base):
    """An invitation to an account of ``role``: only the SHA-256 of its token is kept, so the
    database alone cannot be used to accept it. One use, before ``expires_at``."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    scopes: Mapped[list[Scope]] = relationship(
        back_populates="invitation",
        cascade="all, delete-orphan",
        foreign_keys="Scope.invitation_id",
    )


class Scope(Base):
    """Where an editor (or the account an invitation will create) may write: a whole country
    (``country`` only), a state (``country`` and ``admin1_code``, the store's admin-1 code) or
    one unit (``unit_id``). An editor holds any number of them."""

    __tablename__ = "scopes"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (invitation_id IS NULL)", name="one_owner"),
        CheckConstraint("admin1_code IS NULL OR unit_id IS NULL", name="state_or_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    country: Mapped[str] = mapped_column(String(3))
    admin1_code: Mapped[str | None] = mapped_column(String(16))
    unit_id: Mapped[str | None] = mapped_column(String(UNIT))

    user: Mapped[User | None] = relationship(back_populates="scopes", foreign_keys=[user_id])
    invitation: Mapped[Invitation | None] = relationship(
        back_populates="scopes", foreign_keys=[invitation_id]
    )


class LoginAttempt(Base):
    """A failed (or successful) login, by account and by address: the rate limit counts the
    failures of the last minutes in this table, so every process sees the same count."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class Dataset(Base):
    """A contributed series: a unit's (or a country's units') own data for one indicator, with
    its source, licence, method note and contact. Its values live in immutable versions; the one
    served is ``current_version_id``, switched in one UPDATE by a publish or a rollback."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(3))
    #: the unit that contributes it (its values may cover several units of its scope)
    unit_id: Mapped[str | None] = mapped_column(String(UNIT), index=True)
    indicator: Mapped[str] = mapped_column(String(INDICATOR))
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(String(200))
    method_note: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="SET NULL", use_alter=True)
    )

    versions: Mapped[list[DatasetVersion]] = relationship(
        back_populates="dataset",
        foreign_keys="DatasetVersion.dataset_id",
        order_by="DatasetVersion.number",
    )
    current_version: Mapped[DatasetVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class DatasetVersion(Base):
    """One publication of a dataset: numbered 1, 2, ... per dataset, never edited; a rollback
    marks it ``rolled_back`` and points the dataset at the previous one."""

    __tablename__ = "dataset_versions"
    __table_args__ = (
        UniqueConstraint("dataset_id", "number"),
        CheckConstraint(_one_of("status", VERSION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="published")
    #: the uploaded file's name and checksum, what the validation report said
    note: Mapped[str] = mapped_column(Text, default="")

    dataset: Mapped[Dataset] = relationship(back_populates="versions", foreign_keys=[dataset_id])
    values: Mapped[list[DatasetValue]] = relationship(
        back_populates="version", cascade="all, delete-orphan"
    )


class DatasetValue(Base):
    """One value of a version: a unit, an indicator, a year, the value and its optional
    interval."""

    __tablename__ = "dataset_values"
    __table_args__ = (
        UniqueConstraint("version_id", "unit_id", "indicator", "year"),
        Index("ix_dataset_values_unit_indicator", "unit_id", "indicator"),
        CheckConstraint(
            "interval_low IS NULL OR interval_high IS NULL OR interval_low <= interval_high",
            name="interval",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_versions.id", ondelete="CASCADE"))
    unit_id: Mapped[str] = mapped_column(String(UNIT))
    indicator: Mapped[str] = mapped_column(String(INDICATOR))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    interval_low: Mapped[float | None] = mapped_column(Float)
    interval_high: Mapped[float | None] = mapped_column(Float)

    version: Mapped[DatasetVersion] = relationship(back_populates="values")


class Plan(Base):
    """A unit's own local development plan: its name, period and document."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(UNIT), index=True)
    name: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    document_url: Mapped[str] = mapped_column(String(URL), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    targets: Mapped[list[PlanTarget]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class PlanTarget(Base):
    """A plan's target: the value an indicator should reach by a year."""

    __tablename__ = "plan_targets"
    __table_args__ = (UniqueConstraint("plan_id", "indicator", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(String(INDICATOR))
    value: Mapped[float] = mapped_column(Float)
    year: Mapped[int] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="targets")


class Experience(Base):
    """A practice of the e-network: what one or more municipalities did, with its measured
    results and their source. A public submission (``submitted_by`` empty) waits as ``pending``
    for a reviewer; only ``approved`` ones are shown."""

    __tablename__ = "experiences"
    __table_args__ = (
        CheckConstraint(_one_of("status", EXPERIENCE_STATUSES), name="status"),
        CheckConstraint(_one_of("language", EXPERIENCE_LANGS), name="language"),
        CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_start <= period_end",
            name="period",
        ),
        Index("ix_experiences_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    #: Markdown, sanitised on the server before it is shown
    what_was_done: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text, default="")
    results_source: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    moderation_note: Mapped[str] = mapped_column(Text, default="")
    moderated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moderated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    #: title and texts folded (:func:`search_text`): what a keyword search matches, without
    #: accents or case on every backend; kept up to date on every write (below)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    units: Mapped[list[ExperienceUnit]] = relationship(cascade="all, delete-orphan")
    goals: Mapped[list[ExperienceGoal]] = relationship(cascade="all, delete-orphan")
    links: Mapped[list[ExperienceLink]] = relationship(cascade="all, delete-orphan")
    files: Mapped[list[ExperienceFile]] = relationship(
        cascade="all, delete-orphan", order_by="ExperienceFile.id"
    )


def search_text(*texts: str | None) -> str:
    """``texts`` folded for a search (:func:`atlas.text.fold`: no accents, upper case,
    punctuation as single spaces), space-padded so a folded keyword matches whole words' starts
    and middles alike: "São Paulo, educación" -> " SAO PAULO EDUCACION "."""
    return " " + " ".join(f for t in texts if (f := fold(t or ""))) + " "


@sa_event.listens_for(Experience, "before_insert")
@sa_event.listens_for(Experience, "before_update")
def _fill_search_text(mapper, connection, target: Experience) -> None:
    target.search_text = search_text(
        target.title, target.what_was_done, target.results, target.results_source
    )


class ExperienceUnit(Base):
    """A municipality (or other unit) an experience took place in."""

    __tablename__ = "experience_units"

    experience_id: Mapped[int] = mapped_column(
        ForeignKey("experiences.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[str] = mapped_column(String(UNIT), primary_key=True, index=True)


class ExperienceGoal(Base):
    """An MDG goal (1-8) an experience addresses, and optionally one of its targets ("1A")."""

    __tablename__ = "experience_goals"
    __table_args__ = (
        UniqueConstraint("experience_id", "goal", "target"),
        CheckConstraint("goal BETWEEN 1 AND 8", name="goal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    experience_id: Mapped[int] = mapped_column(ForeignKey("experiences.id", ondelete="CASCADE"))
    goal: Mapped[int] = mapped_column(Integer)
    #: empty for the goal as a whole
    target: Mapped[str] = mapped_column(String(8), default="")


class ExperienceLink(Base):
    """A document or page about an experience."""

    __tablename__ = "experience_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    experience_id: Mapped[int] = mapped_column(ForeignKey("experiences.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(URL))
    label: Mapped[str] = mapped_column(String(300), default="")


class ExperienceFile(Base):
    """A file attached to an experience (a report, a photo, a spreadsheet): its bytes, their
    kind judged from the bytes (:mod:`atlas.attachments`) and a checksum. The bytes are deferred:
    listing an experience's files never loads them."""

    __tablename__ = "experience_files"
    __table_args__ = (CheckConstraint("size >= 0", name="size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    experience_id: Mapped[int] = mapped_column(
        ForeignKey("experiences.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    """One write: who (empty for a public submission or a command-line action), what, on what,
    when and from where. Written in the same transaction as the write it records."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    target_kind: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")
