"""Settings: one table, read from ``ATLAS_*`` environment variables (explicit value > env > default).

README's settings table is tested against :data:`SETTINGS`, so the two cannot drift.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from atlas.i18n import LANGS

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return f"ATLAS_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("raw_dir", "../shared/data", "Folder of the producers' raw files (BRA/, CHL/, ...)."),
    Setting("store_dir", "store", "Folder of the built data store (git-ignored)."),
    Setting(
        "store_grace_hours",
        "24",
        "Hours a build keeps a replaced store release (and a killed build's leftovers) before removing it; the two newest releases are always kept.",
    ),
    Setting("host", "127.0.0.1", "Address the development server listens on."),
    Setting("port", "8050", "Port the development server listens on."),
    Setting(
        "default_lang", "es", "Language of the interface when the URL names none (es, pt or en)."
    ),
    Setting("default_country", "BRA", "Country shown first (ISO3)."),
    Setting("default_indicator", "infant_mortality", "Indicator shown first (catalog id)."),
    Setting(
        "map_style",
        "white-bg",
        "Basemap of the maps: white-bg needs no tile server; e.g. carto-positron needs internet.",
    ),
    Setting("debug", "false", "Dash debug mode (never in production)."),
    Setting(
        "static_max_age",
        "31536000",
        "Cache lifetime in seconds of the content-hashed files: geometry, plotly.js, MapLibre.",
    ),
    Setting(
        "url_prefix",
        "/",
        "Path the atlas is served under, e.g. /atlas/ behind a reverse proxy that forwards it.",
    ),
    Setting(
        "cache_url",
        "",
        "Shared cache of answers, e.g. redis://127.0.0.1:6379/0 for several processes; empty: "
        "each process keeps its own in memory.",
    ),
    Setting(
        "cache_size",
        "200",
        "Answers an in-memory cache keeps per process (a Brazil map answer is 0.1-0.6 MB); 0 "
        "turns it off.",
    ),
    Setting("cache_timeout", "86400", "Seconds an answer stays in the cache."),
    Setting(
        "upload_max_mb",
        "20",
        "Largest file (MB) a local government may upload as its own data (CSV or XLSX); larger "
        "ones are refused before they are read.",
    ),
    Setting(
        "attachment_max_mb",
        "10",
        "Largest file (MB) attached to an experience of the e-network (PDF, PNG, JPEG, "
        "ODF or Office documents, at most 5 per experience).",
    ),
    Setting(
        "data_dir",
        "var",
        "Folder of what the atlas writes: the SQLite database (atlas.sqlite3) and the generated "
        "secret key (git-ignored).",
    ),
    Setting(
        "database_url",
        "",
        "Database of accounts and contributions, e.g. postgresql://user@host/atlas (psycopg 3); "
        "empty: SQLite in the data folder.",
    ),
    Setting(
        "secret_key",
        "",
        "Key that signs session cookies; empty: one is generated once and kept in the data "
        "folder (secret_key, readable by its owner only). Every process of a deployment needs the same one.",
    ),
    Setting(
        "trusted_proxies",
        "0",
        "Reverse proxies in front of the app whose X-Forwarded-For and -Proto it believes (the "
        "client's address for the login limit, HTTPS for the cookie); 1 behind one nginx.",
    ),
    Setting(
        "cookie_secure",
        "auto",
        "Send the session cookie over HTTPS only: true, false, or auto (when the request came "
        "over HTTPS).",
    ),
)


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    store_dir: Path
    store_grace_hours: float
    host: str
    port: int
    default_lang: str
    default_country: str
    default_indicator: str
    map_style: str
    debug: bool
    static_max_age: int
    url_prefix: str
    cache_url: str = ""
    cache_size: int = 200
    cache_timeout: int = 86400
    upload_max_mb: float = 20.0
    attachment_max_mb: float = 10.0
    data_dir: Path = ROOT / "var"
    database_url: str = ""
    secret_key: str = ""
    cookie_secure: str = "auto"
    trusted_proxies: int = 0


def _path(value: str) -> Path:
    """Relative paths are relative to the repository (so defaults work from any directory)."""
    p = Path(value).expanduser()
    return p if p.is_absolute() else (ROOT / p).resolve()


#: One segment of a URL prefix: unreserved URL characters only (RFC 3986), so the prefix needs no
#: escaping in a link, an HTML attribute or a Flask route.
_PREFIX_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")


def url_prefix(value: str) -> str:
    """``ATLAS_URL_PREFIX`` normalised as Dash wants it: ``/`` or ``/a/b/`` (empty, ``atlas``,
    ``/atlas`` and ``//atlas//`` are all ``/atlas/``). Anything that is not such a path (a
    scheme, a host, a query, ``..``, a backslash) is refused."""
    segments = [s for s in value.strip().split("/") if s]
    for s in segments:
        if not _PREFIX_SEGMENT.match(s) or s in (".", ".."):
            raise ValueError(
                f"ATLAS_URL_PREFIX must be a path such as /atlas/ (letters, digits and - _ . ~ "
                f"between slashes), not {value!r}."
            )
    return "/" + "".join(f"{s}/" for s in segments)


def cache_url(value: str) -> str:
    """``ATLAS_CACHE_URL``: empty, or a ``redis://`` / ``rediss://`` / ``unix://`` address."""
    value = value.strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(
            f"ATLAS_CACHE_URL must be empty or a Redis address such as "
            f"redis://127.0.0.1:6379/0, not {value!r}."
        )
    return value


def _positive(value: str, env: str) -> float:
    """A number greater than 0, or a message naming the variable."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number > 0:
        raise ValueError(f"{env} must be a number of megabytes greater than 0, not {value!r}.")
    return number


def database_url(value: str) -> str:
    """``ATLAS_DATABASE_URL``: empty (SQLite in the data folder), a ``sqlite:///`` path or a
    PostgreSQL address; ``postgresql://`` means psycopg 3 (``postgresql+psycopg://``)."""
    value = value.strip()
    if not value:
        return ""
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if scheme in ("postgresql+psycopg", "sqlite"):
        return value
    raise ValueError(
        "ATLAS_DATABASE_URL must be empty, sqlite:///path or postgresql://user@host/db, "
        f"not a {scheme or 'bare'} address."
    )


def cookie_secure(value: str) -> str:
    value = value.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return "true"
    if value in ("0", "false", "no", "off"):
        return "false"
    if value == "auto":
        return value
    raise ValueError(f"ATLAS_COOKIE_SECURE must be true, false or auto, not {value!r}.")


def readme_table() -> str:
    """The README's settings table, generated from :data:`SETTINGS`."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [
        f"| `{s.env}` | {f'`{s.default}`' if s.default else '(empty)'} | {s.help} |"
        for s in SETTINGS
    ]
    return "\n".join(rows)


def settings(**overrides: str) -> Settings:
    """Resolve every setting: keyword override, then ``ATLAS_<NAME>``, then the default."""
    values = {}
    for s in SETTINGS:
        values[s.name] = overrides.get(s.name, os.environ.get(s.env, s.default))
    lang = values["default_lang"]
    if lang not in LANGS:
        named = ", ".join(LANGS[:-1]) + " or " + LANGS[-1]
        raise ValueError(f"ATLAS_DEFAULT_LANG must be {named}, not {lang!r}.")
    return Settings(
        raw_dir=_path(values["raw_dir"]),
        store_dir=_path(values["store_dir"]),
        store_grace_hours=float(values["store_grace_hours"]),
        host=values["host"],
        port=int(values["port"]),
        default_lang=lang,
        default_country=values["default_country"].upper(),
        default_indicator=values["default_indicator"],
        map_style=values["map_style"],
        debug=str(values["debug"]).lower() in ("1", "true", "yes", "on"),
        static_max_age=int(values["static_max_age"]),
        url_prefix=url_prefix(values["url_prefix"]),
        cache_url=cache_url(values["cache_url"]),
        cache_size=int(values["cache_size"]),
        cache_timeout=int(values["cache_timeout"]),
        upload_max_mb=_positive(values["upload_max_mb"], "ATLAS_UPLOAD_MAX_MB"),
        attachment_max_mb=_positive(values["attachment_max_mb"], "ATLAS_ATTACHMENT_MAX_MB"),
        data_dir=_path(values["data_dir"]),
        database_url=database_url(values["database_url"]),
        secret_key=values["secret_key"],
        cookie_secure=cookie_secure(values["cookie_secure"]),
        trusted_proxies=int(values["trusted_proxies"]),
    )
