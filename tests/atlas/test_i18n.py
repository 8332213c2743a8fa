"""Translations: every message exists in es, pt and en, and every key the code uses exists."""

from __future__ import annotations

import re

import pytest

from atlas.i18n import LANGS, messages, number, t
from tests.conftest import ROOT


def test_i18n001_every_message_has_three_languages():
    for key, entry in messages().items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key


def test_i18n002_placeholders_agree_between_languages():
    for key, entry in messages().items():
        fields = {lang: set(re.findall(r"{(\w+)}", entry[lang])) for lang in LANGS}
        assert fields["es"] == fields["pt"] == fields["en"], key


def test_i18n003_every_key_used_in_the_code_exists():
    used = set()
    for folder in ("atlas", "layouts", "callbacks"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']""", path.read_text()))
    assert used, "no t() calls found"
    missing = sorted(k for k in used if k not in messages())
    assert not missing, missing


def test_i18n004_numbers_follow_the_language():
    assert number(1234.5, 1, "es") == "1.234,5"
    assert number(1234.5, 1, "pt") == "1.234,5"
    assert number(1234.5, 1, "en") == "1,234.5"
    assert number(float("nan"), 1, "pt") == "sem dados"
    assert number(None, 0, "en") == "no data"


def test_i18n005_unknown_language_falls_back_to_spanish_and_unknown_key_fails():
    assert t("common.source", "fr") == "Fuente"
    with pytest.raises(KeyError):
        t("no.such.key", "es")
