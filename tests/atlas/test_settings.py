"""Settings: one table, documented in the README, resolved explicit > environment > default."""

from __future__ import annotations

import re

import pytest

from atlas.settings import ROOT, SETTINGS, readme_table, settings


def test_set001_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- settings-table[^>]*-->\n(.*?)\n<!-- /settings-table -->", readme, re.S)
    assert block, "README has no settings table markers"
    assert block.group(1).strip() == readme_table()


def test_set002_environment_overrides_default_and_explicit_overrides_environment(monkeypatch):
    monkeypatch.setenv("ATLAS_PORT", "9001")
    assert settings().port == 9001
    assert settings(port="9002").port == 9002
    monkeypatch.delenv("ATLAS_PORT")
    assert settings().port == 8050


def test_set003_relative_defaults_resolve_against_the_repository(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for s in SETTINGS:
        monkeypatch.delenv(s.env, raising=False)
    assert settings().store_dir == ROOT / "store"
    assert settings().raw_dir == (ROOT / "../shared/data").resolve()


def test_set004_a_bad_language_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("ATLAS_DEFAULT_LANG", "fr")
    with pytest.raises(ValueError, match="es, pt or en"):
        settings()


def test_set005_docs_sources_is_in_sync_with_the_registry():
    from geodata.__main__ import sources_markdown

    assert (ROOT / "docs" / "sources.md").read_text() == sources_markdown()


@pytest.mark.parametrize("value", ["0", "-5", "twenty", "nan"])
def test_set006_an_upload_limit_that_is_not_a_positive_number_is_refused(monkeypatch, value):
    monkeypatch.setenv("ATLAS_UPLOAD_MAX_MB", value)
    with pytest.raises(ValueError, match="ATLAS_UPLOAD_MAX_MB must be a number of megabytes"):
        settings()
    monkeypatch.setenv("ATLAS_UPLOAD_MAX_MB", "0.5")
    assert settings().upload_max_mb == 0.5


def test_set008_the_database_url_names_psycopg_and_refuses_other_databases(monkeypatch):
    monkeypatch.setenv("ATLAS_DATABASE_URL", "postgresql://atlas:pw@db.example.org/atlas")
    assert settings().database_url == "postgresql+psycopg://atlas:pw@db.example.org/atlas"
    assert settings(database_url="").database_url == ""
    with pytest.raises(ValueError) as err:
        settings(database_url="mysql://root:hunter2@localhost/atlas")
    assert "postgresql://" in str(err.value) and "hunter2" not in str(err.value)


def test_set009_the_data_folder_defaults_to_var_in_the_repository(monkeypatch):
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    assert settings().data_dir == ROOT / "var"
    assert settings(cookie_secure="TRUE").cookie_secure == "true"
    with pytest.raises(ValueError, match="true, false or auto"):
        settings(cookie_secure="sometimes")
