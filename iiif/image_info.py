"""info.json (Image API 3.0, level 2) for one local image, restricted or open."""
from __future__ import annotations

import math
from typing import Any

from .image_request import Limits, max_size
from .pyramid import Source

TILE = 512
MIN_SIZE = 32
PROFILE_URI = "http://iiif.io/api/image/3/level2.json"
CONTEXT = "http://iiif.io/api/image/3/context.json"
EXTRA_FEATURES = ("mirroring", "rotationArbitrary", "sizeUpscaling", "canonicalLinkHeader", "profileLinkHeader",
                  "regionSquare", "cors", "jsonldMediaType", "baseUriRedirect")


def scale_factors(width: int, height: int) -> list[int]:
    """1, 2, 4 … until the whole image fits in one tile."""
    out, sf = [1], 1
    while math.ceil(max(width, height) / sf) > TILE:
        sf *= 2
        out.append(sf)
    return out


def sizes(width: int, height: int, limits: Limits) -> list[dict[str, int]]:
    """Whole-image sizes worth asking for, smallest first: the pyramid's levels, or the thumbnail and below."""
    top = max_size(width, height, limits, upscale=False)
    out: list[dict[str, int]] = []
    w, h = top
    sf = 1
    while max(w, h) >= MIN_SIZE:
        out.append({"width": w, "height": h})
        sf *= 2
        w, h = math.ceil(top[0] / sf), math.ceil(top[1] / sf)
    return sorted(out, key=lambda s: s["width"])


def info_json(service_id: str, source: Source, limits: Limits, *, restricted: bool, rights: str | None,
              formats: tuple[str, ...]) -> dict[str, Any]:
    """The image's description; restricted images get no tiles and their true size with the thumbnail as maximum."""
    info: dict[str, Any] = {
        "@context": CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": source.width,
        "height": source.height,
    }
    if limits.max_width is not None:
        info["maxWidth"] = limits.max_width
    if limits.max_height is not None:
        info["maxHeight"] = limits.max_height
    if limits.max_area is not None:
        info["maxArea"] = limits.max_area
    info["sizes"] = sizes(source.width, source.height, limits)
    if not restricted:
        info["tiles"] = [{"width": TILE, "height": TILE, "scaleFactors": scale_factors(source.width, source.height)}]
    info["extraQualities"] = ["color", "gray", "bitonal"]
    info["extraFormats"] = [f for f in formats if f not in ("jpg", "png")]
    info["extraFeatures"] = list(EXTRA_FEATURES)
    if rights and rights.startswith("http"):
        info["rights"] = rights
    return info
