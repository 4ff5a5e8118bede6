"""A disk cache of rendered images keyed by the resolved request, so a repeated tile is one file read.

The key is the plan in pixels (what is cut, the output size, rotation,
quality, format) plus the source file's modification time: a new master or
pyramid makes new keys, and the old entries are never read again. Only
outputs up to `MAX_CACHED_AREA` are kept: tiles and thumbnails are what
viewers repeat, while a one-off full-size export is not worth the disk.
Files are written under a temporary name and renamed, so a reader never sees
half an image.
"""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from .image_request import Plan

MAX_CACHED_AREA = 1024 * 1024


def cache_key(image_id: str, plan: Plan, mtime_ns: int) -> str:
    text = f"{image_id}|{plan.box}|{plan.out}|{plan.mirror}|{plan.rotation}|{plan.quality}|{plan.format}|{mtime_ns}"
    return hashlib.sha256(text.encode()).hexdigest()


class TileCache:
    """Rendered images beside the image they come from: `root/{image_id}/cache/{key[:2]}/{key}.{format}`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._seq = 0
        self._lock = threading.Lock()

    def path(self, image_id: str, key: str, fmt: str) -> Path:
        return self.root / image_id / "cache" / key[:2] / f"{key}.{fmt}"

    def get(self, image_id: str, key: str, fmt: str) -> Path | None:
        p = self.path(image_id, key, fmt)
        return p if p.is_file() else None

    def wanted(self, plan: Plan) -> bool:
        return plan.out[0] * plan.out[1] <= MAX_CACHED_AREA

    def put(self, image_id: str, key: str, fmt: str, data: bytes) -> Path:
        p = self.path(image_id, key, fmt)
        p.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._seq += 1
            tmp = p.with_name(f".{p.name}.{os.getpid()}.{threading.get_ident()}.{self._seq}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, p)
        finally:
            tmp.unlink(missing_ok=True)
        return p
