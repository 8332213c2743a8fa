"""Uploaded files kept between the upload page's steps, in ``<ATLAS_DATA_DIR>/uploads/<token>/``
(never in the session cookie): the file's bytes and who uploaded it, so only its uploader can go
on with it. A token is random (``secrets.token_urlsafe``) and checked against its pattern before
it names a folder. Folders older than :data:`KEEP` are removed when a new file comes in.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path

FOLDER = "uploads"
#: How long an upload waits for its next step.
KEEP = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


class Expired(LookupError):
    """The upload named is gone (or was never this account's): the reader uploads it again."""


def _root(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def save(data_dir: Path, user_id: int | None, filename: str, data: bytes) -> str:
    """Keep ``data`` for ``user_id``; returns the token that names it."""
    root = _root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP
    for old in root.iterdir():
        if old.is_dir() and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
    token = secrets.token_urlsafe(32)
    folder = root / token
    folder.mkdir(mode=0o700)
    (folder / "file").write_bytes(data)
    (folder / "uploader").write_text(
        json.dumps({"user_id": user_id, "filename": Path(filename or "").name[:200]})
    )
    return token


def load(data_dir: Path, token: str, user_id: int | None) -> tuple[str, bytes]:
    """The file's name and bytes, if ``token`` names an upload of ``user_id``."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise Expired(token)
    folder = _root(data_dir) / token
    try:
        meta = json.loads((folder / "uploader").read_text())
        if meta.get("user_id") != user_id:
            raise Expired(token)
        return meta.get("filename", ""), (folder / "file").read_bytes()
    except (OSError, ValueError):
        raise Expired(token) from None


def discard(data_dir: Path, token: str) -> None:
    if isinstance(token, str) and _TOKEN.fullmatch(token):
        shutil.rmtree(_root(data_dir) / token, ignore_errors=True)
