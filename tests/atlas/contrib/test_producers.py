"""Real producers' workbooks from the raw folder, read, mapped and validated against the full
store as a local government would upload them (marked realdata through ``raw_dir``).

Expected counts come from the folders' SOURCE.md files: CONAPO's TMI 2020 has 1,929 rows, of
which Oaxaca's 30 districts (pseudo-codes 20601-20630) and the 12 municipios created after 2015
are not units of the atlas's 2015 boundaries; CONEVAL's ICTPC 2020 has 2,469 municipios, 3 of
them "n.d."; DANE's CNPV 2018 NBI has 1,122 municipios and the national total row.
"""

from __future__ import annotations

import pytest

from atlas.contrib import read_upload
from atlas.contrib.mapping import Mapping, suggest_mapping
from atlas.contrib.validation import validate

#: Municipios created after the 2015 boundaries (MEX/SOURCE.md, "Vintage gap").
MEX_AFTER_2015 = {
    "02006", "04012", "07120", "07121", "07122", "07123", "07124", "07125",
    "17034", "17035", "17036", "23011",
}  # fmt: skip
OAXACA_DISTRICTS = {f"206{i:02d}" for i in range(1, 31)}


@pytest.fixture(scope="module")
def tmi(raw_dir):
    path = raw_dir / "MEX/indicators/TMI2020_CONAPO.xlsx"
    return read_upload(path.read_bytes(), path.name)


def test_ctx001_conapo_infant_mortality_2020(tmi, store, catalog):
    assert tmi.sheet == "Hoja1" and tmi.header_rows == (1,)
    assert tmi.columns == ("CVE_ENT", "NOM_ENT", "CVEGEO", "NOM_MUN", "TMI_2020")
    assert len(tmi) == 1929 and tmi.row_numbers[0] == 2
    m = suggest_mapping(tmi, "MEX", store, catalog["infant_mortality"])
    assert (m.code, m.name, m.admin1, m.year, m.year_value, m.value) == (
        ("CVEGEO",),
        "NOM_MUN",
        "NOM_ENT",
        None,
        2020,
        "TMI_2020",
    )
    report = validate(tmi, m, "MEX", "infant_mortality", store)
    unknown = {r.problems[0].params["code"] for r in report.rows if not r.unit_id}
    assert unknown == MEX_AFTER_2015 | OAXACA_DISTRICTS
    assert report.matched_units == 1929 - 42 == 1887
    # the new municipios have no estimate ("n.d."), and so has Bacalar (23010), a unit
    assert report.counts == {"missing": 13, "unknown_unit": 42}
    assert report.ok_rows == len(report.clean) == 1886
    assert report.clean["unit_id"].is_unique and set(report.clean["year"]) == {2020}
    aguascalientes = report.clean.set_index("unit_id").loc["MEX01001", "value"]
    assert aguascalientes == pytest.approx(7.641976, abs=1e-6)


def test_ctx002_the_same_file_matched_by_name_and_state_alone(tmi, store):
    """Without the code column, names with their state find the same units, except where a
    district shares a municipio's name in Oaxaca (Silacayoapam) or the names differ."""
    by_name = Mapping(name="NOM_MUN", admin1="NOM_ENT", year_value=2020, value="TMI_2020")
    report = validate(tmi, by_name, "MEX", "infant_mortality", store)
    assert report.ok_rows >= 1880 and report.counts.get("ambiguous_unit", 0) == 0
    without_state = validate(tmi, by_name.replace(admin1=None), "MEX", "infant_mortality", store)
    ambiguous = [
        r for r in without_state.rows if any(p.kind == "ambiguous_unit" for p in r.problems)
    ]
    assert len(ambiguous) > 50  # Benito Juárez, Emiliano Zapata, Jesús María...


def test_ctx003_coneval_income_2020_title_row_and_missing_values(raw_dir, store, catalog):
    path = raw_dir / "MEX/indicators/ICTP2020_CONEVAL.xlsx"
    table = read_upload(path.read_bytes(), path.name)
    assert table.header_rows == (2,) and table.row_numbers[0] == 3 and len(table) == 2469
    assert table.title[0].startswith("Estimación del Ingreso Corriente Total per Cápita")
    m = suggest_mapping(table, "MEX", store, catalog["income_per_capita"])
    assert m.code == ("Clave de municipio",) and m.name == "Municipio"
    assert m.value == "Ingreso corriente total per cápita"
    assert m.year_value == 2020  # from the title
    report = validate(table, m, "MEX", "income_per_capita", store)
    missing = {r.row for r in report.rows if any(p.kind == "missing" for p in r.problems)}
    assert missing == {3, 4, 5}  # 04012, 07125, 29048: "n.d."
    assert report.counts == {"missing": 3, "unknown_unit": 12}
    assert report.matched_units == 2457 and report.ok_rows == 2456


def test_ctx004_dane_nbi_2018_three_header_rows_and_a_code_in_two_columns(raw_dir, store, catalog):
    path = raw_dir / "COL/indicators/usbdiego7777-ui_tfm-electoral-colombia/CNPV-2018-NBI.xlsx"
    table = read_upload(path.read_bytes(), path.name)
    assert table.sheet == "Municipios"  # the largest table, not the first sheet
    assert table.header_rows == (8, 9, 10) and table.row_numbers[0] == 11
    assert table.columns[:5] == (
        "Código Departamento",
        "Nombre Departamento",
        "Código Municipio",
        "Nombre Municipio",
        "Total / Necesidades Basicas Insatisfechas por Categorias % / Prop de Personas en NBI (%)",
    )
    assert table.columns[11].startswith("Cabeceras / ")
    assert table.notes[0].startswith("Fuente: DANE")
    m = suggest_mapping(table, "COL", store, catalog["unmet_basic_needs"])
    assert m.code == ("Código Departamento", "Código Municipio")
    assert m.name == "Nombre Municipio" and m.admin1 == "Nombre Departamento"
    assert m.value == table.columns[4] and m.year_value == 2018
    report = validate(table, m, "COL", "unmet_basic_needs", store)
    assert report.counts["total_row"] == 1  # "00 TOTAL NACIONAL 000"
    assert report.matched_units == 1122 and report.ok_rows == 1122
    assert report.clean.set_index("unit_id").loc["COL05001", "value"] == pytest.approx(
        5.2304, abs=1e-4
    )
