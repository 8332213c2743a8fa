"""Files attached to an experience of the e-network: which kinds are taken, judged by their
bytes (never by the name alone), how large and how many, each refusal with its own message.

Taken: PDF, PNG, JPEG, and the OpenDocument (ODT, ODS, ODP) and Office Open XML (DOCX, XLSX,
PPTX) documents. A file's content must be of the kind its extension names (a program renamed
``informe.pdf`` is refused); an Office file with macros (a ``vbaProject.bin``, a macro-enabled
content type) is refused; a zip is judged from its directory and its one small part that names
its kind (``mimetype`` or ``[Content_Types].xml``), never unpacked. The bytes are served back as
they came, as a download (``Content-Disposition: attachment``, ``nosniff``): nothing here opens
them further.

Plain Python: :mod:`atlas.network` stores what :func:`check` accepts, with the experience, in one
transaction.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from atlas.contrib.safety import has_macros
from atlas.i18n import t

MB = 1024 * 1024
#: Most files one experience may have.
MAX_FILES = 5
#: Why a file is refused (``attach.error.<key>``).
REFUSALS = ("too_many", "empty", "too_large", "type", "content", "mismatch", "macros", "corrupt")
#: A part of a zip read to tell its kind is at most this large (uncompressed).
_PART_MAX = 256 * 1024


@dataclass(frozen=True)
class Kind:
    name: str  # what the messages call it
    media_type: str
    extensions: tuple[str, ...]


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
KINDS = {
    "pdf": Kind("PDF", "application/pdf", (".pdf",)),
    "png": Kind("PNG", "image/png", (".png",)),
    "jpeg": Kind("JPEG", "image/jpeg", (".jpg", ".jpeg")),
    "odt": Kind("ODT", _ODF + "text", (".odt",)),
    "ods": Kind("ODS", _ODF + "spreadsheet", (".ods",)),
    "odp": Kind("ODP", _ODF + "presentation", (".odp",)),
    "docx": Kind("DOCX", _OOXML + "wordprocessingml.document", (".docx",)),
    "xlsx": Kind("XLSX", _OOXML + "spreadsheetml.sheet", (".xlsx",)),
    "pptx": Kind("PPTX", _OOXML + "presentationml.presentation", (".pptx",)),
}
#: What the file input offers (the server checks anyway).
ACCEPT = ",".join(e for k in KINDS.values() for e in k.extensions)
#: The main part's content type of each Office Open XML kind, as ``[Content_Types].xml`` names it.
_OOXML_MAIN = {
    "docx": b"wordprocessingml.document.main+xml",
    "xlsx": b"spreadsheetml.sheet.main+xml",
    "pptx": b"presentationml.presentation.main+xml",
}


@dataclass(frozen=True)
class Attachment:
    """A file accepted: its cleaned name, its kind and bytes."""

    filename: str
    kind: str
    data: bytes

    @property
    def media_type(self) -> str:
        return KINDS[self.kind].media_type

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Refusal:
    """Why one file was refused: ``attach.error.<key>`` with its values."""

    filename: str
    key: str  # one of REFUSALS
    values: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return t(f"attach.error.{self.key}", lang, filename=self.filename or "-", **self.values)


class AttachmentError(ValueError):
    """Some files were refused: every refusal, so the reader corrects them all at once."""

    def __init__(self, refusals: Sequence[Refusal]):
        super().__init__("; ".join(r.key for r in refusals))
        self.refusals = tuple(refusals)

    def messages(self, lang: str) -> list[str]:
        return [r.message(lang) for r in self.refusals]


def clean_filename(name: str | None) -> str:
    """The file's own name (no folder, either slash), printable, at most 200 characters with its
    extension kept: what the download is called."""
    base = PureWindowsPath(PurePosixPath(str(name or "")).name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    base = re.sub(r"\s+", " ", base).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[: 200 - len(ext) - 1]}.{ext}" if stem else f"file.{ext}"
    return base[:200]


def _zip_kind(data: bytes) -> tuple[str | None, str | None]:
    """(kind, problem) of a zip: an ODF or OOXML kind, ``macros``, or neither (None, None)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = {e.filename: e for e in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None, "corrupt"
    if has_macros(n.lower() for n in entries):
        return None, "macros"

    def part(name: str) -> bytes | None:
        e = entries.get(name)
        if e is None or e.file_size > _PART_MAX:
            return None
        try:
            return archive.read(e)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            return None

    mimetype = part("mimetype")
    if mimetype is not None:
        for kind in ("odt", "ods", "odp"):
            if mimetype.strip() == KINDS[kind].media_type.encode():
                return kind, None
        return None, None
    types = part("[Content_Types].xml")
    if types is None:
        return None, None
    if has_macros((), types):
        return None, "macros"
    for kind, main in _OOXML_MAIN.items():
        if main in types:
            return kind, None
    return None, None


def identify(data: bytes) -> tuple[str | None, str | None]:
    """(kind, problem): the kind of ``data`` by its bytes (:data:`KINDS`), or None with a
    problem (``macros``, ``corrupt``) or without (a kind not taken)."""
    if data.startswith(b"%PDF-"):
        return "pdf", None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", None
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg", None
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None, None


def _kind_of_name(filename: str) -> str | None:
    ext = PurePosixPath(filename.lower()).suffix
    return next((k for k, kind in KINDS.items() if ext in kind.extensions), None)


def check(
    files: Sequence[tuple[str | None, bytes]], max_bytes: int, max_files: int = MAX_FILES
) -> list[Attachment]:
    """The files (name, bytes) accepted, or :class:`AttachmentError` with every refusal: too
    many files, an empty or too large one, a kind not taken, content that is not what its name
    says, macros. A form's empty file field (no name, no bytes) is not a file."""
    given = [(clean_filename(n), d) for n, d in files if n or d]
    if len(given) > max_files:
        raise AttachmentError([Refusal("", "too_many", {"n": max_files, "given": len(given)})])
    accepted, refused = [], []
    limit_mb = f"{round(max_bytes / MB, 2):g}"
    for name, data in given:
        if not data:
            refused.append(Refusal(name, "empty"))
            continue
        if len(data) > max_bytes:
            size = f"{len(data) / MB:.{1 if len(data) >= MB else 2}f}"
            refused.append(Refusal(name, "too_large", {"size_mb": size, "limit_mb": limit_mb}))
            continue
        named = _kind_of_name(name)
        kind, problem = identify(data)
        if problem:
            refused.append(Refusal(name, problem))
        elif named is None:
            refused.append(Refusal(name, "type", {"kinds": _kinds()}))
        elif kind is None:
            refused.append(Refusal(name, "content", {"kind": KINDS[named].name}))
        elif kind != named:
            refused.append(
                Refusal(name, "mismatch", {"kind": KINDS[named].name, "found": KINDS[kind].name})
            )
        else:
            accepted.append(Attachment(name, kind, data))
    if refused:
        raise AttachmentError(refused)
    return accepted


def _kinds() -> str:
    return ", ".join(k.name for k in KINDS.values())
