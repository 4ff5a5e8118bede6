"""Image API 3.0 over real HTTP: info.json, every parameter form, errors, caching headers, the tile cache."""
from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from PIL import Image

from .conftest import IiifEnv

BIG = "local-big-map-1"  # 2400×1600: red | green over blue | white
VALIDATOR = "local-validator-1"


def _get(http: Any, env: IiifEnv, path: str, **kw: Any) -> Any:
    return http.get(f"{env.base}/iiif/image/{path}", timeout=30, **kw)


def _image(resp: Any) -> Image.Image:
    assert resp.status_code == 200, resp.text[:300]
    im = Image.open(io.BytesIO(resp.content))
    im.load()
    return im


def _close(c1: tuple[int, ...], c2: tuple[int, ...], tol: int = 12) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(c1, c2))


RED, GREEN, BLUE, WHITE = (220, 20, 20), (20, 200, 20), (20, 20, 220), (250, 250, 250)


def test_info_json_describes_tiles_sizes_and_features(http: Any, iiif_env: IiifEnv) -> None:
    resp = _get(http, iiif_env, f"{BIG}/info.json")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert 'rel="profile"' in resp.headers["Link"]
    info = resp.json()
    assert info["id"] == f"{iiif_env.base}/iiif/image/{BIG}"
    assert (info["type"], info["profile"], info["protocol"]) == ("ImageService3", "level2", "http://iiif.io/api/image")
    assert (info["width"], info["height"]) == (2400, 1600)
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4, 8]}]
    assert {"width": 600, "height": 400} in info["sizes"]
    assert info["maxArea"] == 40_000_000 and "maxWidth" not in info
    assert {"gray", "bitonal", "color"} <= set(info["extraQualities"])
    assert "webp" in info["extraFormats"] and "mirroring" in info["extraFeatures"]
    assert info["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    ld = _get(http, iiif_env, f"{BIG}/info.json", headers={"Accept": "application/ld+json"})
    assert ld.headers["Content-Type"].startswith("application/ld+json")


def test_base_uri_redirects_to_info_json_and_unknown_images_are_404(http: Any, iiif_env: IiifEnv) -> None:
    resp = _get(http, iiif_env, BIG, allow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"{iiif_env.base}/iiif/image/{BIG}/info.json"
    for bad in ("no-such-image-1", "LOCAL-BIG-MAP-1", "..", "local-big-map-1%2F..%2F..", "a%00b"):
        r = _get(http, iiif_env, f"{bad}/info.json")
        assert r.status_code == 404, bad
        assert "Traceback" not in r.text
    assert _get(http, iiif_env, f"no-such-image-1/full/max/0/default.jpg").status_code == 404


@pytest.mark.parametrize("region,size,expected_size,colour_at_centre", [
    ("full", "max", (2400, 1600), None),
    ("full", "600,", (600, 400), None),
    ("full", ",400", (600, 400), None),
    ("full", "pct:10", (240, 160), None),
    ("full", "300,300", (300, 300), None),
    ("full", "!300,300", (300, 200), None),
    ("square", "200,", (200, 200), None),
    ("0,0,1200,800", "max", (1200, 800), RED),
    ("1200,0,1200,800", "300,", (300, 200), GREEN),
    ("pct:0,50,50,50", "150,", (150, 100), BLUE),
    ("pct:50,50,50,50", "max", (1200, 800), WHITE),
    ("2000,1400,1000,1000", "max", (400, 200), WHITE),  # clipped to the image
    ("0,0,512,512", "512,", (512, 512), RED),  # a full-resolution tile
    ("0,0,2048,2048", "512,", (512, 400), None),  # a reduced tile, clipped at the bottom
    ("full", "^4000,", (4000, 2667), None),
    ("0,0,100,100", "^pct:300", (300, 300), RED),
    ("full", "^!3000,3000", (3000, 2000), None),
    ("full", "^max", (7745, 5163), None),  # upscaled to maxArea (40 000 000 pixels)
])
def test_region_and_size_forms(http: Any, iiif_env: IiifEnv, region: str, size: str,
                               expected_size: tuple[int, int], colour_at_centre: tuple[int, int, int] | None) -> None:
    im = _image(_get(http, iiif_env, f"{BIG}/{region}/{size}/0/default.jpg"))
    assert im.size == expected_size
    if colour_at_centre:
        assert _close(im.getpixel((im.width // 2, im.height // 2)), colour_at_centre)


def test_rotation_mirroring_quality_and_formats(http: Any, iiif_env: IiifEnv) -> None:
    base = f"{BIG}/full/240,/"
    rotated = _image(_get(http, iiif_env, base + "90/default.png"))
    assert rotated.size == (160, 240)
    assert _close(rotated.getpixel((150, 10)), RED)  # top-left corner turned to the top right
    mirrored = _image(_get(http, iiif_env, base + "!0/default.png"))
    assert _close(mirrored.getpixel((230, 10)), RED) and _close(mirrored.getpixel((10, 10)), GREEN)
    tilted = _image(_get(http, iiif_env, base + "45/default.png"))
    assert tilted.mode == "RGBA" and tilted.width > 240 and tilted.getpixel((0, 0))[3] == 0
    tilted_jpg = _image(_get(http, iiif_env, base + "22.5/default.jpg"))
    assert tilted_jpg.width > 240
    assert _image(_get(http, iiif_env, base + "0/gray.jpg")).mode == "L"
    bitonal = _image(_get(http, iiif_env, base + "0/bitonal.png"))
    assert bitonal.mode == "1" or set(bitonal.convert("L").getdata()) <= {0, 255}
    assert _image(_get(http, iiif_env, base + "0/color.jpg")).mode == "RGB"
    for fmt, pil in (("jpg", "JPEG"), ("png", "PNG"), ("webp", "WEBP"), ("gif", "GIF"), ("tif", "TIFF")):
        resp = _get(http, iiif_env, base + f"0/default.{fmt}")
        assert _image(resp).format == pil
        assert resp.headers["Content-Type"].startswith("image/")


@pytest.mark.parametrize("path,parameter", [
    ("full/max/0/default.bmp", "format"),
    ("full/max/0/sepia.jpg", "quality"),
    ("full/max/400/default.jpg", "rotation"),
    ("full/max/-5/default.jpg", "rotation"),
    ("full/full/0/default.jpg", "size"),  # 2.x syntax, gone in 3.0
    ("full/0,/0/default.jpg", "size"),
    ("full/3000,/0/default.jpg", "size"),  # larger than the region without ^
    ("full/pct:101/0/default.jpg", "size"),
    ("full/!5000,5000/0/default.jpg", "size"),
    ("full/^9000,9000/0/default.jpg", "size"),  # past maxArea
    ("0,0,0,10/max/0/default.jpg", "region"),
    ("5000,0,10,10/max/0/default.jpg", "region"),  # outside the image
    ("pct:100,0,10,10/max/0/default.jpg", "region"),
    ("1,2,3/max/0/default.jpg", "region"),
])
def test_bad_parameters_are_400_naming_the_parameter(http: Any, iiif_env: IiifEnv, path: str, parameter: str) -> None:
    resp = _get(http, iiif_env, f"{BIG}/{path}", headers={"Accept": "application/json"})
    assert resp.status_code == 400
    body = resp.json()
    assert body["status"] == 400 and body["error"].startswith(parameter)


def test_canonical_link_caching_headers_and_tile_cache(http: Any, iiif_env: IiifEnv) -> None:
    path = f"{BIG}/pct:0,0,25,25/300,/0/default.jpg"
    first = _get(http, iiif_env, path)
    assert first.status_code == 200
    assert f'<{iiif_env.base}/iiif/image/{BIG}/0,0,600,400/300,200/0/default.jpg>;rel="canonical"' in first.headers["Link"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in first.headers["Cache-Control"] and first.headers["Last-Modified"]
    etag = first.headers["ETag"]
    again = _get(http, iiif_env, path)
    assert again.headers["X-Meros-Tile-Cache"] == "hit" and again.content == first.content
    cached = list((iiif_env.image_dir(BIG) / "cache").rglob("*.jpg"))
    assert any(p.read_bytes() == first.content for p in cached)
    assert _get(http, iiif_env, path, headers={"If-None-Match": etag}).status_code == 304
    canonical = first.headers["Link"].split(">", 1)[0][1:]
    assert http.get(canonical, timeout=30).content == first.content  # same pixels, same key


def test_pyramid_built_at_ingest_and_master_untouched(iiif_env: IiifEnv) -> None:
    import pyvips

    folder = iiif_env.image_dir(BIG)
    master, pyramid = folder / "master.jpg", folder / "pyramid.tif"
    assert pyramid.is_file()
    levels = [pyvips.Image.new_from_file(str(pyramid), page=n) for n in range(4)]
    assert [(im.width, im.height) for im in levels] == [(2400, 1600), (1200, 800), (600, 400), (300, 200)]
    assert levels[0].get("tile-width") == 256
    sources = sorted(p for p in (iiif_env.images.parent / "scans" / "big-map").iterdir() if p.suffix == ".jpg")
    assert hashlib.sha256(master.read_bytes()).digest() == hashlib.sha256(sources[0].read_bytes()).digest()


def test_validator_image_served_pixel_exact_enough(http: Any, iiif_env: IiifEnv) -> None:
    """The validator's colours survive the pyramid (JPEG in tiles) within its own tolerance."""
    from iiif_validator.validator import ValidationInfo

    colours = ValidationInfo().colorInfo
    im = _image(_get(http, iiif_env, f"{VALIDATOR}/full/max/0/default.png"))
    for x, y in ((0, 0), (9, 9), (3, 7)):
        assert _close(im.getpixel((x * 100 + 50, y * 100 + 50)), colours[x][y], 6)
