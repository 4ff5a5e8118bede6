"""A second, small collection for the IIIF tests, served over real HTTP with its own base URL.

The session's sample store is shared by every test module and must not grow,
and the official validator checks that info.json's `id` is the URL it asked
for, so these tests load their own scans (the validator's 1000×1000 test
image, a restricted scan, a larger map and 250 small records for collection
paging) through the loaders' own path into an on-disk store, and serve them
on 127.0.0.1 with BASE_URL set to the server's own address.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from loaders.images import parse_scans
from loaders.runner import LoadReport, RejectLog, load_records
from ontology.mapping import Uris
from ontology.record import Record, Text
from sparql.store import Store, open_store

# The colours of the validator's 10×10 grid of 100 px squares, column x, row y (iiif_validator ValidationInfo).
from iiif_validator.validator import ValidationInfo  # noqa: E402

OPEN = "http://creativecommons.org/publicdomain/zero/1.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
BULK = 250


@dataclass
class IiifEnv:
    base: str
    store: Store
    images: Path
    report: LoadReport
    app: Any

    def image_dir(self, image_id: str) -> Path:
        return self.images / image_id


def validator_image() -> Image.Image:
    """The validator's test image: 10×10 squares of 100 px in its known colours."""
    colours = ValidationInfo().colorInfo
    im = Image.new("RGB", (1000, 1000))
    draw = ImageDraw.Draw(im)
    for x in range(10):
        for y in range(10):
            draw.rectangle((x * 100, y * 100, x * 100 + 99, y * 100 + 99), fill=colours[x][y])
    return im


def quadrant_image(width: int, height: int) -> Image.Image:
    """Four flat colours (red, green / blue, white), so crops and rotations can be checked by colour."""
    im = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(im)
    w2, h2 = width // 2, height // 2
    draw.rectangle((0, 0, w2 - 1, h2 - 1), fill=(220, 20, 20))
    draw.rectangle((w2, 0, width - 1, h2 - 1), fill=(20, 200, 20))
    draw.rectangle((0, h2, w2 - 1, height - 1), fill=(20, 20, 220))
    draw.rectangle((w2, h2, width - 1, height - 1), fill=(250, 250, 250))
    return im


def _scan(folder: Path, name: str, image: Image.Image, fmt: str, **meta: Any) -> None:
    d = folder / name
    d.mkdir(parents=True)
    filename = f"page1.{fmt}"
    image.save(d / filename, quality=92) if fmt == "jpg" else image.save(d / filename)
    (d / "metadata.json").write_text(json.dumps({"pages": [filename], **meta}), encoding="utf-8")


def _bulk_records() -> Iterator[Record]:
    for n in range(BULK):
        yield Record(provider="bulk", local_id=f"r{n:04d}", titles=[Text(f"Record {n}", "en")],
                     source_url=f"file:bulk/{n}", source_format="test", loader="tests.iiif", genre="pamphlet")


@pytest.fixture(scope="session")
def iiif_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IiifEnv]:
    from werkzeug.serving import make_server

    from portal.app import create_app

    root = tmp_path_factory.mktemp("iiif")
    scans = root / "scans"
    _scan(scans, "validator", validator_image(), "png", title={"en": "IIIF validator test image"},
          rights_uri=OPEN, genre="photograph")
    _scan(scans, "restricted-map", quadrant_image(1200, 800), "jpg", title={"en": "A map still in copyright"},
          rights_uri=IN_COPYRIGHT, rights={"value": "In copyright", "lang": "en"}, genre="map",
          creators=[{"name": "Living, Cartographer", "birth": 1950}])
    _scan(scans, "big-map", quadrant_image(2400, 1600), "jpg", title={"en": "A larger open map"},
          rights_uri=OPEN, genre="map")
    holder: dict[str, Any] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    store = open_store(str(root / "store"))
    report = load_records(store, [*parse_scans(scans), *_bulk_records()], uris=Uris(base), jurisdiction="KZ",
                          images_dir=root / "images", rejects=RejectLog(root / "rejects.jsonl"))
    app = create_app({"BASE_URL": base, "STORE": str(root / "store"), "IMAGES": str(root / "images"),
                      "SECRET_KEY": "test"}, store=store)
    holder["app"] = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield IiifEnv(base, store, root / "images", report, app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        store.close()


@pytest.fixture(scope="session")
def http(iiif_env: IiifEnv) -> Iterator[Any]:
    """A requests session against the IIIF test server (closed at the end)."""
    import requests

    with requests.Session() as session:
        yield session
