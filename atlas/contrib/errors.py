"""The one exception an upload can raise: :class:`UploadError`, a code and its parameters.

The code names a message of the text registry (``contrib.error.<code>`` in
``atlas/messages_contrib.toml``), so the page shows it in the reader's language; the parameters
fill its ``{placeholders}``. Nothing else escapes :func:`atlas.contrib.read_upload`.
"""

from __future__ import annotations

from atlas.i18n import t

#: Every code an :class:`UploadError` may carry (each has a message in es, pt and en).
ERROR_CODES = (
    "empty",
    "too_large",
    "not_tabular",
    "legacy_xls",
    "encrypted",
    "unsupported_zip",
    "macros",
    "zip_bomb",
    "corrupt",
    "encoding",
    "encoding_mixed",
    "too_many_rows",
    "too_many_columns",
    "formulas",
    "no_sheet",
    "no_table",
    "bad_rows",
    "mapping_column",
    "mapping_unit",
    "mapping_year",
    "mapping_value",
)


class UploadError(Exception):
    """A file refused, with the reason as a message code and its parameters."""

    def __init__(self, code: str, **params):
        if code not in ERROR_CODES:
            raise ValueError(f"Unknown upload error code {code!r}.")
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}" if params else code)

    def message(self, lang: str) -> str:
        """The reason in ``lang`` (es, pt or en), as the reader sees it."""
        return t(f"contrib.error.{self.code}", lang, **self.params)
