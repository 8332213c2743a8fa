"""What an uploaded file is, judged by its bytes, and whether it is safe to open.

Checked before any parser sees the file: its size, its kind by magic bytes (never by its name),
and for a workbook the zip's directory: macros (a ``vbaProject.bin``, a macro-enabled content
type), and a zip bomb (the declared uncompressed sizes and ratios, and the number of entries).
Python's :mod:`zipfile` stops reading an entry at its declared size and then fails its CRC
check, so an entry that lies about its size cannot inflate past what is checked here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from atlas.contrib.errors import UploadError
from atlas.settings import settings

MB = 1024 * 1024

#: Magic bytes of files people upload by mistake, and the name the message gives them.
_OTHER_KINDS = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"{\\rtf", "RTF"),
    (b"MZ", "EXE"),
    (b"\x7fELF", "ELF"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls/.doc, and password-protected .xlsx
_ZIP = (b"PK\x03\x04",)
_EMPTY_ZIP = b"PK\x05\x06"
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
#: Content types of the workbook part that openpyxl reads (.xlsx, and .xltx templates).
_XLSX_MAIN = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)


@dataclass(frozen=True)
class Limits:
    """What an upload may weigh and hold. ``max_bytes`` comes from ``ATLAS_UPLOAD_MAX_MB``; the
    others bound what opening it may cost (a 20 MB workbook of repeated cells is 200 MB of XML
    at most, far more than any producer's municipal table)."""

    max_bytes: int = 20 * MB
    #: the uncompressed size of every entry of a workbook together
    max_unzipped: int = 200 * MB
    #: how much more an entry over 1 MB may weigh uncompressed than compressed; real producers'
    #: sheets compress 5-30 times, zip bombs 1,000 times and more
    max_ratio: float = 100.0
    max_entries: int = 2_000
    max_rows: int = 200_000
    max_columns: int = 500

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(max_bytes=int(settings().upload_max_mb * MB))


def _mb(n: int) -> str:
    return f"{n / MB:.1f}"


def sniff(data: bytes, limits: Limits) -> str:
    """``"xlsx"`` or ``"text"``: the kind of the file by its bytes, or :class:`UploadError`."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise UploadError("empty")
    if len(data) > limits.max_bytes:
        raise UploadError("too_large", size_mb=_mb(len(data)), limit_mb=_mb(limits.max_bytes))
    if data.startswith(_OLE):
        # an OLE container is a legacy workbook or an encrypted (password-protected) one
        raise UploadError(
            "encrypted" if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data else "legacy_xls"
        )
    if data.startswith(_ZIP) or data.startswith(_EMPTY_ZIP):
        return "xlsx"
    for magic, name in _OTHER_KINDS:
        if data.startswith(magic):
            raise UploadError("not_tabular", kind=name)
    head = data[:8192]
    if not head.startswith(_TEXT_BOMS[1:]) and b"\x00" in head:
        raise UploadError("not_tabular", kind="binary")
    return "text"


def has_macros(names: Iterable[str], content_types: bytes = b"") -> bool:
    """Whether a zip's entries (their names, lower case) or its ``[Content_Types].xml`` hold
    code: Office's VBA project or ActiveX binaries, a macro-enabled content type, OpenDocument's
    Basic modules (``Basic/<library>/<module>.xml``) or scripts (``Scripts/``). Workbook uploads
    and the e-network's attachments (:mod:`atlas.attachments`) refuse them alike."""
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        return True
    return any(
        n.endswith("vbaproject.bin")
        or (n.endswith(".bin") and "activex" in n)
        or (n.startswith("basic/") and n.endswith(".xml") and n.count("/") >= 2)
        or n.startswith("scripts/")
        for n in names
    )


def check_workbook(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The workbook's zip, once its directory says it holds no macros and no bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadError("corrupt") from None
    if len(entries) > limits.max_entries:
        raise UploadError("zip_bomb")
    names = {e.filename.lower() for e in entries}
    total = 0
    for e in entries:
        if e.flag_bits & 0x1:
            raise UploadError("encrypted")
        total += e.file_size
        if e.file_size > MB and e.file_size > limits.max_ratio * max(e.compress_size, 1):
            raise UploadError("zip_bomb")
    if total > limits.max_unzipped:
        raise UploadError("zip_bomb")
    if has_macros(names):
        raise UploadError("macros")
    if "[content_types].xml" not in names:
        raise UploadError("unsupported_zip")
    try:
        types = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadError("corrupt") from None
    if has_macros((), types):
        raise UploadError("macros")
    if not any(kind.encode() in types for kind in _XLSX_MAIN):
        # a .docx, .ods, .xlsb, a zip of CSV files...
        raise UploadError("unsupported_zip")
    return archive
