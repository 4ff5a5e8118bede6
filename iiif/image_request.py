"""An Image API 3.0 request parsed from its URL into frozen values, then resolved against one image.

Parsing checks syntax only (400 naming the bad parameter); `resolve` applies
the image's size and the service's limits, and gives the exact pixels to cut
and the exact output size, so rights checks, caching and rendering all work
from the same numbers. The idea follows zimeon/iiif `request.py`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ontology.errors import BadRequest

QUALITIES = ("default", "color", "gray", "bitonal")
FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif", "tif": "image/tiff"}

_NUM = r"\d+(?:\.\d+)?"
_REGION_PX = re.compile(r"^(\d+),(\d+),(\d+),(\d+)$")
_REGION_PCT = re.compile(rf"^pct:({_NUM}),({_NUM}),({_NUM}),({_NUM})$")
_SIZE = re.compile(rf"^(\^)?(?:(max)|pct:({_NUM})|(!)?(\d+)?,(\d+)?)$")
_ROTATION = re.compile(rf"^(!)?({_NUM})$")


@dataclass(frozen=True)
class Region:
    kind: str  # full | square | px | pct
    values: tuple[float, float, float, float] = (0, 0, 0, 0)


@dataclass(frozen=True)
class Size:
    kind: str  # max | pct | w | h | wh | confined
    upscale: bool = False
    w: int | None = None
    h: int | None = None
    pct: float | None = None


@dataclass(frozen=True)
class ImageRequest:
    """The four path parameters and the format, checked for syntax."""

    region: Region
    size: Size
    mirror: bool
    rotation: float
    quality: str
    format: str


@dataclass(frozen=True)
class Limits:
    """What the service may return for one image (announced in its info.json)."""

    max_width: int | None = None
    max_height: int | None = None
    max_area: int | None = None
    max_scale: float | None = None  # restricted images: never finer than the thumbnail's resolution


@dataclass(frozen=True)
class Plan:
    """The request in pixels: cut `box` (x, y, w, h) from the full image, scale it to `out`, then rotate."""

    box: tuple[int, int, int, int]
    out: tuple[int, int]
    mirror: bool
    rotation: float
    quality: str
    format: str
    upscaled: bool
    is_max: bool

    def canonical(self, full: tuple[int, int]) -> str:
        """The canonical URI path after the image id (Image API 3.0 §4.7)."""
        x, y, w, h = self.box
        region = "full" if (x, y, w, h) == (0, 0, *full) else f"{x},{y},{w},{h}"
        if self.is_max and not self.upscaled:
            size = "max"
        else:
            size = ("^" if self.upscaled else "") + f"{self.out[0]},{self.out[1]}"
        rot = f"{self.rotation:g}" if self.rotation != int(self.rotation) else str(int(self.rotation))
        return f"{region}/{size}/{'!' if self.mirror else ''}{rot}/{self.quality}.{self.format}"


def parse(region: str, size: str, rotation: str, quality_format: str) -> ImageRequest:
    """Check each parameter's syntax; BadRequest names the first bad one."""
    return ImageRequest(_region(region), _size(size), *_rotation(rotation), *_quality_format(quality_format))


def _region(text: str) -> Region:
    if text in ("full", "square"):
        return Region(text)
    if m := _REGION_PX.match(text):
        x, y, w, h = (int(v) for v in m.groups())
        if w == 0 or h == 0:
            raise BadRequest(f"region {text!r}: width and height must be greater than 0")
        return Region("px", (x, y, w, h))
    if m := _REGION_PCT.match(text):
        x, y, w, h = (float(v) for v in m.groups())
        if w == 0 or h == 0:
            raise BadRequest(f"region {text!r}: width and height must be greater than 0")
        if x >= 100 or y >= 100:
            raise BadRequest(f"region {text!r}: the region starts outside the image")
        return Region("pct", (x, y, w, h))
    raise BadRequest(f"region {text!r} is not full, square, x,y,w,h or pct:x,y,w,h")


def _size(text: str) -> Size:
    m = _SIZE.match(text)
    if not m:
        raise BadRequest(f"size {text!r} is not max, w,, ,h, pct:n, w,h or !w,h (each may start with ^)")
    up, is_max, pct, confined, w, h = m.groups()
    upscale = up is not None
    if is_max:
        return Size("max", upscale)
    if pct is not None:
        p = float(pct)
        if p <= 0:
            raise BadRequest(f"size {text!r}: the percentage must be greater than 0")
        if p > 100 and not upscale:
            raise BadRequest(f"size {text!r}: more than 100% needs the ^ (upscaling) form")
        return Size("pct", upscale, pct=p)
    wi, hi = (int(w) if w else None), (int(h) if h else None)
    if wi == 0 or hi == 0:
        raise BadRequest(f"size {text!r}: width and height must be greater than 0")
    if confined:
        if wi is None or hi is None:
            raise BadRequest(f"size {text!r}: !w,h needs both a width and a height")
        return Size("confined", upscale, wi, hi)
    if wi is None and hi is None:
        raise BadRequest(f"size {text!r}: give a width, a height or both")
    return Size("wh" if wi and hi else "w" if wi else "h", upscale, wi, hi)


def _rotation(text: str) -> tuple[bool, float]:
    m = _ROTATION.match(text)
    if not m:
        raise BadRequest(f"rotation {text!r} is not a number of degrees (0–360), optionally after ! to mirror")
    degrees = float(m.group(2))
    if degrees > 360:
        raise BadRequest(f"rotation {text!r}: degrees must be between 0 and 360")
    return m.group(1) is not None, degrees % 360


def _quality_format(text: str) -> tuple[str, str]:
    quality, dot, fmt = text.rpartition(".")
    if not dot:
        raise BadRequest(f"quality and format {text!r}: expected quality.format, e.g. default.jpg")
    if quality not in QUALITIES:
        raise BadRequest(f"quality {quality!r} is not one of {', '.join(QUALITIES)}")
    if fmt not in FORMATS:
        raise BadRequest(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    return quality, fmt


def region_box(region: Region, width: int, height: int) -> tuple[int, int, int, int]:
    """The region in full-image pixels, clipped to the image; BadRequest if it lies outside it."""
    if region.kind == "full":
        return 0, 0, width, height
    if region.kind == "square":
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    x, y, w, h = region.values
    if region.kind == "pct":
        x, y, w, h = x * width / 100, y * height / 100, w * width / 100, h * height / 100
        x0, y0 = round(x), round(y)
        x1, y1 = min(width, round(x + w)), min(height, round(y + h))
    else:
        x0, y0, x1, y1 = int(x), int(y), min(width, int(x + w)), min(height, int(y + h))
    if x0 >= width or y0 >= height or x1 <= x0 or y1 <= y0:
        raise BadRequest(f"region: {region.kind} {tuple(region.values)} lies outside the {width}×{height} image")
    return x0, y0, x1 - x0, y1 - y0


def max_size(rw: int, rh: int, limits: Limits, *, upscale: bool) -> tuple[int, int]:
    """The largest output for a region: its own size (or larger with ^), within the limits."""
    scale = 1.0 if not upscale else math.inf
    if limits.max_width:
        scale = min(scale, limits.max_width / rw)
    if limits.max_height:
        scale = min(scale, limits.max_height / rh)
    if limits.max_area:
        scale = min(scale, math.sqrt(limits.max_area / (rw * rh)))
    if limits.max_scale:
        scale = min(scale, limits.max_scale)
    if math.isinf(scale):
        scale = 1.0
    return max(1, int(rw * scale + 1e-9)), max(1, int(rh * scale + 1e-9))


def resolve(req: ImageRequest, width: int, height: int, limits: Limits) -> Plan:
    """Pixels in, pixels out; BadRequest for a size the syntax allows but this image does not."""
    box = region_box(req.region, width, height)
    rw, rh = box[2], box[3]
    s = req.size
    is_max = s.kind == "max"
    if is_max:
        out = max_size(rw, rh, limits, upscale=s.upscale)
    elif s.kind == "pct":
        f = (s.pct or 0) / 100
        out = (max(1, round(rw * f)), max(1, round(rh * f)))
    elif s.kind == "w":
        out = (s.w or 0, max(1, round(rh * (s.w or 0) / rw)))
    elif s.kind == "h":
        out = (max(1, round(rw * (s.h or 0) / rh)), s.h or 0)
    elif s.kind == "wh":
        out = (s.w or 0, s.h or 0)
    else:  # confined: the largest size that fits in w×h, keeping the aspect ratio
        bw, bh = s.w or 0, s.h or 0
        if not s.upscale:
            if min(bw / rw, bh / rh) > 1:  # as the official validator reads 3.0: a larger fit needs ^
                raise BadRequest(f"size {'!'}{bw},{bh}: the best fit is larger than the {rw}×{rh} region; "
                                 "use ^!w,h to upscale")
            mw, mh = max_size(rw, rh, limits, upscale=False)  # then the server's limits (rights) apply
            bw, bh = min(bw, mw), min(bh, mh)
        f = min(bw / rw, bh / rh)
        out = (max(1, min(bw, round(rw * f))), max(1, min(bh, round(rh * f))))
    upscaled = out[0] > rw or out[1] > rh
    if upscaled and not s.upscale:
        raise BadRequest(f"size: {out[0]}×{out[1]} is larger than the {rw}×{rh} region; use the ^ form to upscale")
    return Plan(box, out, req.mirror, req.rotation, req.quality, req.format, upscaled, is_max)
