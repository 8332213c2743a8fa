"""Publishing contributed data (atlas/contrib/publish.py) on both backends: a first and a second
version, a rollback, a publish failing mid-transaction that leaves the previous version served,
and editors refused outside their scope. Uploads are hand-made CSVs of the tiny store's units."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from atlas import accounts
from atlas.accounts import NotAllowed, ScopeSpec
from atlas.contrib import Limits, read_upload
from atlas.contrib.validation import RowResult, validate
from atlas.db.models import AuditEntry, Dataset, DatasetValue, DatasetVersion
from atlas.publish import PublishError, current_values, publish, rollback
from tests.fixtures import contributed
from tests.fixtures.contributed import HEADER, MAPPING
from tests.fixtures.people import PASSWORD

META = dataclasses.replace(contributed.META, unit_id="BRA1100011")


def report(tiny_store, body: str):
    table = read_upload((HEADER + body).encode(), "dados.csv", limits=Limits())
    return validate(table, MAPPING, "BRA", "infant_mortality", tiny_store)


def editor(db, scope: str):
    admin = accounts.create_admin(db, f"admin-{scope.replace(':', '')}@example.org", "A", PASSWORD)
    token = accounts.invite(
        db, admin, f"ed-{scope.replace(':', '')}@example.org", "editor", [ScopeSpec.parse(scope)]
    )
    return accounts.accept(db, token, "Editora", PASSWORD)


def served(db, tiny_store, lang="en"):
    with db.session() as s:
        return current_values(s, "BRA", "infant_mortality", store=tiny_store, lang=lang)


def test_pub001_publish_then_a_second_version_then_roll_back(db, tiny_store):
    ed = editor(db, "BRA:11")
    first = report(tiny_store, "1100011;2010;12,5;10;15\n1100021;2010;20;;\n")
    with db.session() as s:
        done = publish(s, ed, "BRA", "infant_mortality", first, META, store=tiny_store)
    assert (done.version, done.values) == (1, 2)
    rows = served(db, tiny_store)
    assert [(r.unit_id, r.year, r.value, r.low, r.high, r.version) for r in rows] == [
        ("BRA1100011", 2010, 12.5, 10.0, 15.0, 1),
        ("BRA1100021", 2010, 20.0, None, None, 1),
    ]
    day = rows[0].published.isoformat()
    assert rows[0].label == f"contributed by São Teste, version 1, {day}"
    assert served(db, tiny_store, "es")[0].label.startswith("aportado por São Teste, versión 1")
    assert (rows[0].source, rows[0].licence) == (META.source, META.licence)

    second = report(tiny_store, "1100011;2011;11;;\n")
    with db.session() as s:
        done2 = publish(s, ed, "BRA", "infant_mortality", second, META, store=tiny_store)
    assert done2 == dataclasses.replace(done2, dataset_id=done.dataset_id, version=2, values=1)
    assert [(r.unit_id, r.year, r.version) for r in served(db, tiny_store)] == [
        ("BRA1100011", 2011, 2)
    ]

    with db.session() as s:
        rollback(s, ed, done.dataset_id, 1, store=tiny_store)
    assert [(r.unit_id, r.year, r.version) for r in served(db, tiny_store)] == [
        ("BRA1100011", 2010, 1),
        ("BRA1100021", 2010, 1),
    ]
    with db.session() as s:
        # versions are kept, never edited: both still hold their values
        statuses = s.execute(
            select(DatasetVersion.number, DatasetVersion.status).order_by(DatasetVersion.number)
        ).all()
        assert [tuple(x) for x in statuses] == [(1, "published"), (2, "rolled_back")]
        assert s.scalar(select(func.count()).select_from(DatasetValue)) == 3
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.target_kind == "dataset"))
        assert list(actions) == ["publish", "publish", "rollback"]
        with pytest.raises(PublishError) as err:
            rollback(s, ed, done.dataset_id, 1, store=tiny_store)
        assert err.value.key == "already_current"


def test_pub002_a_publish_failing_mid_transaction_leaves_the_previous_version(db, tiny_store):
    ed = editor(db, "BRA")
    first = report(tiny_store, "1100011;2010;12,5;10;15\n")
    with db.session() as s:
        publish(s, ed, "BRA", "infant_mortality", first, META, store=tiny_store)
    # an interval the database refuses (low above high, its CHECK constraint) on the second row:
    # the version and the first row are already flushed when the database says no
    bad = report(tiny_store, "1100021;2010;12;10;15\n1100031;2010;13;10;15\n")
    row = bad.rows[1]
    broken = dataclasses.replace(
        bad, rows=(bad.rows[0], RowResult(**{**row.__dict__, "low": 16.0, "high": 15.0}))
    )
    with pytest.raises(Exception, match="(?i)check|constraint"):
        with db.session() as s:
            publish(s, ed, "BRA", "infant_mortality", broken, META, store=tiny_store)
    rows = served(db, tiny_store)
    assert [(r.unit_id, r.version) for r in rows] == [("BRA1100011", 1)]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DatasetVersion)) == 1
        assert s.scalar(select(func.count()).select_from(DatasetValue)) == 1


def test_pub003_editors_outside_the_scope_anonymous_and_reviewers_are_refused(db, tiny_store):
    other_state = editor(db, "BRA:12")
    other_country = editor(db, "URY")
    admin = accounts.create_admin(db, "root@example.org", "Root", PASSWORD)
    token = accounts.invite(db, admin, "rev@example.org", "reviewer")
    reviewer = accounts.accept(db, token, "Rev", PASSWORD)
    # one unit of state 12 beside one of state 11: the editor of 12 may not write it all
    mixed = report(tiny_store, "1200012;2010;12;;\n1100021;2010;20;;\n")
    meta = dataclasses.replace(META, unit_id=None)
    for who in (other_state, other_country, reviewer, None):
        with pytest.raises(NotAllowed):
            with db.session() as s:
                publish(s, who, "BRA", "infant_mortality", mixed, meta, store=tiny_store)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Dataset)) == 0
    # the admin may; the editor of state 12 then may not roll it back
    with db.session() as s:
        done = publish(s, admin, "BRA", "infant_mortality", mixed, meta, store=tiny_store)
        publish(s, admin, "BRA", "infant_mortality", mixed, meta, store=tiny_store)
    with pytest.raises(NotAllowed):
        with db.session() as s:
            rollback(s, other_state, done.dataset_id, 1, store=tiny_store)
    assert {r.version for r in served(db, tiny_store)} == {2}
    assert served(db, tiny_store)[0].label.startswith("contributed by Brasil, version 2")


def test_pub004_nothing_to_publish_or_missing_fields_are_said(db, tiny_store):
    ed = editor(db, "BRA")
    bad_only = report(tiny_store, "9999999;2010;12;;\n")
    ok = report(tiny_store, "1100011;2010;12;;\n")
    with db.session() as s:
        with pytest.raises(PublishError) as err:
            publish(s, ed, "BRA", "infant_mortality", bad_only, META, store=tiny_store)
        assert err.value.key == "nothing"
        with pytest.raises(PublishError) as err:
            publish(
                s,
                ed,
                "BRA",
                "infant_mortality",
                ok,
                dataclasses.replace(META, licence=" "),
                store=tiny_store,
            )
        assert err.value.key == "required" and "licence" in err.value.message("en")
