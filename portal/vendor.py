"""Front-end libraries from the npm registry (installed by `make` into node_modules/), served as our own static files.

Only the files named here are reachable: a request never becomes a path.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, send_file

from ontology.errors import NotFound

bp = Blueprint("vendor", __name__)

# public name → path under node_modules/
VENDOR: dict[str, str] = {
    "mirador.min.js": "mirador/dist/mirador.min.js",
    "yasgui.min.js": "@zazuko/yasgui/build/yasgui.min.js",
    "yasgui.min.css": "@zazuko/yasgui/build/yasgui.min.css",
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "axe.min.js": "axe-core/axe.min.js",
}


def vendor_dir() -> Path:
    return Path(current_app.config["VENDOR_DIR"])


@bp.get("/vendor/<name>")
def vendor(name: str) -> Response:
    rel = VENDOR.get(name)
    path = vendor_dir() / rel if rel else None
    if path is None or not path.is_file():
        raise NotFound(f"no front-end file {name!r} (run `make install` to fetch the front-end libraries)")
    resp = send_file(path, max_age=7 * 24 * 3600)
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
