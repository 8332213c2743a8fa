"""The source registry's schema: ``missing_codes`` is declared per source and validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.registry import _load_file, load_registry

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
