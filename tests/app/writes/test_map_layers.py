"""The map's layers over the official one through the app's callbacks (posted as the browser
posts them), on both database backends: the contributed layer appears after a publish and
leaves with a rollback while the official trace stays byte for byte what it was; the
experiences' layer links each experience's page; the selected unit's plan targets are offered
and one press sets the local target."""

from __future__ import annotations

import json

from atlas import network, plans
from atlas.network import ExperienceInput
from atlas.publish import rollback
from tests.app.test_guard import DEFAULTS
from tests.fixtures.contributed import publish_rows

HOME, NEXT = "BRA1200012", "BRA1200022"
#: the tiny store's default view, as the browser sends it, in English
VIEW = {**DEFAULTS, "lang-store.data": "en"}


def _dep(client, first_output: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if d["output"].strip(".").split("...")[0] == first_output)


def _post(client, first_output: str, values: dict, changed: list[str]) -> dict:
    """Post the callback whose first output is ``first_output`` with ``values`` by
    "id.property" (a pattern-matching input: the list of its components given); its answer."""
    dep = _dep(client, first_output)

    def entries(items):
        out = []
        for item in items:
            key = f"{item['id']}.{item['property']}"
            out.append(
                values.get(key, [])
                if item["id"].startswith("{")
                else {**item, "value": values.get(key)}
            )
        return out

    outputs = [
        {"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]}
        for o in dep["output"].strip(".").split("...")
    ]
    body = {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": entries(dep["inputs"]),
        "state": entries(dep["state"]),
        "changedPropIds": changed,
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code in (200, 204), resp.get_data(as_text=True)[:500]
    return resp.get_json()["response"] if resp.status_code == 200 else {}


def _map(client, layers: list[str], changed=("map-layers.value",)) -> dict:
    answer = _post(client, "choropleth.figure", {**VIEW, "map-layers.value": layers}, list(changed))
    return {
        "figure": answer["choropleth"]["figure"],
        "options": answer["map-layers"]["options"],
        "notes": json.dumps(answer["map-layer-notes"]["children"]),
        "ranking": answer["ranking"]["figure"],
        "legend": json.dumps(answer["map-legend"]["children"]),
        "search": answer["url"]["search"],
    }


def _official(out: dict) -> str:
    """What the reader gets of the official series: its trace, ranking and legend."""
    return json.dumps([out["figure"]["data"][0], out["ranking"], out["legend"]], sort_keys=True)


def test_mpl001_the_contributed_layer_comes_with_a_publish_and_goes_with_a_rollback(
    app, db, people, tiny_store
):
    client = app.server.test_client()
    before = _map(client, ["contributed"])
    off = next(o for o in before["options"] if o["value"] == "contributed")
    assert off["label"].startswith("Contributed data (none published") and not off["disabled"]
    assert before["figure"]["data"][3]["locations"] == []
    empty = _map(client, [])
    assert next(o for o in empty["options"] if o["value"] == "contributed")["disabled"]

    ed = people["editor"]
    first = publish_rows(
        db, ed, tiny_store, "BRA", "infant_mortality", [("1200012", 2010, "9")], unit_id=HOME
    )
    publish_rows(
        db, ed, tiny_store, "BRA", "infant_mortality", [("1200022", 2010, "70")], unit_id=HOME
    )
    shown = _map(client, ["contributed"])
    assert "layers=contributed" in shown["search"]
    layer = shown["figure"]["data"][3]
    assert layer["locations"] == [NEXT] and layer["marker"]["line"]["width"] >= 3
    hover = layer["customdata"][0][0]
    assert "contributed by Porto Ensaio, version 2, " in hover
    assert "Contributed: 70.0" in hover and "(2010)" in hover and "Secretaria Municipal" in hover
    assert "Official: " in hover and "Source: " in hover.split("Official: ")[1]
    # 70 lies above every official value: the map's top class, in the map's own colours
    assert layer["z"] == [max(shown["figure"]["data"][0]["z"])]
    assert layer["colorscale"] == shown["figure"]["data"][0]["colorscale"]
    assert (
        "Licence: CC BY 4.0" in shown["notes"]
        and "Campo Modelo: contributed 70.0" in shown["notes"]
    )
    # the official series is never touched: its trace, ranking and legend are as before
    assert _official(shown) == _official(before)

    with db.session() as s:
        rollback(s, ed, first.dataset_id, 1, store=tiny_store)
    back = _map(client, ["contributed"], changed=("indicator-select.value",))
    assert back["figure"]["data"][3]["locations"] == [HOME]
    assert back["figure"]["data"][3]["z"] == [1]  # 9 lies below every official value
    assert "version 1" in back["figure"]["data"][3]["customdata"][0][0]
    assert "Campo Modelo" not in back["notes"] and _official(back) == _official(before)
    # switched off, the layer's trace is emptied and its notes go
    gone = _map(client, [])
    assert gone["figure"]["data"][3]["locations"] == [] and gone["notes"] == "[]"


def test_mpl002_approved_experiences_are_outlined_with_their_titles_and_links(
    app, db, people, tiny_store
):
    client = app.server.test_client()
    data = ExperienceInput(
        title="Vigilancia <b>comunitaria</b>",
        what_was_done="Visitas",
        language="es",
        unit_ids=[HOME],
        goals=[4],
    )
    pending = network.create(db, None, tiny_store, data)
    assert _map(client, ["experiences"])["figure"]["data"][4]["locations"] == []
    network.moderate(db, people["reviewer"], pending.id, approve=True)
    out = _map(client, ["experiences"])
    layer = out["figure"]["data"][4]
    assert layer["locations"] == [HOME]
    hover = layer["customdata"][0][0]
    assert "Vigilancia &lt;b&gt;comunitaria&lt;/b&gt;" in hover  # shown, never interpreted
    assert "Infant mortality" in hover  # the official value is still read on hover
    assert "(2010)<br>Source: " in hover  # with its year and source, as the map's own hover
    assert (
        f'"/network/{pending.id}?lang=en"' in out["notes"]
        or f"/network/{pending.id}" in out["notes"]
    )
    assert out["figure"]["data"][3]["locations"] == []


def test_mpl003_the_selected_units_plan_targets_set_the_local_target(
    app, db, people, tiny_store, catalog
):
    client = app.server.test_client()
    ask = {
        "selected-unit.data": HOME,
        "indicator-select.value": "infant_mortality",
        "lang-store.data": "en",
    }
    assert _post(client, "plan-targets.children", ask, ["selected-unit.data"]) == {
        "plan-targets": {"children": []}
    }
    ed = people["editor"]
    plans.save_plan(db, ed, tiny_store, HOME, "Plan Municipal", 2024, 2030)
    plans.set_target(db, ed, tiny_store, catalog, HOME, "infant_mortality", "10,5", 2030)
    offered = json.dumps(_post(client, "plan-targets.children", ask, ["selected-unit.data"]))
    assert "Plan Municipal: 10.5 by 2030" in offered and "Use as the local target" in offered
    button = {"type": "plan-target", "value": "10.5", "year": 2030}
    pressed = _post(
        client,
        "framework-select.value",
        {
            '{"type":"plan-target","value":["ALL"],"year":["ALL"]}.n_clicks': [
                {"id": button, "property": "n_clicks", "value": 1}
            ]
        },
        [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
    )
    assert pressed == {
        "framework-select": {"value": "local"},
        "local-target-value": {"value": 10.5},
        "local-target-year": {"value": 2030},
    }
