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


@pytest.fixture(scope="session")
def live_server(app):  # type: ignore[no-untyped-def]
    """The app served over real HTTP on 127.0.0.1 (threads, like `meros serve`); yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(5)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page that records console errors in `page.console_errors`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda msg: pg.console_errors.append(msg.text) if msg.type == "error" else None)  # type: ignore[attr-defined]
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))  # type: ignore[attr-defined]
    yield pg
    context.close()
