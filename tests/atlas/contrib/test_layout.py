"""Finding the table in a sheet (atlas/contrib/layout.py): header block, data block, notes."""

from __future__ import annotations

import pytest

from atlas.contrib import UploadError
from atlas.contrib.layout import MISSING, NUMBER, TEXT, cell_class, detect

E = None


def test_ctl001_a_row_of_years_under_group_labels_is_header_not_data():
    """The PNUD IDH layout: group labels, then years over the value columns with the code and
    name columns empty, then data."""
    grid = [
        ["ÍNDICE DE DESARROLLO HUMANO MUNICIPAL"],
        [],
        ["Clave", "Municipio", "Población", E, "IDH", E],
        [E, E, 2010, 2020, 2010, 2020],
        ["01001", "Aguascalientes", 801807, 948990, 0.8, 0.82],
        ["01002", "Asientos", 46464, 51536, 0.7, "ND"],
        ["01003", "Calvillo", 54136, 58250, 0.71, 0.73],
        ["Fuente: PNUD."],
    ]
    layout = detect(grid, fill_headers=True)
    assert layout.header == (2, 3) and layout.data == (4, 5, 6)
    assert layout.names == (
        "Clave",
        "Municipio",
        "Población / 2010",
        "Población / 2020",
        "IDH / 2010",
        "IDH / 2020",
    )
    assert layout.title == (0,) and layout.notes == (7,)


def test_ctl002_a_blank_row_or_a_subtotal_inside_the_data_does_not_end_it():
    grid = [
        ["Código", "Nombre", "Valor"],
        ["05001", "Medellín", "1,5"],
        ["05002", "Abejorral", "2"],
        [],
        ["05", "Subtotal Antioquia", E],
        ["08001", "Barranquilla", "3"],
        ["08078", "Baranoa", "n.d."],
    ]
    layout = detect(grid)
    assert layout.header == (0,)
    assert layout.data == (1, 2, 4, 5, 6)  # the blank row is skipped, the subtotal kept
    assert layout.notes == ()


def test_ctl003_the_largest_block_wins_over_a_small_table_above_it():
    grid = [
        ["Resumen", E],
        ["Total", 12],
        ["Promedio", 3],
        [],
        [],
        [],
        ["Código", "Valor"],
        *[[f"0{i}001", i] for i in range(1, 8)],
    ]
    layout = detect(grid)
    assert layout.header == (6,) and layout.data == tuple(range(7, 14))
    assert layout.title == (0, 1, 2)


def test_ctl004_overrides_and_their_limits():
    grid = [["a", "b"], ["x", 1], ["y", 2], ["z", 3]]
    assert detect(grid, header_rows=[], first_data_row=0).names == ("(A)", "(B)")
    assert detect(grid, first_data_row=2, last_data_row=2).data == (2,)
    with pytest.raises(UploadError) as info:
        detect(grid, first_data_row=9)
    assert info.value.code == "bad_rows" and info.value.params == {"row": 10, "rows": 4}
    with pytest.raises(UploadError, match="no_table"):
        detect([[E, E], []])


def test_ctl005_repeated_header_names_are_told_apart():
    grid = [["Valor", "Valor", "Código"], [1, 2, "01"], [3, 4, "02"]]
    assert detect(grid).names == ("Valor", "Valor (2)", "Código")


@pytest.mark.parametrize(
    "value, kind",
    [
        ("05001", NUMBER),
        ("12,5", NUMBER),
        ("1.234,5 %", NUMBER),
        (3.5, NUMBER),
        ("n.d.", MISSING),
        ("ND", MISSING),
        ("…", MISSING),
        ("Medellín", TEXT),
        (True, TEXT),
    ],
)
def test_ctl006_cell_classes(value, kind):
    assert cell_class(value) == kind
