"""The pieces of the server-rendered pages that write (accounts, contributed data, the
e-network and local plans): escaped text, labelled fields, the form with its CSRF token and the
notices screen readers announce. One place, so every such page labels and escapes alike."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def esc(value) -> str:
    """``value`` as HTML text or attribute value (None as nothing)."""
    return escape("" if value is None else str(value), quote=True)


def _attrs(attrs: dict) -> str:
    """Extra attributes: ``aria_describedby`` is written ``aria-describedby``; None leaves it out."""
    return "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)


def _label(name: str, label: str) -> str:
    return f'<label class="form-label" for="f-{name}">{esc(label)}</label>'


def field(name: str, label: str, kind: str = "text", value="", **attrs) -> str:
    """A labelled ``<input>`` (its id is ``f-<name>``)."""
    return (
        f'<div class="mb-3">{_label(name, label)}'
        f'<input class="form-control" id="f-{name}" name="{name}" type="{kind}" '
        f'value="{esc(value)}"{_attrs(attrs)}></div>'
    )


def select(name: str, label: str, options: Sequence[tuple[str, str]], chosen: str = "") -> str:
    """A labelled ``<select>`` of (value, text) options, ``chosen`` selected."""
    opts = "".join(
        f'<option value="{esc(v)}"{" selected" if v == chosen else ""}>{esc(text)}</option>'
        for v, text in options
    )
    return (
        f'<div class="mb-3">{_label(name, label)}'
        f'<select class="form-select" id="f-{name}" name="{name}">{opts}</select></div>'
    )


def textarea(name: str, label: str, value="", help_text: str = "", rows: int = 5, **attrs) -> str:
    """A labelled ``<textarea>``, with a help line it is described by when ``help_text``."""
    described = f' aria-describedby="f-{name}-help"' if help_text else ""
    helper = f'<p id="f-{name}-help" class="form-text">{esc(help_text)}</p>' if help_text else ""
    return (
        f'<div class="mb-3">{_label(name, label)}'
        f'<textarea class="form-control" id="f-{name}" name="{name}" rows="{rows}"'
        f"{described}{_attrs(attrs)}>{esc(value)}</textarea>{helper}</div>"
    )


def hidden(name: str, value) -> str:
    return f'<input type="hidden" name="{esc(name)}" value="{esc(value)}">'


def csrf_input(token: str) -> str:
    """The session's CSRF token, which every form posts back (callbacks/accounts.py)."""
    return hidden("csrf_token", token)


def form(action: str, csrf: str, fields: str, submit: str, multipart: bool = False) -> str:
    """A POST form to ``action`` with the CSRF token, ``fields`` and one submit button."""
    enc = ' enctype="multipart/form-data"' if multipart else ""
    return (
        f'<form method="post" action="{esc(action)}" accept-charset="utf-8"{enc}>'
        f"{csrf_input(csrf)}{fields}"
        f'<button class="btn btn-primary" type="submit">{esc(submit)}</button></form>'
    )


def message(text: str, kind: str = "danger") -> str:
    """A notice read out by screen readers when the page loads (``role=alert`` for errors)."""
    role = "alert" if kind == "danger" else "status"
    return f'<div class="alert alert-{kind}" role="{role}">{esc(text)}</div>'


def messages(texts: Sequence[str]) -> str:
    """Several errors as one alert (nothing without any)."""
    if not texts:
        return ""
    items = "".join(f"<li>{esc(m)}</li>" for m in texts)
    return f'<div class="alert alert-danger" role="alert"><ul class="mb-0">{items}</ul></div>'
