"""The IIIF URLs of the contract: manifests, collections, the Image API, Change Discovery, Content Search.

Thin HTTP layer over iiif/: it picks headers (content types, CORS, caching,
the canonical and profile `Link`s) and leaves every decision to iiif/.
"""
from __future__ import annotations

import hashlib
import json
from email.utils import formatdate
from typing import Any

from flask import Blueprint, Response, current_app, redirect, request

from iiif import collections, content_search, discovery
from iiif.image_render import configure_pillow
from iiif.image_service import ImageService
from iiif.manifest import ManifestOptions, build_manifest
from iiif.manifest_cache import ManifestCache, fingerprint
from sparql.objects import get_object

bp = Blueprint("iiif", __name__)
bp.record_once(lambda state: configure_pillow())

PRESENTATION = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
IMAGE_LD = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
DISCOVERY = 'application/ld+json;profile="http://iiif.io/api/discovery/1/context.json"'
SEARCH = 'application/ld+json;profile="http://iiif.io/api/search/2/context.json"'
IMAGE_MAX_AGE = 86400
JSON_MAX_AGE = 300


def _m():  # type: ignore[no-untyped-def]
    from .app import meros

    return meros()


def image_service() -> ImageService:
    """The app's Image API service, made on first use."""
    service = current_app.extensions.get("meros.iiif")
    if service is None:
        m = _m()
        service = ImageService(m.store, m.uris, m.settings["IMAGES"], thumbnail_size=m.settings["THUMBNAIL_SIZE"],
                               max_area=m.settings["IIIF_MAX_AREA"])
        current_app.extensions["meros.iiif"] = service
    return service


@bp.after_request
def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def _json(doc: str | dict[str, Any], mimetype: str, *, max_age: int = JSON_MAX_AGE) -> Response:
    body = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)
    resp = Response(body, content_type=mimetype)
    resp.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    resp.cache_control.public = True
    resp.cache_control.max_age = max_age
    return resp.make_conditional(request)


# --- Presentation ------------------------------------------------------------------------------

@bp.get("/iiif/<object_id>/manifest")
def manifest(object_id: str) -> Response:
    m = _m()
    opts = ManifestOptions(thumbnail_size=m.settings["THUMBNAIL_SIZE"], max_area=m.settings["IIIF_MAX_AREA"],
                           has_text=content_search.has_text(m.store, m.uris, object_id))
    key = f"{fingerprint(m.store, m.uris, object_id)}|{opts}"
    cache = current_app.extensions.setdefault("meros.iiif.manifests", ManifestCache())
    text = cache.get_or_build(object_id, key, lambda: build_manifest(get_object(m.store, m.uris, object_id), m.uris, opts))
    return _json(text, PRESENTATION)


@bp.get("/iiif/collection/top")
def collection_top() -> Response:
    return _json(collections.top(_m().store, _m().uris), PRESENTATION)


def _group_collection(kind: str, key: str, part: str | None) -> Response:
    m = _m()
    group = collections.find_group(m.store, m.uris, kind, key)
    first = last = None
    if part is not None:
        a, _, b = part.partition("-")
        if not (a.isdigit() and b.isdigit()):
            from ontology.errors import NotFound

            raise NotFound(f"no part {part!r} of this collection (parts are named first-last, e.g. 1-100)")
        first, last = int(a), int(b)
    return _json(collections.collection(m.store, m.uris, group, first, last), PRESENTATION)


@bp.get("/iiif/collection/<provider>")
def collection_provider(provider: str) -> Response:
    return _group_collection("provider", provider, None)


@bp.get("/iiif/collection/<provider>/<part>")
def collection_provider_part(provider: str, part: str) -> Response:
    return _group_collection("provider", provider, part)


@bp.get("/iiif/collection/genre/<genre>")
def collection_genre(genre: str) -> Response:
    return _group_collection("genre", genre, None)


@bp.get("/iiif/collection/genre/<genre>/<part>")
def collection_genre_part(genre: str, part: str) -> Response:
    return _group_collection("genre", genre, part)


# --- Image API ---------------------------------------------------------------------------------

@bp.get("/iiif/image/<image_id>")
def image_base(image_id: str) -> Response:
    service = image_service()
    service.open(image_id)  # 404 for an unknown image, before redirecting
    return redirect(f"{service.service_id(image_id)}/info.json", code=303)


@bp.get("/iiif/image/<image_id>/info.json")
def image_info(image_id: str) -> Response:
    doc, record, _ = image_service().info(image_id)
    wants_ld = request.accept_mimetypes.best_match(["application/json", "application/ld+json"]) == "application/ld+json" \
        and request.accept_mimetypes["application/ld+json"] > request.accept_mimetypes["application/json"]
    resp = _json(doc, IMAGE_LD if wants_ld else "application/json", max_age=JSON_MAX_AGE)
    resp.headers["Link"] = ImageService.profile_link()
    resp.vary.add("Accept")
    return resp


@bp.get("/iiif/image/<image_id>/<region>/<size>/<rotation>/<quality_format>")
def image(image_id: str, region: str, size: str, rotation: str, quality_format: str) -> Response:
    out = image_service().render(image_id, region, size, rotation, quality_format)
    data = out.data if out.data is not None else out.path.read_bytes()  # type: ignore[union-attr]
    resp = Response(data, mimetype=out.mimetype)
    resp.set_etag(out.etag)
    resp.headers["Last-Modified"] = formatdate(out.last_modified, usegmt=True)
    resp.cache_control.public = True
    resp.cache_control.max_age = IMAGE_MAX_AGE
    resp.headers["Link"] = f'<{out.canonical}>;rel="canonical",{ImageService.profile_link()}'
    resp.headers["X-Meros-Tile-Cache"] = "hit" if out.path is not None else "miss"
    return resp.make_conditional(request)


# --- Change Discovery and Content Search -------------------------------------------------------

@bp.get("/iiif/discovery/changes")
def changes() -> Response:
    return _json(discovery.collection(_m().store, _m().uris), DISCOVERY, max_age=60)


@bp.get("/iiif/discovery/changes/page/<int:n>")
def changes_page(n: int) -> Response:
    return _json(discovery.page(_m().store, _m().uris, n), DISCOVERY, max_age=60)


@bp.get("/iiif/<object_id>/search")
def search(object_id: str) -> Response:
    m = _m()
    get_object(m.store, m.uris, object_id)  # 404 for an unknown object
    doc = content_search.search(m.store, m.uris, object_id, request.args.get("q", ""), request.url)
    return _json(doc, SEARCH, max_age=60)


@bp.app_context_processor
def _viewer_helpers() -> dict[str, Any]:
    """What templates/_viewer.html needs: whether there is anything to view, and links for other viewers."""
    from iiif.content_state import drag_and_drop_link, viewer_links
    from iiif.manifest import viewable

    return {"iiif_viewable": viewable, "iiif_viewer_links": viewer_links, "iiif_drag_link": drag_and_drop_link}
