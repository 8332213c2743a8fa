"""Drive a Dash app's callbacks over HTTP the way the browser does (no browser needed)."""

from __future__ import annotations

import gzip
import json
import time

import brotli


class DashClient:
    def __init__(self, app):
        self.client = app.server.test_client()
        self.deps = self.client.get("/_dash-dependencies").get_json()

    def callback_for(self, output_fragment: str) -> dict:
        for dep in self.deps:
            if output_fragment in dep["output"]:
                return dep
        raise KeyError(output_fragment)

    def body(
        self, output_fragment: str, inputs: dict, state: dict | None = None, changed=()
    ) -> dict:
        """The JSON body the browser POSTs to /_dash-update-component for this callback."""
        dep = self.callback_for(output_fragment)
        outputs = [
            {"id": o.split(".")[0], "property": o.split(".")[1]}
            for o in dep["output"].strip(".").split("...")
        ]
        body = {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [
                {
                    "id": i["id"],
                    "property": i["property"],
                    "value": inputs.get(f"{i['id']}.{i['property']}"),
                }
                for i in dep["inputs"]
            ],
            "state": [
                {
                    "id": s["id"],
                    "property": s["property"],
                    "value": (state or {}).get(f"{s['id']}.{s['property']}"),
                }
                for s in dep["state"]
            ],
            "changedPropIds": list(changed),
        }
        return body

    def call(
        self,
        output_fragment: str,
        inputs: dict,
        state: dict | None = None,
        changed=(),
        encoding: str | None = None,
    ):
        """POST one callback; returns (response json, raw bytes, gzip bytes, seconds). The
        process CPU the request took (the app's, in this process) is left in ``last_cpu``.
        ``encoding`` is sent as ``Accept-Encoding`` (a browser's "gzip, deflate, br" makes the
        app compress the answer, and that CPU counts too)."""
        body = self.body(output_fragment, inputs, state, changed)
        headers = {"Accept-Encoding": encoding} if encoding else {}
        c0, t0 = time.process_time(), time.perf_counter()
        r = self.client.post("/_dash-update-component", json=body, headers=headers)
        r.get_data()
        dt = time.perf_counter() - t0
        self.last_cpu = time.process_time() - c0
        if r.status_code != 200:
            raise RuntimeError(
                f"callback {output_fragment} failed: {r.status_code} {r.data[:300]!r}"
            )
        raw = r.get_data()
        if r.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        elif r.headers.get("Content-Encoding") == "br":
            raw = brotli.decompress(raw)
        return json.loads(raw), len(raw), len(gzip.compress(raw, 6)), dt
