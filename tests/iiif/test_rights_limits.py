"""A restricted image over HTTP: every request form that could hand out more than the thumbnail is refused.

The image is 1200×800; THUMBNAIL_SIZE is 300, so the most it may give is the
whole image at 300×200, i.e. a resolution of a quarter of the original.
"""
from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from ontology.mapping import Uris
from sparql.objects import get_object

from .conftest import IiifEnv

IMG = "local-restricted-map-1"


def _get(http: Any, env: IiifEnv, path: str) -> Any:
    return http.get(f"{env.base}/iiif/image/{IMG}/{path}", headers={"Accept": "application/json"}, timeout=30)


def test_the_object_is_restricted_in_the_store(iiif_env: IiifEnv) -> None:
    obj = get_object(iiif_env.store, Uris(iiif_env.base), "local-restricted-map")
    assert obj.rights_status == "restricted"  # the premise of every test below


def test_info_json_gives_true_size_and_thumbnail_maximum(http: Any, iiif_env: IiifEnv) -> None:
    info = _get(http, iiif_env, "info.json").json()
    assert (info["width"], info["height"]) == (1200, 800)
    assert (info["maxWidth"], info["maxHeight"]) == (300, 300)
    assert "tiles" not in info  # tiles at full resolution would be refused: none are announced
    assert max(s["width"] for s in info["sizes"]) == 300
    assert all(s["width"] <= 300 and s["height"] <= 300 for s in info["sizes"])


@pytest.mark.parametrize("path,size", [
    ("full/max/0/default.jpg", (300, 200)),
    ("full/!1000,1000/0/default.jpg", (300, 200)),
    ("full/^max/0/default.jpg", (300, 200)),  # the largest permitted, which here is no upscaling
    ("full/!150,150/0/default.jpg", (150, 100)),
    ("full/300,/0/default.jpg", (300, 200)),
    ("full/pct:25/0/default.jpg", (300, 200)),
    ("full/pct:10/0/gray.png", (120, 80)),
    ("square/max/0/default.jpg", (200, 200)),
    ("0,0,600,400/max/0/default.jpg", (150, 100)),  # a crop, at thumbnail resolution
    ("pct:50,50,50,50/max/90/default.jpg", (100, 150)),
    ("0,0,300,300/75,/0/default.jpg", (75, 75)),
])
def test_thumbnail_sized_answers_are_served(http: Any, iiif_env: IiifEnv, path: str, size: tuple[int, int]) -> None:
    resp = _get(http, iiif_env, path)
    assert resp.status_code == 200, resp.text
    with Image.open(io.BytesIO(resp.content)) as im:
        assert im.size == size


@pytest.mark.parametrize("path", [
    "full/301,/0/default.jpg",  # one pixel larger than the thumbnail
    "full/1200,/0/default.jpg",  # the full image
    "full/1200,800/0/default.jpg",
    "full/pct:50/0/default.jpg",
    "full/pct:100/0/default.jpg",
    "full/^1201,/0/default.jpg",  # upscaling forms
    "full/^1500,/0/default.jpg",
    "full/^!2000,2000/0/default.jpg",
    "full/^pct:150/0/default.jpg",
    "0,0,300,300/300,/0/default.jpg",  # a region at full resolution
    "0,0,300,300/300,300/0/default.jpg",
    "pct:0,0,25,25/300,/0/default.jpg",
    "square/800,/0/default.jpg",
    "0,0,100,100/^200,/0/default.jpg",
    "0,0,120,80/120,/45/default.png",
])
def test_anything_larger_is_403_with_the_reason(http: Any, iiif_env: IiifEnv, path: str) -> None:
    resp = _get(http, iiif_env, path)
    assert resp.status_code == 403, (path, resp.status_code)
    body = resp.json()
    assert body["status"] == 403
    assert "thumbnail" in body["error"]
    reason = " ".join(t.value for t in get_object(iiif_env.store, Uris(iiif_env.base), "local-restricted-map").rights_reason)
    assert reason and reason.split(".")[0] in body["error"]  # the rights engine's reason, as stored
    assert resp.headers["Content-Type"].startswith("application/json")


def test_a_cached_full_size_tile_is_not_served_once_restricted(http: Any, iiif_env: IiifEnv) -> None:
    """Rights are checked before the tile cache: a full-resolution tile left on disk (say, from when the
    object was open) is never handed out."""
    from iiif.image_request import Limits, parse, resolve
    from iiif.pyramid import open_source
    from iiif.tile_cache import TileCache, cache_key

    source = open_source(iiif_env.image_dir(IMG))
    plan = resolve(parse("0,0,512,512", "512,", "0", "default.jpg"), source.width, source.height, Limits())
    TileCache(iiif_env.images).put(IMG, cache_key(IMG, plan, source.mtime_ns), "jpg", b"full-resolution pixels")
    resp = _get(http, iiif_env, "0,0,512,512/512,/0/default.jpg")
    assert resp.status_code == 403 and b"full-resolution pixels" not in resp.content


def test_manifest_of_a_restricted_object_carries_only_thumbnail_sized_images(http: Any, iiif_env: IiifEnv) -> None:
    doc = http.get(f"{iiif_env.base}/iiif/local-restricted-map/manifest", timeout=30).json()
    canvas = doc["items"][0]
    assert (canvas["width"], canvas["height"]) == (1200, 800)  # the canvas keeps the true size
    body = canvas["items"][0]["items"][0]["body"]
    assert (body["width"], body["height"]) == (300, 200)
    assert body["id"].endswith("/full/300,200/0/default.jpg")
    assert http.get(body["id"], timeout=30).status_code == 200
    info = http.get(body["service"][0]["id"] + "/info.json", timeout=30).json()
    assert info["maxWidth"] == 300
    text = json.dumps(doc)
    assert "full/max" not in text and "rendering" not in doc  # no download links
