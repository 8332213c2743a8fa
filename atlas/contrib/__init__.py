"""Local governments' own data: an uploaded file read, checked, mapped and validated.

Plain Python (no Dash, no database): the upload page and publishing call it.

* :func:`read_upload` -> :class:`Table` (CSV or XLSX, producers' workbooks included) or
  :class:`UploadError` (one code per reason, a message in es/pt/en);
* :func:`suggest_mapping` -> :class:`Mapping`: which column holds the unit's code or name, the
  year, the value and its interval, every choice the user's to change;
* :func:`validate` -> :class:`Report`: each row OK or with its problems, counts by kind, and the
  clean rows ready to publish.
"""

from atlas.contrib.errors import ERROR_CODES, UploadError
from atlas.contrib.reading import Table, read_upload
from atlas.contrib.safety import Limits

__all__ = ["ERROR_CODES", "Limits", "Table", "UploadError", "read_upload"]
