"""The Image API pipeline with Pillow: region → size → rotation → quality → format.

`read_region` (iiif/pyramid.py) hands over the region already at, or just
above, the output resolution; what remains here is the exact resize, mirror
and rotation, the quality conversion and the encoding.
"""
from __future__ import annotations

import io
import threading
import warnings

from PIL import Image, ImageOps, features

from .image_request import Plan
from .pyramid import Source, read_region

# Largest master Pillow may decode (the pyramid path never decodes a whole master). Set once per process
# by `configure_pillow`; past it Pillow raises, and its decompression-bomb warning below it is an error too.
MAX_IMAGE_PIXELS = 400_000_000
_configured = threading.Lock()
_done = False


def configure_pillow() -> None:
    """Pillow's process-wide limits, set once (called when the IIIF blueprint is registered)."""
    global _done
    with _configured:
        if _done:
            return
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
        warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
        _done = True


def supported_formats() -> tuple[str, ...]:
    """Formats this Pillow can write: jpg and png always, webp when Pillow was built with it."""
    out = ["jpg", "png", "gif", "tif"]
    if features.check("webp"):
        out.insert(2, "webp")
    return tuple(out)


_PIL_FORMAT = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF", "tif": "TIFF"}
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "jpg": {"quality": 85},
    "png": {"compress_level": 3},
    "webp": {"quality": 80, "method": 3},
    "gif": {},
    "tif": {"compression": "tiff_deflate"},
}


def render(source: Source, plan: Plan) -> bytes:
    """Encoded image bytes for an already resolved and permitted plan."""
    im = read_region(source, plan.box, plan.out)
    if im.size != plan.out:
        im = im.resize(plan.out, Image.Resampling.LANCZOS if im.width > plan.out[0] else Image.Resampling.BICUBIC)
    if plan.mirror:
        im = ImageOps.mirror(im)
    im = _rotate(im, plan.rotation, transparent=plan.format in ("png", "webp", "gif", "tif"))
    im = _quality(im, plan.quality, plan.format)
    buf = io.BytesIO()
    im.save(buf, _PIL_FORMAT[plan.format], **_SAVE_OPTIONS[plan.format])
    return buf.getvalue()


def _rotate(im: Image.Image, degrees: float, *, transparent: bool) -> Image.Image:
    """Clockwise, as the Image API counts; other angles enlarge the canvas (transparent where the format can be)."""
    if degrees == 0:
        return im
    quarter = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    if degrees in quarter:
        return im.transpose(quarter[int(degrees)])
    if transparent:
        im = im.convert("RGBA" if im.mode != "L" else "LA")
        fill: object = (255, 255, 255, 0) if im.mode == "RGBA" else (255, 0)
    else:
        fill = 255 if im.mode == "L" else (255, 255, 255)
    return im.rotate(-degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)  # type: ignore[arg-type]


def _quality(im: Image.Image, quality: str, fmt: str) -> Image.Image:
    if quality == "gray":
        return im.convert("LA") if im.mode in ("RGBA", "LA") else im.convert("L")
    if quality == "bitonal":
        gray = im.convert("L")
        if fmt in ("jpg", "webp"):
            return gray.point(lambda v: 255 if v >= 128 else 0)
        return gray.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    if quality == "color" and im.mode in ("L", "LA"):
        return im.convert("RGBA" if im.mode == "LA" else "RGB")
    if fmt == "jpg" and im.mode in ("RGBA", "LA"):
        return im.convert("RGB" if im.mode == "RGBA" else "L")
    return im
