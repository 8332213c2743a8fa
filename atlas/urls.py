"""Every path the atlas serves or links to, built in one place (as Datasette's ``url_builder.py``).

The atlas may be served under a prefix (``ATLAS_URL_PREFIX``, e.g. ``/atlas/`` behind a reverse
proxy): its pages, Dash's own routes and assets, the geometry, the vendor scripts and the health
check all live under it. Incoming paths are read back by :meth:`URLs.route` into a :class:`Page`,
and links to the same page in another language are built from that page, never from the raw
request path, so no link can leave the site (``//evil.example/x`` is an unknown page whose links
go home).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlencode

from atlas.compare import CompareQuery, parse_query, query_string
from atlas.i18n import DEFAULT_LANG
from atlas.urlstate import State, lang_query, serialise

if TYPE_CHECKING:
    from atlas.settings import Settings

#: The pages the router knows.
MAP, METHOD, UNIT, DATA, NOT_FOUND = "map", "method", "unit", "data", "not_found"
COMPARE = "compare"
#: The map alone (title, legend, source, a link back), the one page other sites may frame.
EMBED = "embed"
#: Dash serves the assets folder at this path under the prefix (its ``assets_url_path``).
ASSETS = "assets"
#: The name of a unit report's data files (``unit/<id>/report.csv``).
REPORT_FILE = "report"
#: The open data API's root under the prefix (``/api/v1/units``, callbacks/api.py).
API_ROOT = "api/v1"
#: The map view's files (``export/view.png?<the map's query>``) and its link-preview image.
EXPORT_FORMATS = ("png", "svg", "csv", "xlsx")
EXPORT_PATH = "export/view"
PREVIEW_PATH = "preview/view.png"
#: Accounts: plain server-rendered forms under ``account/`` (callbacks/accounts.py), not Dash
#: pages: each posts to itself with its CSRF token.
ACCOUNT_ROOT = "account"
ACCOUNT_PAGES = ("login", "logout", "admin", "invitation")
#: The e-network of experiences (catalogue, one experience, submission, moderation queue) and the
#: units' local development plans: server-rendered forms like the account pages
#: (callbacks/network.py).
NETWORK_ROOT = "network"
NETWORK_PAGES = ("", "submit", "moderate")
PLANS_ROOT = "plans"
#: Contributed data: the upload page's steps and each dataset's page (callbacks/contribute.py),
#: server-rendered forms like the account pages.
CONTRIB_ROOT = "contribute"
#: The placeholder of a route's one argument: one path segment, percent-encoded in links.
ARG = "{arg}"


def report_query(lang: str, default_lang: str, target: State | None) -> str:
    """The query of a unit's report: its language and, when ``target`` names one, the framework
    and the local target (the map's keys ``f``, ``i``, ``lv``, ``ly``)."""
    if target is None or target.framework == State().framework:
        return lang_query(lang, default_lang)
    local = target.framework == "local"
    keep = State(
        lang=lang,
        framework=target.framework,
        indicator=target.indicator if local else "",
        local_value=target.local_value if local else None,
        local_year=target.local_year if local else None,
    )
    return serialise(keep, State(lang=default_lang))


@dataclass(frozen=True)
class Page:
    """A page the router rendered: its name, its argument (the unit of a profile) and, for a page
    that keeps its state in the query string (the comparison), that query."""

    name: str
    arg: str = ""
    query: str = ""

    @property
    def unit_id(self) -> str:
        """The unit of a profile page."""
        return self.arg


@dataclass(frozen=True)
class Route:
    """Where a page lives under the prefix: ``pattern`` is a path (``"method"``) or a path whose
    last segment is the page's argument (``"unit/{arg}"``: one segment, never empty)."""

    name: str
    pattern: str

    def __post_init__(self) -> None:
        if self.pattern.startswith("/") or ARG in self.pattern.removesuffix(ARG):
            raise ValueError(f"Route {self.name!r}: {ARG} may only end the pattern.")

    @property
    def takes_arg(self) -> bool:
        return self.pattern.endswith(ARG)

    def match(self, rest: str) -> Page | None:
        """The page ``rest`` (the path after the prefix) names, if it is this route's."""
        if not self.takes_arg:
            return Page(self.name) if rest == self.pattern else None
        head = self.pattern.removesuffix(ARG)
        if not rest.startswith(head):
            return None
        arg = rest[len(head) :].removesuffix("/")
        return Page(self.name, unquote(arg)) if arg and "/" not in arg else None

    def path(self, arg: str = "") -> str:
        """The path after the prefix of the page with argument ``arg``."""
        if not self.takes_arg:
            return self.pattern
        return self.pattern.removesuffix(ARG) + quote(str(arg), safe="")


#: Every page of the atlas, in the order the router tries them. A new page is one line here and
#: one renderer in :data:`callbacks.router.RENDERERS` (tests check that the two agree).
ROUTES: tuple[Route, ...] = (
    Route(MAP, ""),
    Route(METHOD, "method"),
    Route(UNIT, "unit/" + ARG),
    Route(DATA, "data"),
    Route(COMPARE, "compare"),
    Route(EMBED, "embed"),
)
ROUTE_BY_NAME = {r.name: r for r in ROUTES}


@dataclass(frozen=True)
class URLs:
    """Builds every path from the settings: ``prefix`` as :func:`atlas.settings.url_prefix`
    normalises it (``/`` or ``/atlas/``), the interface's default language (links leave ``lang``
    out for it) and the map's default state (map links leave its values out)."""

    prefix: str = "/"
    default_lang: str = DEFAULT_LANG
    map_defaults: State = State()

    def __post_init__(self) -> None:
        p = self.prefix
        if not (p.startswith("/") and p.endswith("/")) or "//" in p or "\\" in p:
            raise ValueError(f"A URL prefix starts and ends with one '/', not {p!r}.")

    @classmethod
    def from_settings(cls, conf: Settings, map_defaults: State) -> URLs:
        return cls(
            prefix=conf.url_prefix, default_lang=conf.default_lang, map_defaults=map_defaults
        )

    def path(self, route: str = "") -> str:
        """``route`` (e.g. ``geo/<name>``, also a Flask rule) under the prefix: ``/atlas/geo/<name>``."""
        return self.prefix + route.lstrip("/")

    # -- pages ------------------------------------------------------------------------------

    def home(self, lang: str) -> str:
        """The atlas page in its default view."""
        return self.path() + lang_query(lang, self.default_lang)

    def map(self, state: State) -> str:
        """The atlas page showing ``state`` (values equal to the map's defaults left out)."""
        return self.path() + serialise(state, self.map_defaults)

    def embed(self, state: State) -> str:
        """The map of ``state`` alone, for other sites to frame (``/embed?...``, the map's
        query)."""
        return self.path(ROUTE_BY_NAME[EMBED].path()) + serialise(state, self.map_defaults)

    def method(self, lang: str) -> str:
        return self.page(Page(METHOD), lang)

    def unit(self, unit_id: str, lang: str, target: State | None = None) -> str:
        """A unit's report; the id is one path segment whatever it holds. ``target``: the
        framework and local target it answers for (its other fields are not the report's)."""
        path = self.path(ROUTE_BY_NAME[UNIT].path(unit_id))
        return path + report_query(lang, self.default_lang, target)

    def report_file(self, unit_id: str, fmt: str, lang: str, target: State | None = None) -> str:
        """The unit's report as a data file (``fmt``: csv or xlsx), for the same framework and
        local target as the page: ``/unit/<id>/report.csv?...``."""
        path = self.path(ROUTE_BY_NAME[UNIT].path(unit_id) + f"/{REPORT_FILE}.{fmt}")
        return path + report_query(lang, self.default_lang, target)

    def export(self, fmt: str, state: State) -> str:
        """The map view ``state`` as a file (``fmt``: one of :data:`EXPORT_FORMATS`): the map's
        own query after ``export/view.<fmt>``, so the file shows what the page shows."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"Unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}.")
        return self.path(f"{EXPORT_PATH}.{fmt}") + serialise(state, self.map_defaults)

    def preview(self, state: State) -> str:
        """The link-preview image (1200x630 PNG) of the map view ``state``."""
        return self.path(PREVIEW_PATH) + serialise(state, self.map_defaults)

    def data(self, lang: str, country: str = "") -> str:
        """The data page, at the section of ``country`` (ISO3) when one is named."""
        return self.page(Page(DATA), lang) + (f"#{quote(country, safe='')}" if country else "")

    def compare(self, query: CompareQuery) -> str:
        """The compare page showing ``query`` (``/compare?u=BRA4304408,MEX20067&i=...``)."""
        return self.path(ROUTE_BY_NAME[COMPARE].path()) + query_string(query, self.default_lang)

    def page(self, page: Page, lang: str, state: State | None = None) -> str:
        """``page`` in ``lang``: the same view for the map (``state``) and the comparison (its
        query), home for an unknown page."""
        if page.name == MAP and state is not None:
            return self.map(replace(state, lang=lang))
        if page.name == EMBED and state is not None:
            return self.embed(replace(state, lang=lang))
        if page.name == COMPARE:
            return self.compare(replace(parse_query(page.query, self.default_lang), lang=lang))
        if page.name == UNIT:
            return self.unit(page.arg, lang, state)
        route = ROUTE_BY_NAME.get(page.name)
        if route is None:
            return self.home(lang)
        return self.path(route.path(page.arg)) + lang_query(lang, self.default_lang)

    # -- files ------------------------------------------------------------------------------

    def asset(self, name: str) -> str:
        """A file of the assets folder, as Dash serves it."""
        return self.path(f"{ASSETS}/{name}")

    def geo(self, name: str) -> str:
        """A display geometry file of the store (``Store.geo_file``)."""
        return self.path("geo/" + quote(name, safe=""))

    def vendor(self, version: str, name: str) -> str:
        """A built plotly.js or MapLibre file of ``version`` (``app.vendor_version``)."""
        return self.path(f"vendor/{quote(version, safe='')}/{quote(name)}")

    def account(self, page: str, lang: str = "", **query) -> str:
        """An account page (:data:`ACCOUNT_PAGES`) in ``lang``, with ``query`` (e.g. ``next``)."""
        if page not in ACCOUNT_PAGES:
            raise ValueError(f"Unknown account page {page!r}; one of {', '.join(ACCOUNT_PAGES)}.")
        kept = {k: v for k, v in query.items() if v}
        if lang and lang != self.default_lang:
            kept["lang"] = lang
        path = self.path(f"{ACCOUNT_ROOT}/{page}")
        return path + ("?" + urlencode(sorted(kept.items())) if kept else "")

    def invitation(self, token: str, lang: str = "") -> str:
        """The page that accepts the invitation ``token`` (its link, sent to the invitee)."""
        path = self.path(f"{ACCOUNT_ROOT}/invitation/{quote(token, safe='')}")
        return path + lang_query(lang, self.default_lang) if lang else path

    def network(self, page: str = "", lang: str = "", **query) -> str:
        """A page of the e-network (:data:`NETWORK_PAGES`; "" the catalogue) in ``lang``, with
        ``query`` (the catalogue's search: ``goal``, ``country``, ``q``) in name order."""
        if page not in NETWORK_PAGES:
            raise ValueError(f"Unknown network page {page!r}; one of {', '.join(NETWORK_PAGES)}.")
        kept = {k: str(v) for k, v in query.items() if v not in (None, "")}
        if lang and lang != self.default_lang:
            kept["lang"] = lang
        path = self.path(f"{NETWORK_ROOT}/{page}" if page else NETWORK_ROOT)
        return path + ("?" + urlencode(sorted(kept.items())) if kept else "")

    def experience(self, experience_id: int, lang: str = "") -> str:
        """One experience of the e-network."""
        path = self.path(f"{NETWORK_ROOT}/{int(experience_id)}")
        return path + lang_query(lang, self.default_lang) if lang else path

    def experience_file(self, experience_id: int, file_id: int) -> str:
        """A file attached to an experience (a download, whatever the language)."""
        return self.path(f"{NETWORK_ROOT}/{int(experience_id)}/files/{int(file_id)}")

    def plan(self, unit_id: str, lang: str = "") -> str:
        """The local development plan of ``unit_id`` (its editor's page)."""
        path = self.path(f"{PLANS_ROOT}/{quote(unit_id, safe='')}")
        return path + lang_query(lang, self.default_lang) if lang else path

    def contribute_upload(self, lang: str = "") -> str:
        """The upload page (every step posts back to it)."""
        return self.path(f"{CONTRIB_ROOT}/upload") + (
            lang_query(lang, self.default_lang) if lang else ""
        )

    def dataset(self, dataset_id: int, lang: str = "") -> str:
        """A contributed dataset's page: its versions, and the rollback form."""
        path = self.path(f"{CONTRIB_ROOT}/dataset/{int(dataset_id)}")
        return path + (lang_query(lang, self.default_lang) if lang else "")

    def healthz(self) -> str:
        return self.path("healthz")

    def api(self, resource: str = "", **query) -> str:
        """A path of the open data API (``resource`` "" is its documentation page, e.g.
        ``units`` or ``units/<id>``), with ``query`` in name order and its empty values left
        out: ``/api/v1/observations?country=BRA&offset=1000``."""
        path = self.path(API_ROOT + (f"/{quote(resource)}" if resource else ""))
        kept = sorted((k, str(v)) for k, v in query.items() if v is not None and v != "")
        return path + ("?" + urlencode(kept) if kept else "")

    # -- incoming ---------------------------------------------------------------------------

    def route(self, pathname: str | None, search: str | None = None) -> Page:
        """The page a browser's pathname (prefix included, as ``dcc.Location`` gives it) asks for;
        the comparison keeps ``search`` (its state).

        The first of :data:`ROUTES` that matches: ``/atlas/`` (or no pathname yet) is the map,
        ``/atlas/method`` the methodology, ``/atlas/unit/<id>`` a profile (one segment,
        percent-decoded), ``/atlas/data`` the data page, ``/atlas/compare`` the comparison;
        anything else, including a path outside the prefix, is not found."""
        path = pathname or self.prefix
        if path == self.prefix.rstrip("/"):
            path = self.prefix
        if not path.startswith(self.prefix):
            return Page(NOT_FOUND)
        rest = path[len(self.prefix) :]
        for route in ROUTES:
            page = route.match(rest)
            if page is not None:
                return replace(page, query=search or "") if page.name == COMPARE else page
        return Page(NOT_FOUND)
