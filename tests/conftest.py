"""Shared fixtures: the sample collection loaded once into a real on-disk Oxigraph store."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from loaders.collection import sample_records
from loaders.runner import LoadReport, RejectLog, load_records
from ontology.mapping import Uris
from sparql.store import Store, open_store

BASE = "http://127.0.0.1:5000"


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("meros")


@pytest.fixture(scope="session")
def loaded(sample_dir: Path) -> Iterator[tuple[Store, LoadReport]]:
    """The bundled collection in an embedded store, loaded through the loaders' own path."""
    store = open_store(str(sample_dir / "store"))
    report = load_records(store, sample_records(), uris=Uris(BASE), jurisdiction="KZ",
                          images_dir=sample_dir / "images", rejects=RejectLog(sample_dir / "rejects.jsonl"))
    yield store, report
    store.close()


@pytest.fixture(scope="session")
def sample_store(loaded: tuple[Store, LoadReport]) -> Store:
    return loaded[0]


@pytest.fixture(scope="session")
def app(sample_store: Store, sample_dir: Path):  # type: ignore[no-untyped-def]
    from portal.app import create_app

    return create_app({"BASE_URL": BASE, "STORE": str(sample_dir / "store"), "IMAGES": str(sample_dir / "images"),
                       "SECRET_KEY": "test"}, store=sample_store)


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()
