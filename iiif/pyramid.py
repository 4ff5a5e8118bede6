"""Reading a local image at the resolution a request needs: from its tiled pyramid, else from the master.

The pyramid (`{image_id}/pyramid.tif`, written at ingest by loaders/pyramid.py:
a tiled pyramidal TIFF, one page per level, each half the one before) is read
with libvips, which decodes only the tiles a crop touches, from the level
nearest above the requested scale. Without a pyramid (an image copied in by
hand, a failed build) the master is read with Pillow, JPEG draft mode picking
the smallest DCT scale that is still large enough.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ontology.errors import NotFound

PYRAMID_NAME = "pyramid.tif"
MASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


@dataclass(frozen=True)
class Source:
    """One image on disk: its full size, the file that serves it, and when that file last changed."""

    path: Path
    width: int
    height: int
    levels: tuple[tuple[int, int], ...]  # (w, h) per pyramid page; just the full size for a master
    mtime_ns: int
    is_pyramid: bool


_cache: OrderedDict[tuple[str, int], Source] = OrderedDict()
_lock = threading.Lock()
_CACHE_SIZE = 512


def find_files(folder: Path) -> tuple[Path | None, Path | None]:
    """(pyramid, master) in an image's folder; either may be None."""
    pyramid = folder / PYRAMID_NAME
    masters = sorted(p for p in folder.glob("master.*") if p.suffix.lower() in MASTER_SUFFIXES) if folder.is_dir() else []
    return (pyramid if pyramid.is_file() else None), (masters[0] if masters else None)


def open_source(folder: Path) -> Source:
    """The image in `folder`, described; NotFound when neither pyramid nor master is there."""
    pyramid, master = find_files(folder)
    path = pyramid or master
    if path is None:
        raise NotFound(f"image {folder.name!r} has no file on this server")
    mtime = path.stat().st_mtime_ns
    key = (str(path), mtime)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    source = _describe_pyramid(path, mtime) if pyramid else _describe_master(path, mtime)
    with _lock:
        _cache[key] = source
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return source


def _describe_pyramid(path: Path, mtime: int) -> Source:
    import pyvips

    first = pyvips.Image.new_from_file(str(path), access="random")
    pages = first.get("n-pages") if "n-pages" in first.get_fields() else 1
    levels = [(first.width, first.height)]
    for page in range(1, pages):
        level = pyvips.Image.new_from_file(str(path), page=page, access="random")
        levels.append((level.width, level.height))
    return Source(path, first.width, first.height, tuple(levels), mtime, True)


def _describe_master(path: Path, mtime: int) -> Source:
    with Image.open(path) as im:  # header only; the size check against MAX_IMAGE_PIXELS happens here
        w, h = im.size
    return Source(path, w, h, ((w, h),), mtime, False)


def read_region(source: Source, box: tuple[int, int, int, int], out: tuple[int, int]) -> Image.Image:
    """The region `box` (full-image pixels) as a Pillow image of roughly `out` size or larger (never smaller)."""
    if source.is_pyramid:
        return _read_pyramid(source, box, out)
    return _read_master(source, box, out)


def _pick_level(source: Source, box: tuple[int, int, int, int], out: tuple[int, int]) -> int:
    scale = max(out[0] / box[2], out[1] / box[3])
    best = 0
    for n, (lw, lh) in enumerate(source.levels):
        if lw / source.width >= scale * (1 - 1e-6) and lh / source.height >= scale * (1 - 1e-6):
            best = n
    return best


def _scaled_box(box: tuple[int, int, int, int], fx: float, fy: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    x, y, w, h = box
    x0, y0 = math.floor(x * fx + 1e-9), math.floor(y * fy + 1e-9)
    x1, y1 = min(size[0], math.ceil((x + w) * fx - 1e-9)), min(size[1], math.ceil((y + h) * fy - 1e-9))
    return x0, y0, max(x0 + 1, x1), max(y0 + 1, y1)


def _read_pyramid(source: Source, box: tuple[int, int, int, int], out: tuple[int, int]) -> Image.Image:
    import pyvips

    n = _pick_level(source, box, out)
    lw, lh = source.levels[n]
    x0, y0, x1, y1 = _scaled_box(box, lw / source.width, lh / source.height, (lw, lh))
    level = pyvips.Image.new_from_file(str(source.path), page=n, access="random")
    crop = level.crop(x0, y0, x1 - x0, y1 - y0)
    mode = {1: "L", 3: "RGB"}.get(crop.bands)
    if mode is None or crop.format != "uchar":
        crop = crop.colourspace("srgb").cast("uchar")
        mode = "RGB"
    return Image.frombytes(mode, (crop.width, crop.height), crop.write_to_memory())


def _read_master(source: Source, box: tuple[int, int, int, int], out: tuple[int, int]) -> Image.Image:
    with Image.open(source.path) as im:
        scale = max(out[0] / box[2], out[1] / box[3])
        if im.format == "JPEG" and scale < 1:
            im.draft("RGB" if im.mode not in ("L", "1") else "L",
                     (math.ceil(source.width * scale), math.ceil(source.height * scale)))
        fx, fy = im.size[0] / source.width, im.size[1] / source.height
        x0, y0, x1, y1 = _scaled_box(box, fx, fy, im.size)
        region = im.crop((x0, y0, x1, y1))
        region.load()
    if region.mode not in ("L", "RGB"):
        region = region.convert("RGBA").convert("RGB") if region.mode in ("RGBA", "LA", "P", "PA") else region.convert("RGB")
    return region
