"""The e-network of experiences: what municipalities did to measure and reach the MDGs, so that
places of different countries learn from one another.

Who writes what (every rule asked of :func:`atlas.accounts.can` on the server):

- anyone, signed in or not, may *submit* an experience: it waits as ``pending`` in the
  moderation queue;
- an admin, or an editor whose scopes cover every unit the experience names
  (``edit_experience``), writes it directly: as a ``draft`` or ``approved`` (published);
- a reviewer (or an admin) approves or rejects what is pending (``moderate``).

Only ``approved`` experiences are listed, searched and shown to the public; so are their files
(:mod:`atlas.attachments` checks them; their bytes live in the database, written with the
experience in one transaction): those of a pending or rejected experience only to a reviewer or
an admin, those of a draft also to the editors who may publish it.

A keyword search ignores accents and case on both backends: it matches the experience's folded
text (``search_text``, :func:`atlas.db.models.search_text`, filled on every write) with the
keyword folded the same way.

Text fields are Markdown, rendered with markdown-it-py and sanitised on the server with nh3 (an
allow-list of tags and attributes; no script, style or event attribute; links only http(s) or
mailto). Every field has a length limit; links must be http(s). Refusals raise
:class:`NetworkError` with a message key of ``messages_network.toml`` (``network.error.*``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session, selectinload

from atlas import accounts, attachments
from atlas.accounts import EDIT_EXPERIENCE, MODERATE, SUBMIT_EXPERIENCE, Principal
from atlas.attachments import Attachment
from atlas.db import Database
from atlas.db.models import (
    EXPERIENCE_LANGS,
    Experience,
    ExperienceFile,
    ExperienceGoal,
    ExperienceLink,
    ExperienceUnit,
    search_text,
    utcnow,
)
from atlas.plans import PlanError, http_url
from atlas.store import Store

#: Length limits (characters) of each field.
LIMITS = {
    "title": 300,
    "what_was_done": 20_000,
    "results": 10_000,
    "results_source": 2_000,
    "contact": 300,
    "moderation_note": 2_000,
    "link_label": 300,
}
MAX_UNITS, MAX_LINKS = 20, 10
MAX_FILES = attachments.MAX_FILES
GOALS = range(1, 9)
_TARGET = re.compile(r"[1-8][A-F]")
#: A search term is cut to this length (it becomes a LIKE pattern).
KEYWORD_MAX = 100

#: What rendered Markdown may keep: text structure and links, nothing that runs or restyles.
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


class NetworkError(ValueError):
    """A refusal the reader is told about: ``key`` is a message of ``messages_network.toml``."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key = key
        self.values = values


# -- Markdown ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # raw HTML is passed on to nh3, which keeps only the allowed tags: a writer may use <br>
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def render_markdown(text: str) -> str:
    """``text`` (Markdown) as sanitised HTML: only :data:`ALLOWED_TAGS`, links to http(s) and
    mailto only (with ``rel="noopener noreferrer"``); scripts and styles go with their content."""
    html = _markdown().render(text or "")
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )


# -- input ---------------------------------------------------------------------------------------


@dataclass
class ExperienceInput:
    """What a form sends: plain values, checked by :func:`clean_input`."""

    title: str
    what_was_done: str
    language: str
    unit_ids: Sequence[str]
    goals: Sequence[int | str]
    targets: Sequence[str] = ()
    results: str = ""
    results_source: str = ""
    contact: str = ""
    period_start: int | str | None = None
    period_end: int | str | None = None
    links: Sequence[tuple[str, str]] = ()
    #: files already accepted by :func:`atlas.attachments.check`
    files: Sequence[Attachment] = ()


@dataclass(frozen=True)
class _Clean:
    title: str
    what_was_done: str
    language: str
    unit_ids: tuple[str, ...]
    goals: tuple[tuple[int, str], ...]
    results: str
    results_source: str
    contact: str
    period_start: int | None
    period_end: int | None
    links: tuple[tuple[str, str], ...]
    files: tuple[Attachment, ...] = ()


def _text(value: str | None, name: str, required: bool = False) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise NetworkError("network.error.text", field=name)
    if required and not text:
        raise NetworkError("network.error.required", field=name)
    if len(text) > LIMITS[name]:
        raise NetworkError("network.error.too_long", field=name, n=LIMITS[name])
    return text


def _year(value) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise NetworkError("network.error.year") from None
    if not 1950 <= year <= 2100:
        raise NetworkError("network.error.year")
    return year


def clean_input(data: ExperienceInput, store: Store) -> _Clean:
    """``data`` checked and trimmed, or NetworkError naming the first field to correct."""
    title = " ".join(_text(data.title, "title", required=True).split())
    what = _text(data.what_was_done, "what_was_done", required=True)
    if data.language not in EXPERIENCE_LANGS:
        raise NetworkError("network.error.language")
    units = tuple(dict.fromkeys(u.strip().upper() for u in data.unit_ids if u.strip()))
    if not units:
        raise NetworkError("network.error.no_unit")
    if len(units) > MAX_UNITS:
        raise NetworkError("network.error.too_many_units", n=MAX_UNITS)
    for u in units:
        try:
            store.unit(u)
        except KeyError:
            raise NetworkError("network.error.unit", unit=u[:40]) from None
    goals: list[tuple[int, str]] = []
    for g in data.goals:
        try:
            goal = int(str(g).strip())
        except ValueError:
            raise NetworkError("network.error.goal") from None
        if goal not in GOALS:
            raise NetworkError("network.error.goal")
        goals.append((goal, ""))
    for tgt in data.targets:
        tgt = tgt.strip().upper()
        if not tgt:
            continue
        if not _TARGET.fullmatch(tgt):
            raise NetworkError("network.error.target", target=tgt[:8])
        goals.append((int(tgt[0]), tgt))
    goals = list(dict.fromkeys(goals))
    if not goals:
        raise NetworkError("network.error.no_goal")
    start, end = _year(data.period_start), _year(data.period_end)
    if start is not None and end is not None and start > end:
        raise NetworkError("network.error.period")
    links = []
    for url, label in data.links:
        if not url.strip():
            continue
        try:
            url = http_url(url)
        except PlanError:
            raise NetworkError("network.error.url", url=url.strip()[:80]) from None
        links.append((url, " ".join(_text(label, "link_label").split())))
    if len(links) > MAX_LINKS:
        raise NetworkError("network.error.too_many_links", n=MAX_LINKS)
    if len(data.files) > MAX_FILES or not all(isinstance(f, Attachment) for f in data.files):
        raise NetworkError("network.error.files", n=MAX_FILES)
    return _Clean(
        title=title,
        what_was_done=what,
        language=data.language,
        unit_ids=units,
        goals=tuple(goals),
        results=_text(data.results, "results"),
        results_source=_text(data.results_source, "results_source"),
        contact=_text(data.contact, "contact"),
        period_start=start,
        period_end=end,
        links=tuple(links),
        files=tuple(data.files),
    )


# -- views -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExperienceView:
    """An experience as the pages show it: the Markdown fields already sanitised HTML."""

    id: int
    title: str
    status: str
    language: str
    period_start: int | None
    period_end: int | None
    unit_ids: tuple[str, ...]
    countries: tuple[str, ...]
    goals: tuple[int, ...]
    targets: tuple[str, ...]
    what_was_done_html: str
    results_html: str
    results_source_html: str
    contact: str
    links: tuple[tuple[str, str], ...]
    created_at: dt.datetime
    moderation_note: str = ""
    submitted_by: int | None = None
    files: tuple[FileInfo, ...] = ()


@dataclass(frozen=True)
class FileInfo:
    """An attached file as a page lists it (its bytes are read only to serve it)."""

    id: int
    filename: str
    media_type: str
    size: int


def _view(e: Experience) -> ExperienceView:
    units = tuple(sorted(u.unit_id for u in e.units))
    return ExperienceView(
        id=e.id,
        title=e.title,
        status=e.status,
        language=e.language,
        period_start=e.period_start,
        period_end=e.period_end,
        unit_ids=units,
        countries=tuple(sorted({u[:3] for u in units})),
        goals=tuple(sorted({g.goal for g in e.goals})),
        targets=tuple(sorted({g.target for g in e.goals if g.target})),
        what_was_done_html=render_markdown(e.what_was_done),
        results_html=render_markdown(e.results),
        results_source_html=render_markdown(e.results_source),
        contact=e.contact,
        links=tuple((lk.url, lk.label) for lk in sorted(e.links, key=lambda lk: lk.id)),
        created_at=e.created_at,
        moderation_note=e.moderation_note,
        submitted_by=e.submitted_by,
        files=tuple(FileInfo(f.id, f.filename, f.media_type, f.size) for f in e.files),
    )


# -- writing -----------------------------------------------------------------------------------


def _places(store: Store, unit_ids: Iterable[str]) -> list[accounts.Place]:
    return [accounts.place_of(store, u) for u in unit_ids]


def may_write_directly(by: Principal | None, store: Store, unit_ids: Iterable[str]) -> bool:
    """Whether ``by`` writes an experience of these units without moderation (an admin, or an
    editor covering every one of them)."""
    places = _places(store, unit_ids)
    return bool(places) and all(accounts.can(by, EDIT_EXPERIENCE, p) for p in places)


def create(
    db: Database,
    by: Principal | None,
    store: Store,
    data: ExperienceInput,
    publish: bool = False,
    ip: str = "",
) -> ExperienceView:
    """Record an experience. Written directly (``approved`` if ``publish``, else ``draft``) by
    whoever may ``edit_experience`` every unit it names; from anyone else it is a submission,
    ``pending`` for a reviewer (``publish`` is then ignored)."""
    accounts.require(by, SUBMIT_EXPERIENCE)
    c = clean_input(data, store)
    direct = may_write_directly(by, store, c.unit_ids)
    status = ("approved" if publish else "draft") if direct else "pending"
    with db.session() as s:
        e = Experience(
            title=c.title,
            what_was_done=c.what_was_done,
            results=c.results,
            results_source=c.results_source,
            contact=c.contact,
            language=c.language,
            period_start=c.period_start,
            period_end=c.period_end,
            status=status,
            submitted_by=by.id if by is not None else None,
            units=[ExperienceUnit(unit_id=u) for u in c.unit_ids],
            goals=[ExperienceGoal(goal=g, target=t) for g, t in c.goals],
            links=[ExperienceLink(url=u, label=lb) for u, lb in c.links],
            files=[
                ExperienceFile(
                    filename=f.filename,
                    media_type=f.media_type,
                    size=f.size,
                    sha256=f.sha256,
                    data=f.data,
                )
                for f in c.files
            ],
        )
        if status == "approved":
            e.moderated_by, e.moderated_at = (by.id if by else None), utcnow()
        s.add(e)
        s.flush()
        accounts.audit(
            s,
            by,
            "create_experience" if direct else "submit_experience",
            "experience",
            e.id,
            ip,
            status=status,
            units=list(c.unit_ids),
            files=[f.filename for f in c.files],
        )
        return _view(e)


def moderate(
    db: Database,
    by: Principal | None,
    experience_id: int,
    approve: bool,
    note: str = "",
    ip: str = "",
) -> ExperienceView:
    """Approve or reject a pending experience (a reviewer or an admin: ``moderate``)."""
    accounts.require(by, MODERATE)
    note = _text(note, "moderation_note")
    with db.session() as s:
        e = s.get(Experience, experience_id)
        if e is None:
            raise NetworkError("network.error.no_experience")
        if e.status != "pending":
            raise NetworkError("network.error.not_pending")
        e.status = "approved" if approve else "rejected"
        e.moderation_note = note
        e.moderated_by = by.id if by is not None else None
        e.moderated_at = utcnow()
        accounts.audit(
            s, by, "approve" if approve else "reject", "experience", e.id, ip, note=note[:200]
        )
        return _view(e)


def set_status(
    db: Database,
    by: Principal | None,
    store: Store,
    experience_id: int,
    publish: bool,
    ip: str = "",
) -> ExperienceView:
    """An editor of every unit of a draft publishes it (or takes a published one back to
    draft)."""
    with db.session() as s:
        e = s.get(Experience, experience_id)
        if e is None:
            raise NetworkError("network.error.no_experience")
        for place in _places(store, (u.unit_id for u in e.units)):
            accounts.require(by, EDIT_EXPERIENCE, place)
        if e.status not in ("draft", "approved"):
            raise NetworkError("network.error.status")
        e.status = "approved" if publish else "draft"
        accounts.audit(s, by, "publish" if publish else "unpublish", "experience", e.id, ip)
        return _view(e)


# -- reading -----------------------------------------------------------------------------------


def _with_all(q: Select) -> Select:
    """``q`` newest first, with every experience's units, goals, links and files (not their
    bytes) read in one query each, not a query per experience and relation."""
    return q.options(
        selectinload(Experience.units),
        selectinload(Experience.goals),
        selectinload(Experience.links),
        selectinload(Experience.files),
    ).order_by(Experience.created_at.desc(), Experience.id.desc())


def get(
    session: Session, experience_id: int, viewer: Principal | None = None
) -> ExperienceView | None:
    """The experience, if ``viewer`` may see it: approved ones to anyone; others to a moderator
    and to whoever submitted it. None otherwise (the page says "not found")."""
    e = session.get(Experience, experience_id)
    if e is None:
        return None
    if e.status == "approved" or accounts.can(viewer, MODERATE):
        return _view(e)
    if viewer is not None and e.submitted_by == viewer.id:
        return _view(e)
    return None


def search(
    session: Session,
    *,
    goal: int | None = None,
    country: str = "",
    keyword: str = "",
    limit: int = 50,
    offset: int = 0,
) -> list[ExperienceView]:
    """Approved experiences on ``goal`` (1-8), in ``country`` (ISO3: one of their units is
    there), whose title or texts hold ``keyword`` whatever its accents, case and punctuation
    ("sao paulo" finds "São Paulo"); newest first."""
    q = select(Experience).where(Experience.status == "approved")
    if goal is not None:
        q = q.where(
            Experience.id.in_(
                select(ExperienceGoal.experience_id).where(ExperienceGoal.goal == goal)
            )
        )
    if country:
        q = q.where(
            Experience.id.in_(
                select(ExperienceUnit.experience_id).where(
                    ExperienceUnit.unit_id.like(country.upper()[:3] + "%")
                )
            )
        )
    keyword = keyword[:KEYWORD_MAX]
    if keyword.strip():
        # folded text holds only letters, digits and single spaces: no LIKE wildcard is left;
        # a keyword of punctuation alone folds to nothing and finds nothing
        folded = search_text(keyword).strip()
        q = q.where(Experience.search_text.like(f"%{folded}%") if folded else false())
    rows = session.scalars(_with_all(q).limit(max(1, min(limit, 200))).offset(max(0, offset)))
    return [_view(e) for e in rows]


def experiences_for_unit(session: Session, unit_id: str) -> list[ExperienceView]:
    """The approved experiences that took place in ``unit_id`` (for its report and the map)."""
    q = select(Experience).where(
        Experience.status == "approved",
        Experience.id.in_(
            select(ExperienceUnit.experience_id).where(ExperienceUnit.unit_id == unit_id)
        ),
    )
    return [_view(e) for e in session.scalars(_with_all(q))]


def pending(session: Session, by: Principal | None) -> list[ExperienceView]:
    """The moderation queue, oldest first (``moderate`` only)."""
    accounts.require(by, MODERATE)
    q = (
        select(Experience)
        .where(Experience.status == "pending")
        .order_by(Experience.created_at, Experience.id)
    )
    return [_view(e) for e in session.scalars(q)]


@dataclass(frozen=True)
class FileData:
    """An attached file to serve: its name, type and bytes, and whether it is public (an
    approved experience's, which a shared cache may keep)."""

    filename: str
    media_type: str
    data: bytes
    public: bool


def file_for(
    session: Session,
    store: Store,
    experience_id: int,
    file_id: int,
    viewer: Principal | None = None,
) -> FileData | None:
    """The file ``file_id`` of ``experience_id``, if ``viewer`` may see it: an approved
    experience's to anyone; a draft's to whoever may publish it and to a moderator; a pending or
    rejected one's to a moderator only. None otherwise (the page says "not found")."""
    f = session.get(ExperienceFile, file_id)
    if f is None or f.experience_id != experience_id:
        return None
    e = session.get(Experience, experience_id)
    allowed = (
        e.status == "approved"
        or accounts.can(viewer, MODERATE)
        or (e.status == "draft" and may_write_directly(viewer, store, (u.unit_id for u in e.units)))
    )
    if not allowed:
        return None
    return FileData(f.filename, f.media_type, f.data, e.status == "approved")


@dataclass(frozen=True)
class Similar:
    """Another approved experience on some of the same goals, in other places."""

    experience: ExperienceView
    shared_goals: tuple[int, ...]
    other_country: bool = field(default=False)


def similar_places(session: Session, experience_id: int, limit: int = 6) -> list[Similar]:
    """ "Similar places that tried this": approved experiences in *other* units that address at
    least one of the same goals; those sharing more goals first, then those of other countries
    (horizontal cooperation across borders), then the newest."""
    e = session.get(Experience, experience_id)
    if e is None:
        return []
    goals = {g.goal for g in e.goals}
    units = {u.unit_id for u in e.units}
    countries = {u[:3] for u in units}
    if not goals:
        return []
    q = select(Experience).where(
        Experience.status == "approved",
        Experience.id != experience_id,
        Experience.id.in_(
            select(ExperienceGoal.experience_id).where(ExperienceGoal.goal.in_(goals))
        ),
    )
    found = []
    for other in session.scalars(_with_all(q)):
        their_units = {u.unit_id for u in other.units}
        if their_units <= units:
            continue  # the same places: not "other places"
        shared = tuple(sorted(goals & {g.goal for g in other.goals}))
        abroad = bool({u[:3] for u in their_units} - countries)
        found.append(Similar(_view(other), shared, abroad))
    found.sort(key=lambda s: (-len(s.shared_goals), not s.other_country))
    return found[:limit]
