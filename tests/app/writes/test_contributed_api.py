"""The contributed series in the API (``/api/v1/contributed/<country>/<indicator>``), on both
database backends: empty before a publish, each value labelled with its version and contributor
after, the version served after a rollback, and a 404 for an unknown country or indicator."""

from __future__ import annotations

import csv
import io

import pytest

from atlas import accounts
from atlas.accounts import ScopeSpec
from atlas.contrib import Limits, read_upload
from atlas.contrib.mapping import Mapping
from atlas.contrib.validation import validate
from atlas.publish import Meta, publish, rollback
from tests.fixtures.people import PASSWORD

PATH = "/api/v1/contributed/BRA/infant_mortality"


def _publish(db, store, body: str) -> int:
    admin = accounts.create_admin(db, f"a{len(body)}@example.org", "A", PASSWORD)
    token = accounts.invite(db, admin, f"e{len(body)}@example.org", "editor", [ScopeSpec("BRA")])
    editor = accounts.accept(db, token, "E", PASSWORD)
    table = read_upload(("Código;Ano;Taxa\n" + body).encode(), "d.csv", limits=Limits())
    report = validate(
        table, Mapping(code=("Código",), year="Ano", value="Taxa"), "BRA", "infant_mortality", store
    )
    meta = Meta(source="SMS", licence="CC BY 4.0", contact="x@example.org", unit_id="BRA1100011")
    with db.session() as s:
        return publish(s, editor, "BRA", "infant_mortality", report, meta, store=store).dataset_id


def test_capi001_contributed_values_are_labelled_and_follow_the_version_served(
    served, db, tiny_store
):
    client = served[0].server.test_client()
    empty = client.get(PATH)
    assert empty.status_code == 200
    assert empty.get_json() | {"note": ""} == {
        "kind": "contributed",
        "note": "",
        "country": "BRA",
        "indicator": "infant_mortality",
        "total": 0,
        "data": [],
    }
    dataset = _publish(db, tiny_store, "1100011;2010;12,5\n")
    _publish(db, tiny_store, "1100011;2011;11\n1100021;2011;30\n")
    body = client.get(PATH + "?lang=en").get_json()
    assert body["kind"] == "contributed" and "not official" in body["note"]
    assert [(r["unit_id"], r["year"], r["value"], r["version"]) for r in body["data"]] == [
        ("BRA1100011", 2011, 11.0, 2),
        ("BRA1100021", 2011, 30.0, 2),
    ]
    row = body["data"][0]
    assert row["label"] == f"contributed by São Teste, version 2, {row['published']}"
    assert (row["source"], row["licence"], row["ci_low"]) == ("SMS", "CC BY 4.0", None)

    with db.session() as s:
        rollback(s, accounts.OPERATOR, dataset, 1, store=tiny_store)
    resp = client.get(PATH + "?format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert [(r["unit_id"], r["year"], r["version"]) for r in rows] == [("BRA1100011", "2010", "1")]
    assert rows[0]["label"].startswith("aportado por São Teste, versión 1")
    # the answer changes with the database, not the store: revalidated, never served stale
    tag = resp.headers["ETag"]
    assert client.get(PATH + "?format=csv", headers={"If-None-Match": tag}).status_code == 304
    assert resp.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    "path,parameter",
    [
        ("/api/v1/contributed/XXX/infant_mortality", "country"),
        ("/api/v1/contributed/BRA/nope", "indicator"),
    ],
)
def test_capi002_an_unknown_country_or_indicator_is_a_404_naming_it(served, db, path, parameter):
    resp = served[0].server.test_client().get(path)
    assert resp.status_code == 404
    assert resp.get_json()["error"]["parameter"] == parameter
