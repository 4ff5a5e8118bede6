"""IIIF Change Discovery 1.0: an Activity Streams OrderedCollection of the manifests' changes.

Each object's named graph records when it was last written
(`prov:generatedAtTime`: a load that changes nothing keeps the old stamp), so
the stream has one activity per object at that time, oldest first, in pages
of `PAGE_SIZE`. The store keeps no history of earlier versions and no
tombstones, so every activity is an `Update` (the specification lets a
harvester treat an Update of an unseen resource as its Create); deleted
objects simply leave the stream.
"""
from __future__ import annotations

import math
from typing import Any

from ontology.errors import NotFound
from ontology.mapping import Uris
from ontology.vocab import NS
from sparql.store import Store

PAGE_SIZE = 100
CONTEXT = "http://iiif.io/api/discovery/1/context.json"


def stream_id(uris: Uris) -> str:
    return f"{uris.base}/iiif/discovery/changes"


def page_id(uris: Uris, n: int) -> str:
    return f"{stream_id(uris)}/page/{n}"


def _pattern(uris: Uris) -> str:
    """Object graphs (`BASE/graph/{id}`) and their time stamps; other graphs are not manifests."""
    prefix = f"{uris.base}/graph/"
    return (f'GRAPH ?g {{ ?g <{NS.prov.generatedAtTime.value}> ?t }} '
            f'FILTER(STRSTARTS(STR(?g), "{prefix}") && !CONTAINS(STRAFTER(STR(?g), "{prefix}"), "/"))')


def _count(store: Store, uris: Uris) -> int:
    rows = store.query(f"SELECT (COUNT(?g) AS ?n) WHERE {{ {_pattern(uris)} }}", union_default_graph=False)
    assert isinstance(rows, list)
    return int(rows[0]["n"].value) if rows else 0  # type: ignore[union-attr]


def collection(store: Store, uris: Uris) -> dict[str, Any]:
    """The OrderedCollection: its size and links to its first and last pages."""
    total = _count(store, uris)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    return {
        "@context": CONTEXT,
        "id": stream_id(uris),
        "type": "OrderedCollection",
        "totalItems": total,
        "first": {"id": page_id(uris, 0), "type": "OrderedCollectionPage"},
        "last": {"id": page_id(uris, pages - 1), "type": "OrderedCollectionPage"},
    }


def page(store: Store, uris: Uris, n: int) -> dict[str, Any]:
    """Page `n` (from 0): activities oldest first; NotFound past the last page."""
    total = _count(store, uris)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if n < 0 or n >= pages:
        raise NotFound(f"the change stream has pages 0 to {pages - 1}, not {n}")
    rows = store.query(f"""
        SELECT ?g ?t WHERE {{ {_pattern(uris)} }}
        ORDER BY ?t ?g OFFSET {n * PAGE_SIZE} LIMIT {PAGE_SIZE}""", union_default_graph=False)
    assert isinstance(rows, list)
    items = []
    for row in rows:
        object_id = row["g"].value.rsplit("/graph/", 1)[-1]  # type: ignore[union-attr]
        items.append({
            "type": "Update",
            "object": {"id": uris.manifest(object_id).value, "type": "Manifest"},
            "endTime": row["t"].value,  # type: ignore[union-attr]
        })
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": page_id(uris, n),
        "type": "OrderedCollectionPage",
        "partOf": {"id": stream_id(uris), "type": "OrderedCollection"},
        "startIndex": n * PAGE_SIZE,
        "orderedItems": items,
    }
    if n > 0:
        doc["prev"] = {"id": page_id(uris, n - 1), "type": "OrderedCollectionPage"}
    if n < pages - 1:
        doc["next"] = {"id": page_id(uris, n + 1), "type": "OrderedCollectionPage"}
    return doc
