"""The item page and what hangs off it: schema.org JSON-LD, OpenGraph, QR code, "cite this", similar items.

The object is read from the store (one IRI lookup); similar items come from
the index. The IIIF viewer and the rights box are other templates included
here (`_viewer.html`, `_rights_box.html`), with simple stand-ins until they exist.
"""
from __future__ import annotations

import io
import json
from functools import lru_cache
from typing import Any

import segno
from flask import Response, render_template, request

from ontology.errors import NotFound
from sparql.objects import ObjectView, best_text, get_object

from . import citation
from .pages import _m, bp, card
from .results import reader_languages, search_index

# genre → schema.org type
SCHEMA_TYPES = {"map": "Map", "book": "Book", "manuscript": "Manuscript", "periodical": "PublicationIssue",
                "photograph": "Photograph", "music score": "SheetMusic", "sound recording": "AudioObject"}
EDM_SCHEMA_TYPES = {"IMAGE": "VisualArtwork", "SOUND": "AudioObject", "VIDEO": "VideoObject", "3D": "3DModel"}
OA = "http://www.w3.org/ns/oa#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"


def _object(object_id: str) -> ObjectView:
    if "." in object_id or "/" in object_id:  # ids are [a-z0-9-]; "x.ttl" belongs to the linked-data routes
        raise NotFound(f"no object with id {object_id!r}")
    m = _m()
    return get_object(m.store, m.uris, object_id)


def schema_org(obj: ObjectView, title: str, page_url: str) -> dict[str, Any]:
    """The object as schema.org JSON-LD (what search engines and Wikidata tools read)."""
    kind = SCHEMA_TYPES.get((obj.genre or "").lower()) or EDM_SCHEMA_TYPES.get(obj.edm_type, "CreativeWork")
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": kind, "@id": obj.uri, "name": title, "url": page_url,
        "identifier": [obj.id, *obj.identifiers],
    }
    alternates = [t.value for t in obj.titles if t.value != title]
    if alternates:
        data["alternateName"] = alternates
    if obj.creators:
        data["creator"] = [{"@type": "Person", "name": a.name, "@id": a.uri,
                            **({"birthDate": str(a.birth)} if a.birth else {}),
                            **({"deathDate": str(a.death)} if a.death else {})} for a in obj.creators]
    if obj.date:
        data["dateCreated"] = obj.edtf or obj.date
    if obj.languages:
        data["inLanguage"] = obj.languages
    if obj.subjects:
        data["about"] = [{"@type": "Thing", "name": label, "@id": uri} for uri, label in obj.subjects]
    if obj.places:
        data["spatialCoverage"] = [
            {"@type": "Place", "name": p.name, "@id": p.uri,
             **({"geo": {"@type": "GeoCoordinates", "latitude": p.lat, "longitude": p.lon}}
                if p.lat is not None and p.lon is not None else {})} for p in obj.places]
    if obj.descriptions:
        data["description"] = obj.descriptions[0].value
    if obj.rights_statement:
        data["license"] = obj.rights_statement
    data["isAccessibleForFree"] = True
    if obj.thumbnail:
        data["thumbnailUrl"] = obj.thumbnail
        data["image"] = obj.thumbnail
    if obj.data_provider:
        data["provider"] = {"@type": "Organization", "name": obj.data_provider}
    if obj.same_as:
        data["sameAs"] = obj.same_as
    if obj.is_shown_at:
        data["mainEntityOfPage"] = obj.is_shown_at
    return data


def full_text(obj: ObjectView) -> list[str]:
    """The object's text (OCR or source text: annotations on its canvases), page by page, as the scan's text
    alternative. Read from the object's own graph, so it costs one IRI lookup."""
    m = _m()
    rows = m.store.query(
        f"SELECT ?text WHERE {{ GRAPH <{m.uris.graph(obj.id).value}> {{ ?a <{OA}hasTarget> ?target . "
        f"{{ ?a <{OA}bodyValue> ?text }} UNION {{ ?a <{OA}hasBody>/<{RDF_VALUE}> ?text }} }} }} ORDER BY STR(?target)",
        union_default_graph=False)
    return [r["text"].value for r in rows]  # type: ignore[index,union-attr]


@bp.get("/item/<object_id>")
def item(object_id: str) -> str:
    obj = _object(object_id)
    langs = reader_languages()
    title = obj.title(langs)
    title_lang = next((t.lang for t in obj.titles if t.value == title), None)
    base = _m().settings["BASE_URL"]
    page_url = f"{base}/item/{obj.id}"
    similar = [card(h, langs) for h in search_index().similar(obj.id)]
    description = best_text(obj.descriptions, langs)
    return render_template(
        "item.html", obj=obj, title=title, title_lang=title_lang, reason=best_text(obj.rights_reason, langs),
        description=description, jsonld=schema_org(obj, title, page_url), page_url=page_url, base=base,
        cite_plain=citation.plain(obj, title), cite_bibtex=citation.bibtex(obj, title),
        cite_csl=json.dumps([citation.csl_json(obj, title)], ensure_ascii=False, indent=2),
        similar=similar, full_text=full_text(obj), manifest=f"{base}/iiif/{obj.id}/manifest",
        rdf_links=[("Turtle", "ttl", "text/turtle"), ("JSON-LD", "jsonld", "application/ld+json"),
                   ("N-Triples", "nt", "application/n-triples"), ("RDF/XML", "rdf", "application/rdf+xml")],
    )


@lru_cache(maxsize=4096)
def qr_svg(uri: str) -> str:
    """An SVG QR code of the persistent URI (cached: the same URI always gives the same picture)."""
    buf = io.BytesIO()
    segno.make(uri, error="m").save(buf, kind="svg", scale=4, border=2, title=uri, svgclass="qr", lineclass=None)
    return buf.getvalue().decode()


@bp.get("/item/<object_id>/qr.svg")
def item_qr(object_id: str) -> Response:
    obj = _object(object_id)
    resp = Response(qr_svg(obj.uri), mimetype="image/svg+xml")
    resp.cache_control.public = True
    resp.cache_control.max_age = 7 * 24 * 3600
    return resp


@bp.get("/item/<object_id>/cite.bib")
def item_bibtex(object_id: str) -> Response:
    obj = _object(object_id)
    resp = Response(citation.bibtex(obj, obj.title(reader_languages())), mimetype="application/x-bibtex")
    resp.headers["Content-Disposition"] = f'attachment; filename="{obj.id}.bib"'
    return resp


@bp.get("/item/<object_id>/cite.json")
def item_csl(object_id: str) -> Response:
    obj = _object(object_id)
    body = json.dumps([citation.csl_json(obj, obj.title(reader_languages()))], ensure_ascii=False, indent=2)
    resp = Response(body, mimetype="application/vnd.citationstyles.csl+json")
    resp.headers["Access-Control-Allow-Origin"] = "*"
    if request.args.get("download"):
        resp.headers["Content-Disposition"] = f'attachment; filename="{obj.id}.csl.json"'
    return resp
