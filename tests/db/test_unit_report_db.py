"""The unit's report with what users wrote (atlas/local_report.py through atlas/unit_report.py), on
both database backends: a published series is a line of its own beside the official ones (in the
chart, its text summary, its SVG, the sources and the CSV) while the official lines, verdicts
and counts stay exactly those made without the database; a rollback serves the previous
version's line or none; the local plan's targets carry the method's status and the plan page's
words; only approved experiences are listed; a database that cannot be read leaves the official
report whole and says so."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import replace

from sqlalchemy import select

from atlas import exports, network, plans, trend_svg
from atlas.db import Database
from atlas.db.models import Dataset
from atlas.publish import rollback
from atlas.unit_report import chart_summary, unit_report
from atlas.urlstate import State
from tests.fixtures.contributed import META, publish_csv

#: a municipality of the tiny store's state 12 (the editor's), and its neighbour
HOME, NEIGHBOUR = "BRA1200032", "BRA1200022"
SVG = "{http://www.w3.org/2000/svg}"
URL = "https://atlas.example/unit/BRA1200032"


def _report(store, catalog, db=None, unit=HOME, **state):
    return unit_report(store, catalog, State(**{"lang": "en", **state}), unit, db)


def _official(r):
    """Everything of the report the official data alone decide."""
    charts = [(c.indicator, [ln for ln in c.lines if ln.role != "contributed"]) for c in r.charts]
    answers = [(c.indicator, c.answer, c.target_value, c.target_year) for c in r.charts]
    used = [s for s in r.sources_used if not s.id.startswith("contributed:")]
    return charts, answers, r.counts, r.insufficient, r.trends, r.sources, r.targetable, used


def _chart(r, indicator="infant_mortality"):
    return next(c for c in r.charts if c.indicator == indicator)


def test_urd001_a_published_series_is_its_own_line_and_the_official_ones_are_untouched(
    db, people, tiny_store, catalog
):
    before = _report(tiny_store, catalog)
    empty = _report(tiny_store, catalog, db)
    assert empty.local is not None and empty.local.contributed == () and empty.local.plan is None
    assert _official(empty) == _official(before)
    publish_csv(
        db, people["editor"], tiny_store, "1200032;2012;18,5;17;20\n1200032;2015;16;;\n", HOME
    )
    r = _report(tiny_store, catalog, db)
    assert _official(r) == _official(before)
    c = _chart(r)
    assert [ln.role for ln in c.lines] == ["country", "admin1", "contributed", "unit"]
    line = c.line("contributed")
    day = r.local.contributed[0].points[0].published.isoformat()
    assert line.name == f"contributed by Serra Simulada, version 1, {day}"
    assert [(p.year, p.value, p.low, p.high) for p in line.points] == [
        (2012, 18.5, 17.0, 20.0),
        (2015, 16.0, None, None),
    ]
    assert line.source == META.source and r.contributed_labels == (line.name,)
    # its source and licence are in the sources list, after the store's, named by its label
    last = r.sources_used[-1]
    assert (last.id, last.licence, last.years) == ("contributed:1", META.licence, "2012, 2015")
    assert META.source in last.label and line.name in last.label
    # the text alternative names it with its values, after the unit's official line
    text = chart_summary(c, "en")
    assert f"{line.name} — 2012: 18.5, 2015: 16.0" in text
    assert text.index("Serra Simulada — 1991") < text.index(line.name)
    # the SVG draws it: a dashed polyline and a square marker per value, in its own colour
    root = ET.fromstring(trend_svg.svg(c, "en"))
    colour = trend_svg.STYLE["contributed"][0]
    assert [
        p.get("stroke-dasharray") for p in root.iter(f"{SVG}polyline") if p.get("stroke") == colour
    ] == ["7 3"]
    assert len([x for x in root.iter(f"{SVG}rect") if x.get("fill") == colour]) == 2
    # other indicators and other units have no contributed line
    assert all(c.line("contributed") is None for c in r.charts if c.indicator != "infant_mortality")
    assert _report(tiny_store, catalog, db, unit=NEIGHBOUR).contributed_labels == ()


def test_urd002_the_report_files_carry_the_contributed_rows(db, people, tiny_store, catalog):
    publish_csv(db, people["editor"], tiny_store, "1200032;2012;18,5;17;20\n", HOME)
    r = _report(tiny_store, catalog, db)
    rows = list(csv.DictReader(io.StringIO(exports.report_csv(r, URL).decode("utf-8-sig"))))
    mine = [x for x in rows if x["series"] == "contributed (not official)"]
    assert len(mine) == 1
    row = mine[0]
    assert (row["year"], row["value"], row["ci_low"], row["ci_high"]) == (
        "2012",
        "18.5",
        "17.0",
        "20.0",
    )
    assert row["series_name"] == _chart(r).line("contributed").name
    assert META.source in row["source"] and row["licence"] == META.licence and URL in row.values()
    # the official rows are the ones of the report made without the database
    alone = _report(tiny_store, catalog)
    official = exports.data_rows(alone, URL)
    assert [
        x for x in exports.data_rows(r, URL) if x[6] != "contributed (not official)"
    ] == official


def test_urd003_after_a_rollback_the_line_is_the_previous_versions_or_gone(
    db, people, tiny_store, catalog
):
    ed = people["editor"]
    first = publish_csv(db, ed, tiny_store, "1200032;2012;18,5;;\n", HOME)
    publish_csv(db, ed, tiny_store, "1200032;2012;17;;\n1200032;2014;15;;\n", HOME)
    assert [
        p.value for p in _chart(_report(tiny_store, catalog, db)).line("contributed").points
    ] == [17.0, 15.0]
    with db.session() as s:
        rollback(s, ed, first.dataset_id, 1, store=tiny_store)
    line = _chart(_report(tiny_store, catalog, db)).line("contributed")
    assert [(p.year, p.value) for p in line.points] == [
        (2012, 18.5)
    ] and ", version 1, " in line.name
    # a dataset of the state's units whose first version did not hold this unit: gone again
    other = publish_csv(db, ed, tiny_store, "1200022;2012;30;;\n", None)
    publish_csv(db, ed, tiny_store, "1200022;2012;30;;\n1200032;2013;14;;\n", None)
    assert len(_chart(_report(tiny_store, catalog, db)).lines_of("contributed")) == 2
    with db.session() as s:
        rollback(s, ed, other.dataset_id, 1, store=tiny_store)
        assert s.scalar(select(Dataset.current_version_id).where(Dataset.id == other.dataset_id))
    lines = _chart(_report(tiny_store, catalog, db)).lines_of("contributed")
    assert [ln.name for ln in lines] == [line.name]


def test_urd004_the_plan_and_its_targets_as_the_plan_page_gives_them(
    db, people, tiny_store, catalog
):
    ed = people["editor"]
    plans.save_plan(db, ed, tiny_store, HOME, "Plan Serra", 2024, 2027, "https://example.org/p.pdf")
    assert _report(tiny_store, catalog, db).local.plan.rows == ()
    plans.set_target(db, ed, tiny_store, catalog, HOME, "infant_mortality", 12, 2027)
    plans.set_target(db, ed, tiny_store, catalog, HOME, "illiteracy", 2, 2030)
    before = _official(_report(tiny_store, catalog))
    r = _report(tiny_store, catalog, db)
    assert _official(r) == before  # the plan changes no verdict of the framework shown
    plan = r.local.plan
    assert (plan.name, plan.period_start, plan.period_end, plan.document_url) == (
        "Plan Serra",
        2024,
        2027,
        "https://example.org/p.pdf",
    )
    with db.session() as s:
        expected = plans.plan_targets_for(s, HOME, tiny_store, catalog)
    assert [row.progress for row in plan.rows] == expected
    for row, tp in zip(plan.rows, expected, strict=True):
        assert row.texts == plans.target_texts(tp, tiny_store, catalog, "en")
        m = row.map_state
        assert (m.framework, m.indicator, m.local_value, m.local_year, m.unit, m.country) == (
            "local",
            tp.target.indicator,
            tp.target.value,
            tp.target.year,
            HOME,
            "BRA",
        )
    im = next(row for row in plan.rows if row.progress.target.indicator == "infant_mortality")
    assert im.texts.latest.startswith("9.0 (2010; Source: PNUD Brasil")
    assert im.texts.status == "Target achieved"
    # the same target chosen as the report's local framework gives the same verdict
    local = _report(
        tiny_store,
        catalog,
        db,
        framework="local",
        indicator="infant_mortality",
        local_value=12.0,
        local_year=2027,
    )
    assert _chart(local).answer.status == im.progress.status


def test_urd005_only_approved_experiences_of_the_unit_are_listed(db, people, tiny_store, catalog):
    def write(title, by, units, publish=True):
        data = network.ExperienceInput(
            title=title, what_was_done="Hecho.", language="es", unit_ids=units, goals=[4, 7],
            period_start=2008, period_end=2010,
        )  # fmt: skip
        return network.create(db, by, tiny_store, data, publish=publish)

    shown = write("Censo del agua", people["editor"], [HOME, NEIGHBOUR])
    write("Borrador", people["editor"], [HOME], publish=False)
    pending = write("Enviada", None, [HOME])
    assert pending.status == "pending"
    write("En otro lugar", people["editor"], [NEIGHBOUR])
    r = _report(tiny_store, catalog, db)
    assert [(v.id, v.title, v.goals) for v in r.local.experiences] == [
        (shown.id, shown.title, (4, 7))
    ]
    network.moderate(db, people["reviewer"], pending.id, approve=True)
    assert [v.title for v in _report(tiny_store, catalog, db).local.experiences] == [
        "Enviada",
        "Censo del agua",
    ]


def test_urd006_without_a_database_or_with_one_unreadable_the_official_report_stands(
    db, people, tiny_store, catalog
):
    publish_csv(db, people["editor"], tiny_store, "1200032;2012;18,5;;\n", HOME)
    alone = _report(tiny_store, catalog)
    assert alone.local is None and alone.contributed_labels == ()
    gone = Database.from_url("sqlite:////nonexistent/folder/atlas.sqlite3")
    r = _report(tiny_store, catalog, gone)
    assert r.local is not None and r.local.unavailable and r.local.contributed == ()
    assert _official(r) == _official(alone) and replace(r, local=None) == alone
