"""The source registry's schema: ``missing_codes`` and ``via`` are declared per source and
validated; reader-facing ``producer`` and ``dataset`` never name the copy a file came from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.text import attribution
from geodata.registry import _load_file, copy_markers, load_registry, manifest_sources

COUNTRY = """
[country]
iso3 = "XXX"
name = "Test"
"""
SOURCE = """
[[source]]
id = "xxx_table"
producer = "p"
dataset = "d"
vintage = "v"
licence = "l"
url = "u"
files = ["XXX/table.csv"]
reader = "{reader}"
{codes}
"""


def _write(tmp_path: Path, codes: str, reader: str = "xxx:read_table") -> Path:
    path = tmp_path / "XXX.toml"
    path.write_text(COUNTRY + SOURCE.format(reader=reader, codes=codes))
    return path


def test_reg001_missing_codes_are_read_and_default_to_none(tmp_path):
    declared = _load_file(_write(tmp_path, 'missing_codes = ["ND", "n.d.", "*", "-", ""]'))
    src = declared.source("xxx_table")
    assert src.missing_codes == ("ND", "n.d.", "*", "-", "")
    codes = src.codes(tmp_path)
    assert codes.declared == src.missing_codes
    assert codes.toml == "geodata/sources/XXX.toml"
    assert _load_file(_write(tmp_path, "")).source("xxx_table").missing_codes == ()


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('missing_codes = "ND"', "must be a list of strings"),
        ("missing_codes = [1]", "must be a list of strings"),
        ('missing_codes = ["-999"]', "'-999' is a number, not a code"),
        ('missing_codes = ["0"]', "'0' is a number, not a code"),
        ('missing_codes = [" ND"]', "' ND' has spaces around it"),
        ('missing_codes = ["ND", "ND"]', "listed twice"),
    ],
)
def test_reg002_invalid_missing_codes_name_the_file_and_the_source(tmp_path, line, problem):
    with pytest.raises(ValueError) as err:
        _load_file(_write(tmp_path, line))
    assert "XXX.toml: source 'xxx_table': missing_codes" in str(err.value)
    assert problem in str(err.value)


def test_reg003_a_boundary_only_source_declares_no_codes(tmp_path):
    with pytest.raises(ValueError, match="boundary-only source"):
        _load_file(_write(tmp_path, 'missing_codes = ["ND"]', reader=""))


def test_reg004_the_sources_declare_the_codes_their_producers_document():
    """The codes named in the SOURCE.md files (and found in the files) are declared."""
    sources = {s.id: s for c in load_registry().values() for s in c.sources}
    assert sources["mex_coneval_pobreza_municipal"].missing_codes == ("n.d",)
    assert "ND" in sources["mex_coneval_sabana"].missing_codes
    assert "-" in sources["mex_conapo_marginacion"].missing_codes
    assert "n.d." in sources["mex_coneval_ictpc2020"].missing_codes
    assert sources["ury_mides_desempleo"].missing_codes == ()  # "no missing values"


def test_reg005_via_is_read_and_never_reaches_the_manifest(tmp_path):
    declared = _load_file(_write(tmp_path, 'via = "owner/repo, table.csv"'))
    assert declared.source("xxx_table").via == "owner/repo, table.csv"
    assert _load_file(_write(tmp_path, "")).source("xxx_table").via == ""
    with pytest.raises(ValueError, match="via must be a non-empty text"):
        _load_file(_write(tmp_path, 'via = " "'))
    sources = manifest_sources(load_registry())
    assert all("via" not in s for s in sources.values())


@pytest.mark.parametrize(
    ("key", "text", "marker"),
    [
        ("dataset", "Mapa de pobreza 2018 (via R package perupobreza2018)", "'via'"),
        ("dataset", "Pobreza municipal (indicadores_2010.csv)", "a file name"),
        ("dataset", "NBI, municipios (sheet Municipios, Total block)", "a sheet"),
        ("dataset", "Poverty indicators, pel-daniel/poverty_indicators", "a repository"),
        ("dataset", "Límites distritales, CRAN mapsPERU", "a package"),
        ("producer", "MSP, table prepared in mherradora/conectar_introBayes", "a repository"),
    ],
)
def test_reg006_a_reader_facing_field_that_names_a_copy_is_refused(tmp_path, key, text, marker):
    path = _write(tmp_path, "")
    path.write_text(path.read_text().replace(f'{key} = "{key[0]}"', f'{key} = "{text}"'))
    with pytest.raises(ValueError) as err:
        _load_file(path)
    assert f"source xxx_table: {key}" in str(err.value) and marker in str(err.value)
    assert "`via`" in str(err.value)


def test_reg007_every_declared_source_names_its_producer_not_its_copy():
    """Over every source of every country and national.toml: the reader-facing label and vintage
    are clean, and each source read from a copy (a raw folder named after a repository) says so in `via`."""
    for country in load_registry().values():
        for s in country.sources:
            text = attribution(s.producer, s.dataset)
            assert copy_markers(text) == [], (s.id, text)
            assert " via " not in f" {text.lower()} " and "/" not in text.replace("WHO/UNICEF", "")
            # the vintage is on the methodology page: the producer's release, not the copy's commit
            assert copy_markers(s.vintage) == [], (s.id, s.vintage)
            assert not re.search(r"\b[0-9a-f]{8}\b", s.vintage), (s.id, s.vintage)
            copied = any("_" in f.split("/")[2] for f in s.files if f.count("/") >= 3)
            assert s.via or not copied, f"{s.id}: its files come from a copy; name it in `via`"


def test_reg008_docs_sources_shows_where_each_copy_came_from():
    docs = (Path(__file__).parents[2] / "docs" / "sources.md").read_text()
    for country in load_registry().values():
        for s in country.sources:
            section = docs.split(f"### `{s.id}`: ", 1)[1].split("\n### ", 1)[0]
            assert section.startswith(s.dataset)
            assert f"- Copied via: {s.via}" in section if s.via else "producer's own" in section
