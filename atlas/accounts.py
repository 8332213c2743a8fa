"""Accounts, roles and the one authorisation rule every write goes through.

Roles: an *admin* does everything, invites and lists accounts; an *editor* writes the data, plans
and experiences of the places its scopes cover (a country, a state, or listed units); a
*reviewer* moderates the e-network's experiences. Anyone, signed in or not, may submit an
experience, which waits for a reviewer.

:func:`can` is the rule; :func:`require` raises :class:`NotAllowed` where it says no. Every
write of the web routes and the command line calls it on the server, with the account loaded
from the database on each request (a deactivated account loses its rights at once).

Passwords are hashed with argon2id (argon2-cffi). Logins are limited per account and per
address by counting the recent failures in the database (:class:`atlas.db.models.LoginAttempt`),
so every process of a deployment sees the same count.

The domain raises :class:`AccountError` with a message key of ``messages_accounts.toml``
(``accounts.error.*``): the web routes and the command line say it in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from atlas.db import Database
from atlas.db.models import ROLES, AuditEntry, Invitation, LoginAttempt, Scope, User, utcnow

ADMIN, EDITOR, REVIEWER = ROLES

#: The actions :func:`can` knows. A scoped action's target is a :class:`Place`.
MANAGE_USERS = "manage_users"  # invite, list and deactivate accounts
PUBLISH_DATA = "publish_data"  # create a contributed dataset, publish or roll back a version
EDIT_PLAN = "edit_plan"  # record a local development plan and its targets
EDIT_EXPERIENCE = "edit_experience"  # write an experience of the place as its editor
MODERATE = "moderate"  # approve or reject experiences
SUBMIT_EXPERIENCE = "submit_experience"  # propose an experience (it waits for a reviewer)
SCOPED = frozenset({PUBLISH_DATA, EDIT_PLAN, EDIT_EXPERIENCE})
ACTIONS = frozenset({MANAGE_USERS, MODERATE, SUBMIT_EXPERIENCE}) | SCOPED

#: Login limits: failures within :data:`WINDOW` before further tries are refused unchecked.
WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_ACCOUNT = 5
MAX_FAILURES_ADDRESS = 20
#: Passwords: long enough to resist guessing, short enough that hashing one is cheap.
MIN_PASSWORD, MAX_PASSWORD = 12, 256
INVITATION_DAYS = 7
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")

_hasher = PasswordHasher()
#: Verified when the e-mail names no account, so an unknown address costs the same time.
_DUMMY_HASH = _hasher.hash("atlas: no such account")


class AccountError(ValueError):
    """A refusal the reader is told about: ``key`` is a message of ``messages_accounts.toml``
    and ``values`` fill its fields."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


class NotAllowed(PermissionError):
    """:func:`require` said no (the web answers 403, or sends an anonymous reader to log in)."""


# -- places and scopes ---------------------------------------------------------------------

_COUNTRY = re.compile(r"[A-Z]{3}")
_STATE = re.compile(r"[0-9A-Za-z]{1,16}")
_UNIT = re.compile(r"[A-Z]{3}[0-9A-Z]{1,28}")


@dataclass(frozen=True)
class Place:
    """What a scoped write is about: a unit (with its country and state) or a whole country."""

    country: str
    admin1_code: str | None = None
    unit_id: str | None = None


@dataclass(frozen=True)
class ScopeSpec:
    """Where an editor may write: a country (``BRA``), a state (``BRA:35``, the store's admin-1
    code) or a unit (``BRA3550308``)."""

    country: str
    admin1_code: str | None = None
    unit_id: str | None = None

    @classmethod
    def parse(cls, text: str) -> ScopeSpec:
        """``BRA`` (a country), ``BRA:35`` (a state), ``BRA3550308`` (a unit)."""
        country, sep, state = text.strip().partition(":")
        country = country.upper()
        if sep and _COUNTRY.fullmatch(country) and _STATE.fullmatch(state):
            return cls(country, admin1_code=state)
        if not sep and _COUNTRY.fullmatch(country):
            return cls(country)
        if not sep and _UNIT.fullmatch(country):
            return cls(country[:3], unit_id=country)
        raise AccountError("accounts.error.scope", scope=text[:40])

    def __str__(self) -> str:
        if self.unit_id:
            return self.unit_id
        return f"{self.country}:{self.admin1_code}" if self.admin1_code else self.country

    def covers(self, place: Place) -> bool:
        if place.country != self.country:
            return False
        if self.unit_id:
            return place.unit_id == self.unit_id
        if self.admin1_code:
            return place.admin1_code == self.admin1_code
        return True


def place_of(store, unit_id: str) -> Place:
    """The place of a unit of the store (KeyError if the store has no such unit)."""
    unit = store.unit(unit_id)
    level = unit.get("level")
    if level == "country":
        return Place(unit["country"])
    return Place(unit["country"], unit.get("admin1_code"), unit_id)


def scope_problem(spec: ScopeSpec, store) -> AccountError | None:
    """Why ``spec`` names no place of ``store`` (None when it does)."""
    if spec.country not in store.countries():
        return AccountError("accounts.error.scope_country", country=spec.country)
    if spec.unit_id:
        try:
            store.unit(spec.unit_id)
        except KeyError:
            return AccountError("accounts.error.scope_unit", unit=spec.unit_id)
    if spec.admin1_code:
        units = store.units_table()
        mine = units[(units["country"] == spec.country) & (units["level"] != "country")]
        if spec.admin1_code not in set(mine["admin1_code"].dropna().astype(str)):
            return AccountError("accounts.error.scope_state", scope=str(spec))
    return None


# -- who is asking -------------------------------------------------------------------------


@dataclass(frozen=True)
class Principal:
    """An account as the rule sees it: a snapshot taken from the database for one request.
    ``id`` None is the operator at the command line (:data:`OPERATOR`)."""

    id: int | None
    email: str
    name: str
    role: str
    active: bool = True
    scopes: tuple[ScopeSpec, ...] = field(default=())


#: Whoever runs ``python -m atlas users ...`` on the server: it holds the machine, so an admin.
OPERATOR = Principal(id=None, email="", name="command line", role=ADMIN)


def can(user: Principal | None, action: str, target: Place | None = None) -> bool:
    """Whether ``user`` (None: not signed in) may do ``action`` on ``target``."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}; one of {', '.join(sorted(ACTIONS))}.")
    if action == SUBMIT_EXPERIENCE:
        return True
    if user is None or not user.active:
        return False
    if user.role == ADMIN:
        return True
    if action == MODERATE:
        return user.role == REVIEWER
    if action in SCOPED:
        return (
            user.role == EDITOR
            and target is not None
            and any(s.covers(target) for s in user.scopes)
        )
    return False


def require(user: Principal | None, action: str, target: Place | None = None) -> None:
    if not can(user, action, target):
        raise NotAllowed(action)


# -- passwords, secrets --------------------------------------------------------------------


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher.hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("accounts.error.password_short", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise AccountError("accounts.error.password_long", n=MAX_PASSWORD)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError("accounts.error.email")
    return email


def secret_key(conf) -> str:
    """``ATLAS_SECRET_KEY``, else the key kept in ``<data_dir>/secret_key``, written once
    (owner-only) the first time it is needed; never in the repository (``var/`` is ignored).
    The key is written whole to a temporary file and then linked into place, which fails if
    another process got there first: processes starting together all read the same whole key."""
    if conf.secret_key:
        return conf.secret_key
    folder = Path(conf.data_dir)
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".secret_key.", dir=folder)  # mode 0600
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


# -- reading accounts ----------------------------------------------------------------------


def _principal(user: User) -> Principal:
    return Principal(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        active=user.active,
        scopes=tuple(
            ScopeSpec(s.country, s.admin1_code, s.unit_id)
            for s in sorted(user.scopes, key=lambda s: s.id)
        ),
    )


def load_user(db: Database, user_id: int | None) -> Principal | None:
    """The active account ``user_id`` (None when it is missing or deactivated)."""
    if user_id is None:
        return None
    with db.session() as s:
        user = s.get(User, user_id)
        return _principal(user) if user is not None and user.active else None


def list_users(db: Database, by: Principal | None) -> list[Principal]:
    require(by, MANAGE_USERS)
    with db.session() as s:
        return [_principal(u) for u in s.scalars(select(User).order_by(User.email))]


def audit(s, by: Principal | None, action: str, kind: str, target_id, ip: str = "", **detail):
    """Record a write in the same transaction as the write."""
    if by is OPERATOR:
        detail["via"] = "command line"
    s.add(
        AuditEntry(
            user_id=by.id if by is not None else None,
            action=action,
            target_kind=kind,
            target_id=str(target_id),
            detail=detail,
            ip=ip[:64],
        )
    )


def _scopes(role: str, scopes: Iterable[ScopeSpec]) -> list[ScopeSpec]:
    scopes = list(dict.fromkeys(scopes))
    if role == EDITOR and not scopes:
        raise AccountError("accounts.error.editor_scope")
    if role != EDITOR and scopes:
        raise AccountError("accounts.error.scope_role")
    return scopes


# -- writing accounts ----------------------------------------------------------------------


def create_admin(
    db: Database, email: str, name: str, password: str, by: Principal | None = OPERATOR
) -> Principal:
    """A new admin account (the first one from the command line)."""
    require(by, MANAGE_USERS)
    email = normal_email(email)
    password_hash = hash_password(password)
    with db.session() as s:
        if s.scalar(select(User.id).where(User.email == email)) is not None:
            raise AccountError("accounts.error.exists", email=email)
        user = User(
            email=email, name=name.strip() or email, password_hash=password_hash, role=ADMIN
        )
        s.add(user)
        s.flush()
        audit(s, by, "create_admin", "user", user.id, email=email)
        return _principal(user)


def invite(
    db: Database,
    by: Principal | None,
    email: str,
    role: str,
    scopes: Iterable[ScopeSpec] = (),
    days: int = INVITATION_DAYS,
    ip: str = "",
) -> str:
    """Invite ``email`` to an account of ``role`` (an editor with its scopes). Returns the token
    of the invitation's link, which is shown once and kept only as its hash."""
    require(by, MANAGE_USERS)
    if role not in ROLES:
        raise AccountError("accounts.error.role", role=role[:20])
    email = normal_email(email)
    scopes = _scopes(role, scopes)
    token = secrets.token_urlsafe(32)
    with db.session() as s:
        if s.scalar(select(User.id).where(User.email == email)) is not None:
            raise AccountError("accounts.error.exists", email=email)
        inv = Invitation(
            email=email,
            role=role,
            token_hash=token_hash(token),
            created_by=by.id if by is not None else None,
            expires_at=utcnow() + dt.timedelta(days=days),
            scopes=[
                Scope(country=c.country, admin1_code=c.admin1_code, unit_id=c.unit_id)
                for c in scopes
            ],
        )
        s.add(inv)
        s.flush()
        audit(
            s,
            by,
            "invite",
            "invitation",
            inv.id,
            ip,
            email=email,
            role=role,
            scopes=[str(c) for c in scopes],
        )
    return token


@dataclass(frozen=True)
class PendingInvitation:
    email: str
    role: str
    scopes: tuple[ScopeSpec, ...]


def _open_invitation(s, token: str) -> Invitation:
    inv = s.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if inv is None:
        raise AccountError("accounts.error.invitation_unknown")
    if inv.used_at is not None:
        raise AccountError("accounts.error.invitation_used")
    if inv.expires_at < utcnow():
        raise AccountError("accounts.error.invitation_expired")
    return inv


def invitation(db: Database, token: str) -> PendingInvitation:
    """The open invitation ``token`` names (AccountError if unknown, used or expired)."""
    with db.session() as s:
        inv = _open_invitation(s, token)
        return PendingInvitation(
            inv.email,
            inv.role,
            tuple(ScopeSpec(c.country, c.admin1_code, c.unit_id) for c in inv.scopes),
        )


def accept(db: Database, token: str, name: str, password: str, ip: str = "") -> Principal:
    """Create the invitation's account with ``password``; the invitation is then used up. The
    check and the update run in one transaction, and the UPDATE only touches an unused
    invitation, so two tabs accepting at once make one account."""
    password_hash = hash_password(password)
    with db.session() as s:
        inv = _open_invitation(s, token)
        if s.scalar(select(User.id).where(User.email == inv.email)) is not None:
            raise AccountError("accounts.error.exists", email=inv.email)
        user = User(
            email=inv.email,
            name=name.strip()[:200] or inv.email,
            password_hash=password_hash,
            role=inv.role,
            scopes=[
                Scope(country=c.country, admin1_code=c.admin1_code, unit_id=c.unit_id)
                for c in inv.scopes
            ],
        )
        s.add(user)
        s.flush()
        inv.used_at = utcnow()
        inv.used_by = user.id
        principal = _principal(user)
        audit(s, principal, "accept_invitation", "user", user.id, ip, invitation=inv.id)
        return principal


def set_active(
    db: Database, by: Principal | None, user_id: int, active: bool, ip: str = ""
) -> None:
    require(by, MANAGE_USERS)
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise AccountError("accounts.error.no_user")
        if by is not None and by.id == user_id and not active:
            raise AccountError("accounts.error.self")
        user.active = active
        audit(s, by, "activate" if active else "deactivate", "user", user_id, ip)


# -- logging in ----------------------------------------------------------------------------


def _failures(s, column, value: str, since: dt.datetime) -> int:
    return s.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False))
    )


def authenticate(db: Database, email: str, password: str, ip: str) -> Principal:
    """The account ``email`` and ``password`` open, or AccountError: wrong credentials (the same
    answer for an unknown address, in the same time), or too many failures of this account or
    from this address within :data:`WINDOW`, in which case the password is not even checked."""
    email = email.strip().lower()[:254]
    ip = ip[:64]
    now = utcnow()
    since = now - WINDOW
    with db.session() as s:
        if (
            _failures(s, LoginAttempt.email, email, since) >= MAX_FAILURES_ACCOUNT
            or _failures(s, LoginAttempt.ip, ip, since) >= MAX_FAILURES_ADDRESS
        ):
            raise AccountError("accounts.error.too_many", minutes=int(WINDOW.total_seconds() // 60))
    with db.session() as s:
        user = s.scalar(select(User).where(User.email == email))
        ok = _verify(user.password_hash if user else _DUMMY_HASH, password[:MAX_PASSWORD])
        ok = ok and user is not None and user.active
        # old attempts are dropped as new ones come: the table holds one window per key
        s.execute(delete(LoginAttempt).where(LoginAttempt.at < now - 4 * WINDOW))
        s.add(LoginAttempt(email=email, ip=ip, at=now, succeeded=ok))
        if not ok:
            failed = True
        else:
            failed = False
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            user.last_login_at = now
            principal = _principal(user)
    if failed:
        raise AccountError("accounts.error.credentials")
    return principal
