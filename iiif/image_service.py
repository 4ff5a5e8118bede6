"""Our Image API for local scans: find the image and its object's rights, describe it, render a request.

An image id never becomes a path until it has matched `IMAGE_ID` and the
store has said which object shows it; the rights status is read from that
object's graph (`meros:rightsStatus`, written by the rights engine) on every
request, so a change of status applies at once, cached tiles included.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology.errors import BadRequest, NotFound
from ontology.mapping import Uris
from ontology.vocab import NS
from sparql.queries import string_literal
from sparql.store import Store

from . import image_request
from .image_info import PROFILE_URI, info_json
from .image_render import render, supported_formats
from .image_request import FORMATS, Limits, Plan
from .image_rights import check, limits_for
from .pyramid import Source, open_source
from .tile_cache import TileCache, cache_key

IMAGE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,250}$")


@dataclass(frozen=True)
class ImageRecord:
    """What the store says about one local image."""

    image_id: str
    object_id: str
    restricted: bool
    reason: str
    statement: str | None


@dataclass(frozen=True)
class Rendered:
    """An answer to an image request: a cached file or fresh bytes, with what the HTTP layer needs."""

    path: Path | None
    data: bytes | None
    mimetype: str
    canonical: str
    etag: str
    last_modified: float
    restricted: bool


def find_image(store: Store, uris: Uris, image_id: str) -> ImageRecord:
    """The image's object and rights; NotFound for an id that is malformed or unknown to the store."""
    if not IMAGE_ID.match(image_id):
        raise NotFound(f"no image with id {image_id!r}")
    rows = store.query(f"""
        SELECT ?agg ?status ?reason ?statement WHERE {{ GRAPH ?g {{
          ?res <{NS.meros.imageId.value}> {string_literal(image_id)} .
          ?agg <{NS.edm.isShownBy.value}>|<{NS.edm.hasView.value}> ?res .
          OPTIONAL {{ ?agg <{NS.meros.rightsStatus.value}> ?status }}
          OPTIONAL {{ ?agg <{NS.meros.rightsReason.value}> ?reason }}
          OPTIONAL {{ ?agg <{NS.edm.rights.value}> ?statement }}
        }} }}""", union_default_graph=False)
    assert isinstance(rows, list)
    if not rows:
        raise NotFound(f"no image with id {image_id!r}")
    row = rows[0]
    reasons = {getattr(r["reason"], "language", None) or "": r["reason"].value  # type: ignore[union-attr]
               for r in rows if r.get("reason") is not None}
    agg = row["agg"].value  # type: ignore[union-attr]
    status = row["status"].value if row.get("status") is not None else "restricted"  # type: ignore[union-attr]
    return ImageRecord(
        image_id=image_id,
        object_id=agg.rsplit("/id/", 1)[-1].split("#", 1)[0],
        restricted=status != "open",  # no status yet means not known to be open
        reason=reasons.get("en") or reasons.get("") or next(iter(reasons.values()), ""),
        statement=row["statement"].value if row.get("statement") is not None else None,  # type: ignore[union-attr]
    )


class ImageService:
    """One per app: the store, the image folder, the limits and the tile cache."""

    def __init__(self, store: Store, uris: Uris, images_dir: Path, *, thumbnail_size: int, max_area: int) -> None:
        self.store, self.uris = store, uris
        self.images_dir = Path(images_dir).resolve()
        self.thumbnail_size, self.max_area = thumbnail_size, max_area
        self.cache = TileCache(self.images_dir)
        self.formats = supported_formats()

    def service_id(self, image_id: str) -> str:
        return self.uris.image_service(image_id).value

    def open(self, image_id: str) -> tuple[ImageRecord, Source, Limits]:
        record = find_image(self.store, self.uris, image_id)
        folder = (self.images_dir / image_id).resolve()
        if folder.parent != self.images_dir:
            raise NotFound(f"no image with id {image_id!r}")
        source = open_source(folder)
        limits = limits_for(source.width, source.height, restricted=record.restricted,
                            thumbnail_size=self.thumbnail_size, max_area=self.max_area)
        return record, source, limits

    def info(self, image_id: str) -> tuple[dict[str, Any], ImageRecord, Source]:
        record, source, limits = self.open(image_id)
        doc = info_json(self.service_id(image_id), source, limits, restricted=record.restricted,
                        rights=record.statement, formats=self.formats)
        return doc, record, source

    def plan(self, image_id: str, region: str, size: str, rotation: str, quality_format: str
             ) -> tuple[ImageRecord, Source, Plan]:
        """Parse (400), find (404), resolve (400) and check the rights (403), in that order."""
        req = image_request.parse(region, size, rotation, quality_format)
        if req.format not in self.formats:
            raise BadRequest(f"format {req.format!r} is not supported by this server")
        record, source, limits = self.open(image_id)
        plan = image_request.resolve(req, source.width, source.height, limits)
        check(plan, limits, restricted=record.restricted, reason=record.reason)
        return record, source, plan

    def render(self, image_id: str, region: str, size: str, rotation: str, quality_format: str) -> Rendered:
        record, source, plan = self.plan(image_id, region, size, rotation, quality_format)
        key = cache_key(image_id, plan, source.mtime_ns)
        canonical = f"{self.service_id(image_id)}/{plan.canonical((source.width, source.height))}"
        common = dict(mimetype=FORMATS[plan.format], canonical=canonical, etag=key[:32],
                      last_modified=source.mtime_ns / 1e9, restricted=record.restricted)
        cached = self.cache.get(image_id, key, plan.format)
        if cached is not None:
            return Rendered(path=cached, data=None, **common)  # type: ignore[arg-type]
        data = render(source, plan)
        if self.cache.wanted(plan):
            self.cache.put(image_id, key, plan.format, data)
        return Rendered(path=None, data=data, **common)  # type: ignore[arg-type]

    @staticmethod
    def profile_link() -> str:
        return f'<{PROFILE_URI}>;rel="profile"'


def etag_of(doc: bytes) -> str:
    return hashlib.sha256(doc).hexdigest()[:32]
