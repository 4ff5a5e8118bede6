"""One object → its Presentation 3.0 manifest, built with iiif-prezi3.

Every resource gets an explicit `id` under our base URL and language maps,
never iiif-prezi3's placeholder defaults; its global configuration is never
touched. Canvas sizes come from the store (the source's manifest, Gallica's
Pagination service, our own scans), never guessed: a view whose size the
source did not give gets no canvas (the manifest keeps the object's
thumbnail), because a canvas without a size is not valid Presentation 3.
Images that stay at the source keep the source's own image service with its
real type and profile. Restricted objects get only thumbnail-sized images
and services: the same limits our Image API enforces.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import iiif_prezi3 as p3

from ontology.mapping import Uris, slug
from ontology.record import Agent, Text
from sparql.objects import ImageView, ObjectView

from . import labels as L

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
NAVPLACE_CONTEXT = "http://iiif.io/api/extension/navplace/context.json"
SEARCH_CONTEXT = "http://iiif.io/api/search/2/context.json"
IMAGE1_LEVEL2 = "http://library.stanford.edu/iiif/image-api/1.1/compliance.html#level2"

# Homepages of the institutions behind the provider keys (the id prefix). Logos are left out until an
# institution gives us one to use.
PROVIDER_HOMEPAGES: dict[str, tuple[str, str]] = {
    "gallica": ("https://gallica.bnf.fr/", "Gallica, Bibliothèque nationale de France"),
    "loc": ("https://www.loc.gov/", "Library of Congress"),
    "princeton": ("https://library.princeton.edu/", "Princeton University Library"),
    "harvard": ("https://library.harvard.edu/", "Harvard Library"),
    "bl": ("https://www.bl.uk/", "British Library"),
    "europeana": ("https://www.europeana.eu/", "Europeana"),
    "riksarkivet": ("https://riksarkivet.se/", "Riksarkivet"),
    "stanford": ("https://library.stanford.edu/", "Stanford Libraries"),
    "penn": ("https://www.library.upenn.edu/", "Penn Libraries"),
    "kazneb": ("https://kazneb.kz/", "Kazakhstan National Electronic Library"),
    "rsl": ("https://www.rsl.ru/", "Russian State Library"),
    "nlr": ("https://nlr.ru/", "National Library of Russia"),
}


@dataclass(frozen=True)
class RangeView:
    """One entry of a table of contents: a label and the canvases (by 1-based view number) it covers."""

    label: list[Text]
    views: tuple[int, ...]
    children: tuple["RangeView", ...] = ()


@dataclass(frozen=True)
class ManifestOptions:
    thumbnail_size: int = 300
    max_area: int = 40_000_000
    has_text: bool = False
    ranges: tuple[RangeView, ...] = field(default_factory=tuple)


def manifest_id(uris: Uris, object_id: str) -> str:
    return uris.manifest(object_id).value


def canvas_id(uris: Uris, object_id: str, n: int) -> str:
    return f"{uris.base}/iiif/{object_id}/canvas/{n}"


def provider_collection_id(uris: Uris, key: str) -> str:
    return f"{uris.base}/iiif/collection/{key}"


def genre_collection_id(uris: Uris, genre: str) -> str:
    return f"{uris.base}/iiif/collection/genre/{slug(genre)}"


def fit(width: int, height: int, box: int) -> tuple[int, int]:
    """The size of a `box`-sided thumbnail of a width×height image (never larger than the image)."""
    f = min(1.0, box / max(width, height))
    return max(1, int(width * f + 1e-9)), max(1, int(height * f + 1e-9))


def _max_size(width: int, height: int, max_area: int) -> tuple[int, int]:
    f = min(1.0, math.sqrt(max_area / (width * height)))
    return max(1, int(width * f + 1e-9)), max(1, int(height * f + 1e-9))


def _service(img: ImageView) -> p3.ServiceV3 | p3.ServiceV2 | None:
    """The image's service as the source declares it: v3 as `id`/`type`, older versions as `@id`/`@type`."""
    if not img.service or not img.service_type:
        return None
    if img.service_type == "ImageService3":
        return p3.ServiceV3(id=img.service, type="ImageService3", profile=img.profile or "level0")
    profile = img.profile or ("level0" if img.service_type == "ImageService2" else None)
    extra = {"profile": profile} if profile else {}
    return p3.ServiceV2(**{"@id": img.service, "@type": img.service_type}, **extra)


def _image_url(service: str, service_type: str | None, size: str) -> str:
    quality = "native" if service_type == "ImageService1" else "default"
    return f"{service}/full/{size}/0/{quality}.jpg"


def _body(obj: ObjectView, img: ImageView, uris: Uris, opts: ManifestOptions) -> p3.AnnotationBody | None:
    """The painting image of one canvas, or None when the view cannot be shown honestly."""
    restricted = obj.rights_status != "open"
    assert img.width and img.height
    if img.image_id:  # our own scan, through our Image API
        service = uris.image_service(img.image_id).value
        svc = p3.ServiceV3(id=service, type="ImageService3", profile="level2")
        w, h = fit(img.width, img.height, opts.thumbnail_size) if restricted else _max_size(img.width, img.height, opts.max_area)
        url = f"{service}/full/{'max' if (w, h) == (img.width, img.height) else f'{w},{h}'}/0/default.jpg"
        return p3.AnnotationBody(id=url, type="Image", format="image/jpeg", width=w, height=h, service=[svc])
    source_service = _service(img)
    if restricted:  # only a thumbnail, and no service that would hand out more
        if source_service is None:
            return None
        w, h = fit(img.width, img.height, opts.thumbnail_size)
        return p3.AnnotationBody(id=_image_url(img.service or "", img.service_type, f"{w},"), type="Image",
                                 format="image/jpeg", width=w, height=h)
    url = img.resource if img.resource.startswith("http") else None
    if url is None and img.service:
        url = _image_url(img.service, img.service_type, "full" if img.service_type != "ImageService3" else "max")
    if url is None:
        return None
    return p3.AnnotationBody(id=url, type="Image", format="image/jpeg", width=img.width, height=img.height,
                             **({"service": [source_service]} if source_service else {}))


def _canvases(obj: ObjectView, uris: Uris, opts: ManifestOptions) -> list[p3.Canvas]:
    out = []
    for n, img in enumerate(obj.images, start=1):
        if not (img.width and img.height):
            continue  # no size from the source: no canvas rather than a guessed one
        body = _body(obj, img, uris, opts)
        if body is None:
            continue
        cid = canvas_id(uris, obj.id, n)
        anno = p3.Annotation(id=f"{cid}/page/image", motivation="painting", body=body, target=cid)
        page = p3.AnnotationPage(id=f"{cid}/page", items=[anno])
        label = {"none": [img.label]} if img.label else L.ours_with("page", str(n))
        out.append(p3.Canvas(id=cid, label=label, width=img.width, height=img.height, items=[page]))
    return out


def viewable(obj: ObjectView) -> bool:
    """True when the manifest will have at least one canvas (so a viewer has something to show)."""
    restricted = obj.rights_status != "open"
    for img in obj.images:
        if img.width and img.height and (img.image_id or (img.service and img.service_type)
                                         or (not restricted and img.resource.startswith("http"))):
            return True
    return False


def _thumbnail(obj: ObjectView, uris: Uris, opts: ManifestOptions) -> list[p3.AnnotationBody]:
    first = obj.images[0] if obj.images else None
    if first is not None and first.image_id and first.width and first.height:
        service = uris.image_service(first.image_id).value
        w, h = fit(first.width, first.height, opts.thumbnail_size)
        return [p3.AnnotationBody(id=f"{service}/full/{w},{h}/0/default.jpg", type="Image", format="image/jpeg",
                                  width=w, height=h,
                                  service=[p3.ServiceV3(id=service, type="ImageService3", profile="level2")])]
    if obj.thumbnail and obj.thumbnail.startswith("http"):
        return [p3.AnnotationBody(id=obj.thumbnail, type="Image", format="image/jpeg")]
    if first is not None and first.service:
        return [p3.AnnotationBody(id=_image_url(first.service, first.service_type, f",{opts.thumbnail_size}"),
                                  type="Image", format="image/jpeg")]
    return []


def _metadata(obj: ObjectView) -> list[p3.KeyValueString]:
    rows: list[tuple[str, dict[str, list[str]]]] = []
    add = rows.append
    if len(obj.titles) > 1:
        add(("title", L.texts_map(obj.titles)))
    if obj.creators:
        add(("creator", L.plain(*(_life(a.name, a.birth, a.death) for a in obj.creators))))
    if obj.contributors:
        add(("contributor", L.plain(*(a.name for a in obj.contributors))))
    if obj.date:
        add(("date", L.plain(obj.date)))
    add(("type", L.plain(obj.edm_type)))
    if obj.genre:
        add(("genre", L.plain(obj.genre)))
    if obj.languages:
        add(("language", L.plain(*obj.languages)))
    if obj.places:
        add(("place", L.plain(*(pl.name for pl in obj.places))))
    if obj.subjects:
        add(("subject", L.plain(*(label for _, label in obj.subjects))))
    if obj.publisher:
        add(("publisher", L.plain(obj.publisher)))
    if obj.identifiers:
        add(("identifier", L.plain(*obj.identifiers)))
    add(("provider", L.plain(_provider_line(obj))))
    if obj.is_shown_at:
        add(("source", L.plain(f'<a href="{_attr(obj.is_shown_at)}">{_html(obj.is_shown_at)}</a>')))
    if obj.rights_statement:
        reason = " ".join(t.value for t in obj.rights_reason if t.lang in (None, "en"))
        add(("rights", L.plain(f'<a href="{_attr(obj.rights_statement)}">{_html(obj.rights_statement)}</a>'
                               + (f" {_html(reason)}" if reason else ""))))
    return [p3.KeyValueString(label=L.ours(key), value=value) for key, value in rows if value.get("none", True)]


def _life(name: str, birth: int | None, death: int | None) -> str:
    return f"{name} ({birth or '?'}–{death or ''})" if birth or death else name


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _html(text).replace('"', "&quot;")


def _provider_line(obj: ObjectView) -> str:
    dp, pr = obj.data_provider or obj.provider or obj.provider_key, obj.provider
    return f"{dp} (via {pr})" if pr and pr != dp else dp


def _providers(obj: ObjectView, uris: Uris) -> list[p3.Provider]:
    out = []
    names = [n for n in dict.fromkeys([obj.data_provider, obj.provider]) if n]
    known = PROVIDER_HOMEPAGES.get(obj.provider_key)
    for n, name in enumerate(names):
        extra: dict[str, Any] = {}
        if known and n == len(names) - 1:  # the aggregator we harvested from is the one the key names
            extra["homepage"] = [p3.Homepage(id=known[0], type="Text", format="text/html", label={"none": [known[1]]})]
        out.append(p3.Provider(id=uris.agent(Agent(name)).value, type="Agent", label={"none": [name]}, **extra))
    return out


def _nav_date(obj: ObjectView) -> str | None:
    year = obj.year_from
    if year is None or year < 1 or year > 9999:
        return None  # navDate is an xsd:dateTime: no year 0 or BCE in the data model iiif-prezi3 uses
    return datetime(year, 1, 1, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _nav_place(obj: ObjectView, uris: Uris) -> dict[str, Any] | None:
    points = [pl for pl in obj.places if pl.lat is not None and pl.lon is not None]
    if not points:
        return None
    return {
        "id": f"{manifest_id(uris, obj.id)}/feature-collection",
        "type": "FeatureCollection",
        "features": [{"id": f"{manifest_id(uris, obj.id)}/feature/{n}", "type": "Feature",
                      "properties": {"label": {"none": [pl.name]}},
                      "geometry": {"type": "Point", "coordinates": [pl.lon, pl.lat]}}
                     for n, pl in enumerate(points, start=1)],
    }


def _ranges(obj: ObjectView, uris: Uris, ranges: tuple[RangeView, ...], shown: set[int]) -> list[p3.Range]:
    counter = iter(range(1, 10_000))

    def one(r: RangeView) -> p3.Range | None:
        items: list[Any] = [p3.CanvasRef(id=canvas_id(uris, obj.id, v), type="Canvas") for v in r.views if v in shown]
        items += [c for c in (one(child) for child in r.children) if c is not None]
        if not items:
            return None
        return p3.Range(id=f"{manifest_id(uris, obj.id)}/range/{next(counter)}", label=L.texts_map(r.label) or
                        {"none": ["—"]}, items=items)

    return [r for r in (one(r) for r in ranges) if r is not None]


def build_manifest(obj: ObjectView, uris: Uris, opts: ManifestOptions = ManifestOptions()) -> str:
    """The manifest as JSON text."""
    mid = manifest_id(uris, obj.id)
    item_page = f"{uris.base}/item/{obj.id}"
    canvases = _canvases(obj, uris, opts)
    kwargs: dict[str, Any] = {}
    if summary := L.texts_map(obj.descriptions):
        kwargs["summary"] = summary
    if obj.rights_statement and obj.rights_statement.startswith(("http://creativecommons.org/", "http://rightsstatements.org/", "https://creativecommons.org/", "https://rightsstatements.org/")):
        kwargs["rights"] = obj.rights_statement
    if nav_date := _nav_date(obj):
        kwargs["navDate"] = nav_date
    if thumbs := _thumbnail(obj, uris, opts):
        kwargs["thumbnail"] = thumbs
    shown = {int(c.id.rsplit("/", 1)[-1]) for c in canvases}
    if structures := _ranges(obj, uris, opts.ranges, shown):
        kwargs["structures"] = structures
    if opts.has_text:
        kwargs["service"] = [p3.ServiceV3(id=f"{uris.base}/iiif/{obj.id}/search", type="SearchService2")]
    if len(canvases) > 1 and obj.edm_type == "TEXT":
        kwargs["behavior"] = ["paged"]
    part_of = [p3.Class(id=provider_collection_id(uris, obj.provider_key), type="Collection",
                        label={"none": [obj.provider or obj.provider_key]})]
    if obj.genre:
        part_of.append(p3.Class(id=genre_collection_id(uris, obj.genre), type="Collection",
                                label=L.ours_with("genre", obj.genre, ": ")))
    manifest = p3.Manifest(
        id=mid,
        label=L.texts_map(obj.titles) or {"none": [obj.id]},
        metadata=_metadata(obj),
        requiredStatement=p3.KeyValueString(label=L.ours("attribution"), value=L.plain(_provider_line(obj))),
        provider=_providers(obj, uris),
        homepage=[p3.Homepage(id=item_page, type="Text", format="text/html", label=L.texts_map(obj.titles[:1]) or L.ours("item_page"))],
        seeAlso=[p3.LinkedResource(id=f"{item_page}.ttl", type="Dataset", format="text/turtle",
                                   profile="http://www.europeana.eu/schemas/edm/", label=L.ours_with("item_page", "(Turtle)")),
                 p3.LinkedResource(id=f"{item_page}.jsonld", type="Dataset", format="application/ld+json",
                                   profile="http://www.europeana.eu/schemas/edm/", label=L.ours_with("item_page", "(JSON-LD)"))],
        partOf=part_of,
        items=canvases,
        **kwargs,
    )
    text = manifest.json()
    nav_place = _nav_place(obj, uris)
    if nav_place is None:
        return text
    doc = json.loads(text)
    doc["@context"] = [NAVPLACE_CONTEXT, CONTEXT]
    doc["navPlace"] = nav_place
    return json.dumps(doc, ensure_ascii=False)
