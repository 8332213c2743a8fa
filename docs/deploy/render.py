"""Write the nginx configuration of docs/deploy/nginx.conf.template for this checkout's store
and plotly.js build (docs/deploy.md):

    python docs/deploy/render.py --upstream 127.0.0.1:8051 --upstream 127.0.0.1:8052 \\
        --listen 8080 --run /var/lib/atlas-nginx > /etc/atlas/nginx.conf
    nginx -c /etc/atlas/nginx.conf

The store is ATLAS_STORE_DIR's (or --store), the URL prefix ATLAS_URL_PREFIX's; the vendor folder
and its version are the app's own (app.vendor_version), so nginx serves exactly what the app
would. Rerun it after a new build or a plotly.js rebuild, then ``nginx -s reload``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app import VENDOR_DIR, vendor_version  # noqa: E402
from atlas.settings import settings  # noqa: E402
from atlas.store import Store  # noqa: E402

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def render(
    upstreams: list[str],
    listen: str,
    run_dir: Path,
    store_dir: Path | None = None,
    prefix: str | None = None,
    vendor_dir: Path = VENDOR_DIR,
) -> str:
    conf = settings()
    store = Store(store_dir or conf.store_dir)
    version = vendor_version(vendor_dir)
    brotli = BROTLI_MODULE.exists()
    fills = {
        "USER": "user root;" if os.geteuid() == 0 else "",
        "RUN": str(run_dir),
        "LOAD_BROTLI": f"load_module {BROTLI_MODULE};" if brotli else "",
        "BROTLI_STATIC": "brotli_static on;" if brotli else "",
        "UPSTREAMS": "\n".join(f"        server {u};" for u in upstreams),
        "LISTEN": listen,
        "PREFIX": prefix or conf.url_prefix,
        "GEO_DIR": str(store.path / "geo"),
        # without a plotly.js build the app serves Dash's own plotly.js: nothing for nginx
        "VENDOR_VERSION": version or "none-built",
        "VENDOR_DIR": str(vendor_dir),
    }
    text = TEMPLATE.read_text()
    for name, value in fills.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", action="append", required=True, help="host:port of an app")
    parser.add_argument("--listen", default="8080", help="nginx's listen directive")
    parser.add_argument("--run", type=Path, required=True, help="folder for nginx's pid, logs")
    parser.add_argument("--store", type=Path, help="the store (default: ATLAS_STORE_DIR)")
    args = parser.parse_args()
    args.run.mkdir(parents=True, exist_ok=True)
    sys.stdout.write(render(args.upstream, args.listen, args.run.resolve(), args.store))


if __name__ == "__main__":
    main()
