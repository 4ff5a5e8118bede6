"""IIIF Content Search 2.0 over an object's full text, for the objects that have some.

Full text is stored as W3C Web Annotations (`oa:` in RDF) whose target is one
of the object's canvases (`BASE/iiif/{id}/canvas/{n}`, with or without an
`#xywh=` fragment, or an `oa:SpecificResource` whose `oa:hasSource` is the
canvas) and whose text is `oa:bodyValue` or `oa:hasBody/rdf:value`: what
`meros ocr` and source full text are to write. An object without such
annotations has no search service: its manifest announces none and the
endpoint answers 404.
"""
from __future__ import annotations

from typing import Any

from pyoxigraph import NamedNode

from ontology.errors import BadRequest, NotFound
from ontology.mapping import Uris
from sparql.queries import string_literal
from sparql.store import Store

OA = "http://www.w3.org/ns/oa#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
CONTEXT = "http://iiif.io/api/search/2/context.json"
MAX_RESULTS = 1000


def _pattern(uris: Uris, object_id: str) -> str:
    prefix = string_literal(f"{uris.base}/iiif/{object_id}/canvas/")
    return f"""
      ?a <{OA}hasTarget> ?target .
      OPTIONAL {{ ?target <{OA}hasSource> ?source }}
      BIND(COALESCE(?source, ?target) AS ?canvas)
      FILTER(isIRI(?canvas) && STRSTARTS(STR(?canvas), {prefix}))
      {{ ?a <{OA}bodyValue> ?text }} UNION {{ ?a <{OA}hasBody> ?b . ?b <{RDF_VALUE}> ?text }}"""


def has_text(store: Store, uris: Uris, object_id: str) -> bool:
    result = store.query(f"ASK {{ {_pattern(uris, object_id)} }}")
    return bool(result)


def search(store: Store, uris: Uris, object_id: str, q: str, request_url: str) -> dict[str, Any]:
    """The annotations whose text contains every word of `q` (case-insensitive), as an AnnotationPage."""
    if not has_text(store, uris, object_id):
        raise NotFound(f"object {object_id!r} has no full text to search")
    words = [w for w in q.lower().split() if w]
    if not words:
        raise BadRequest("q: give at least one word to search for")
    filters = " ".join(f"FILTER(CONTAINS(LCASE(STR(?text)), {string_literal(w)}))" for w in words[:10])
    rows = store.query(f"SELECT DISTINCT ?a ?target ?canvas ?text WHERE {{ {_pattern(uris, object_id)} {filters} }} "
                       f"ORDER BY ?target ?a LIMIT {MAX_RESULTS}")
    assert isinstance(rows, list)
    items = []
    for n, row in enumerate(rows, start=1):
        anno = row["a"]
        target = (row["target"] if isinstance(row["target"], NamedNode) else row["canvas"]).value  # type: ignore[union-attr]
        items.append({
            "id": anno.value if isinstance(anno, NamedNode) else f"{uris.base}/iiif/{object_id}/search/result/{n}",
            "type": "Annotation",
            "motivation": "supplementing",
            "body": {"type": "TextualBody", "value": row["text"].value, "format": "text/plain"},  # type: ignore[union-attr]
            "target": target,
        })
    return {"@context": CONTEXT, "id": request_url, "type": "AnnotationPage", "items": items}


def service_description(uris: Uris, object_id: str) -> dict[str, str]:
    return {"id": f"{uris.base}/iiif/{object_id}/search", "type": "SearchService2"}
