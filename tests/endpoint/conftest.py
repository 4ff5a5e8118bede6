"""Fixtures for the SPARQL endpoint, Linked Data and OAI-PMH tests.

The session store (the whole sample collection) is only read here; tests that
write (loads after the workers started, deletions) get a small store of
their own. Every app whose endpoint started query workers is closed at the end.
"""
from __future__ import annotations

import itertools
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from flask import Flask

from loaders.collection import sample_records
from loaders.runner import RejectLog, load_records
from ontology.mapping import Uris
from ontology.record import Record
from sparql.endpoint import close_pool
from sparql.store import Store, open_store
from tests.conftest import BASE
from tests.sparql.conftest import oxigraph_factory, oxigraph_server  # noqa: F401 - fixtures shared with these tests

__all__ = ["oxigraph_factory", "oxigraph_server"]


@pytest.fixture(scope="session", autouse=True)
def _close_session_pool(app: Flask) -> Iterator[None]:
    yield
    close_pool(app)


@pytest.fixture(scope="session")
def make_app(sample_store: Store, sample_dir: Path) -> Iterator[Callable[..., Flask]]:
    """Apps over the session store with other settings (time limit, cap, page sizes); closed at the end."""
    from portal.app import create_app

    made: list[Flask] = []

    def make(store: Store | None = None, **settings: Any) -> Flask:
        config = {"BASE_URL": BASE, "STORE": str(sample_dir / "store"), "IMAGES": str(sample_dir / "images"),
                  "SECRET_KEY": "test", **settings}
        app = create_app(config, store=store or sample_store)
        made.append(app)
        return app

    yield make
    for app in made:
        close_pool(app)


SMALL = 24  # records of the sample collection in a writable store


@pytest.fixture()
def small_store(tmp_path: Path) -> Iterator[Store]:
    """A writable store with the first records of the sample collection (loaded through the runner)."""
    store = open_store(str(tmp_path / "store"))
    records = itertools.islice((r for r in sample_records() if isinstance(r, Record)), SMALL)
    load_records(store, records, uris=Uris(BASE), jurisdiction="KZ", images_dir=tmp_path / "images",
                 rejects=RejectLog(None))
    yield store
    store.close()


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Flask], str]]:
    """Serve an app over real HTTP on 127.0.0.1 (threads, like `meros serve`); every server stops at the end."""
    from werkzeug.serving import make_server

    servers = []

    def start(app: Flask) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(5)


def object_count(store: Store) -> int:
    """Objects in a store, counted independently of the code under test (one graph per object)."""
    rows = store.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?c a "
                       "<http://www.europeana.eu/schemas/edm/ProvidedCHO> } }", union_default_graph=False)
    return int(rows[0]["n"].value)  # type: ignore[index,union-attr]


def parse_rdf(data: bytes | str, rdflib_format: str) -> rdflib.Graph:
    """Parse with rdflib, an independent parser (its JSON-LD plugin warns about its own deprecated internals)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return rdflib.Graph().parse(data=data, format=rdflib_format)
