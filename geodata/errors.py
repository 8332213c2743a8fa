"""Errors raised by the build. Each names the file and the fix."""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """A hard error: the build stops and the previous store stays in place."""

    def __init__(self, message: str, *, path: Path | str | None = None, fix: str | None = None):
        self.path = str(path) if path is not None else None
        self.fix = fix
        parts = [message]
        if path is not None:
            parts.append(f"File: {path}")
        if fix:
            parts.append(f"Fix: {fix}")
        super().__init__("\n  ".join(parts))
