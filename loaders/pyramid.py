"""Tiled pyramids of local scans, built at ingest so the Image API never decodes a whole master per tile.

The pyramid is the only contract between loaders/ and iiif/: a tiled, JPEG-
compressed pyramidal TIFF at `{MEROS_IMAGES}/{image_id}/pyramid.tif`, one page
(IFD) per level, each half the size of the one before (page 0 = full size),
256 × 256 tiles, written by libvips (pyvips with the `pyvips-binary` wheel).
The master beside it is read, never altered. A pyramid newer than its master
is left alone, so re-loading is cheap and idempotent; one is written to a
temporary name and renamed, so a reader never sees half a file.
"""
from __future__ import annotations

import os
from pathlib import Path

from ontology.errors import RecordError

PYRAMID_NAME = "pyramid.tif"
TILE = 256
QUALITY = 90


def pyramid_path(master: Path) -> Path:
    return master.parent / PYRAMID_NAME


def is_current(master: Path, pyramid: Path) -> bool:
    """True when the pyramid exists and was built after the master last changed."""
    try:
        return pyramid.stat().st_mtime_ns >= master.stat().st_mtime_ns and pyramid.stat().st_size > 0
    except FileNotFoundError:
        return False


def build_pyramid(master: Path) -> Path:
    """Write (or keep) the pyramid beside `master`; RecordError if libvips cannot read the master."""
    import pyvips  # imported here: only ingest of local scans needs libvips

    master = Path(master)
    target = pyramid_path(master)
    if is_current(master, target):
        return target
    tmp = target.with_name(f".{PYRAMID_NAME}.{os.getpid()}.tmp")
    try:
        image = pyvips.Image.new_from_file(str(master), access="sequential", fail_on="truncated")
        if image.hasalpha():
            image = image.flatten(background=[255] * (image.bands - 1))
        if image.interpretation not in ("srgb", "b-w") or image.format != "uchar":
            image = image.colourspace("srgb" if image.bands >= 3 else "b-w").cast("uchar")
        image.tiffsave(str(tmp), tile=True, tile_width=TILE, tile_height=TILE, pyramid=True,
                       compression="jpeg", Q=QUALITY)
        os.replace(tmp, target)
    except pyvips.Error as exc:
        raise RecordError(f"{master.parent.name}/{master.name}: cannot build its tiled pyramid: "
                          f"{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target
