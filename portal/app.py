"""The Flask app factory: settings checked, the store opened once for the process, blueprints mounted."""
from __future__ import annotations

import atexit
import importlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from ontology.mapping import Uris
from sparql.store import Store, open_store

from . import errors, i18n
from .settings import load_settings, store_location

# Every blueprint of the site, "module:attribute"; each module owns its URLs.
BLUEPRINTS: tuple[str, ...] = (
    "portal.pages:bp",
    "portal.vendor:bp",
    "portal.api:bp",
    "portal.iiif_views:bp",
    "portal.linked_data:bp",
    "portal.oai:bp",
    "sparql.endpoint:bp",
)


@dataclass
class Meros:
    """What a request needs, opened once per process and kept in `app.extensions`."""

    settings: dict[str, Any]
    store: Store
    uris: Uris


def meros() -> Meros:
    return current_app.extensions["meros"]


def create_app(test_config: Mapping[str, Any] | None = None, *, store: Store | None = None) -> Flask:
    """Build the app; `store` lets a caller that already holds the store (the CLI, tests) share it."""
    settings = load_settings(test_config)
    app = Flask(__name__)
    app.config.update(settings)
    app.config["SECRET_KEY"] = settings["SECRET_KEY"] or secrets.token_hex(32)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    owned = store is None
    if store is None:
        store = open_store(store_location(settings))
        atexit.register(store.close)
    app.extensions["meros"] = Meros(settings, store, Uris(settings["BASE_URL"]))
    app.extensions["meros.owns_store"] = owned
    errors.init_app(app)
    i18n.init_app(app)
    for target in BLUEPRINTS:
        module, attr = target.split(":")
        app.register_blueprint(getattr(importlib.import_module(module), attr))
    return app
