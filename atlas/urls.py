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
from urllib.parse import quote, unquote

from atlas.i18n import DEFAULT_LANG
from atlas.urlstate import State, lang_query, serialise

if TYPE_CHECKING:
    from atlas.settings import Settings

#: The pages the router knows.
MAP, METHOD, UNIT, NOT_FOUND = "map", "method", "unit", "not_found"
#: Dash serves the assets folder at this path under the prefix (its ``assets_url_path``).
ASSETS = "assets"


@dataclass(frozen=True)
class Page:
    """A page the router rendered: its name and its argument (the unit of a profile)."""

    name: str
    unit_id: str = ""


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

    def method(self, lang: str) -> str:
        return self.path("method") + lang_query(lang, self.default_lang)

    def unit(self, unit_id: str, lang: str) -> str:
        """A unit's profile; the id is one path segment whatever it holds."""
        return self.path("unit/" + quote(str(unit_id), safe="")) + lang_query(
            lang, self.default_lang
        )

    def page(self, page: Page, lang: str, state: State | None = None) -> str:
        """``page`` in ``lang``: the same view for the map (``state``), home for an unknown page."""
        if page.name == MAP and state is not None:
            return self.map(replace(state, lang=lang))
        if page.name == METHOD:
            return self.method(lang)
        if page.name == UNIT:
            return self.unit(page.unit_id, lang)
        return self.home(lang)

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

    def healthz(self) -> str:
        return self.path("healthz")

    # -- incoming ---------------------------------------------------------------------------

    def route(self, pathname: str | None) -> Page:
        """The page a browser's pathname (prefix included, as ``dcc.Location`` gives it) asks for.

        ``/atlas/`` (or no pathname yet) is the map, ``/atlas/method`` the methodology,
        ``/atlas/unit/<id>`` a profile (one segment, percent-decoded); anything else, including a
        path outside the prefix, is not found."""
        path = pathname or self.prefix
        if path == self.prefix.rstrip("/"):
            path = self.prefix
        if not path.startswith(self.prefix):
            return Page(NOT_FOUND)
        rest = path[len(self.prefix) :]
        if rest == "":
            return Page(MAP)
        if rest == "method":
            return Page(METHOD)
        head, _, unit = rest.partition("/")
        unit = unit.removesuffix("/")
        if head == "unit" and unit and "/" not in unit:
            return Page(UNIT, unquote(unit))
        return Page(NOT_FOUND)
