"""Presentation 3.0 collections: the top one, one per provider and one per genre, split when large.

Presentation 3 has no paging, so a collection of more than 100 manifests is a
tree of nested collections, each listing at most 100 items: a node covers
the members `first`–`last` (1-based, in the order of their URIs) and is
served at `…/{first}-{last}`. Only the nodes the tree really has exist; any
other range is a 404, so every URL is stable for a given membership.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import iiif_prezi3 as p3

from ontology.errors import NotFound
from ontology.mapping import Uris, slug
from ontology.vocab import NS
from sparql.queries import string_literal
from sparql.store import Store

from . import labels as L
from .manifest import genre_collection_id, manifest_id, provider_collection_id

FANOUT = 100


@dataclass(frozen=True)
class Group:
    """One provider or one genre: how the collection is named and which objects are in it."""

    kind: str  # provider | genre
    key: str  # provider key, or genre slug
    name: str
    count: int
    value: str = ""  # the genre as stored (dc:type)

    def collection_id(self, uris: Uris) -> str:
        return provider_collection_id(uris, self.key) if self.kind == "provider" else genre_collection_id(uris, self.value)

    def label(self) -> dict[str, list[str]]:
        return {"none": [self.name]} if self.kind == "provider" else L.ours_with("genre", self.name, ": ")

    def filter(self, uris: Uris) -> str:
        """A SPARQL pattern binding ?cho to the members."""
        if self.kind == "provider":
            return f"?cho a <{NS.edm.ProvidedCHO.value}> . FILTER(STRSTARTS(STR(?cho), {string_literal(f'{uris.base}/id/{self.key}-')}))"
        return f"?cho a <{NS.edm.ProvidedCHO.value}> ; <{NS.dc.type.value}> {string_literal(self.value)} ."


def providers(store: Store, uris: Uris) -> list[Group]:
    rows = store.query(f"""
        SELECT ?key (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?cho) AS ?n) WHERE {{
          ?agg <{NS.edm.aggregatedCHO.value}> ?cho .
          OPTIONAL {{ ?agg <{NS.edm.provider.value}> ?name }}
          BIND(STRBEFORE(STRAFTER(STR(?cho), "/id/"), "-") AS ?key)
        }} GROUP BY ?key ORDER BY ?key""")
    assert isinstance(rows, list)
    return [Group("provider", r["key"].value, r["label"].value if r.get("label") is not None else r["key"].value,  # type: ignore[union-attr]
                  int(r["n"].value)) for r in rows if r["key"].value]  # type: ignore[union-attr]


def genres(store: Store) -> list[Group]:
    rows = store.query(f"""
        SELECT ?genre (COUNT(DISTINCT ?cho) AS ?n) WHERE {{
          ?cho a <{NS.edm.ProvidedCHO.value}> ; <{NS.dc.type.value}> ?genre .
        }} GROUP BY ?genre ORDER BY ?genre""")
    assert isinstance(rows, list)
    return [Group("genre", slug(r["genre"].value), r["genre"].value, int(r["n"].value), r["genre"].value)  # type: ignore[union-attr]
            for r in rows]


def find_group(store: Store, uris: Uris, kind: str, key: str) -> Group:
    for group in (providers(store, uris) if kind == "provider" else genres(store)):
        if group.key == key:
            return group
    raise NotFound(f"no IIIF collection for {kind} {key!r}")


def _members(store: Store, uris: Uris, group: Group, offset: int, limit: int) -> list[tuple[str, Any]]:
    rows = store.query(f"""
        SELECT ?cho (SAMPLE(?t) AS ?title) WHERE {{ {group.filter(uris)} OPTIONAL {{ ?cho <{NS.dc.title.value}> ?t }} }}
        GROUP BY ?cho ORDER BY ?cho OFFSET {offset} LIMIT {limit}""")
    assert isinstance(rows, list)
    return [(r["cho"].value.rsplit("/id/", 1)[-1], r.get("title")) for r in rows]  # type: ignore[union-attr]


def _span(count: int) -> int:
    """How many members each child of the root covers (1 when the root lists manifests itself)."""
    span = 1
    while count > span * FANOUT:
        span *= FANOUT
    return span


def _is_node(count: int, first: int, last: int) -> bool:
    span = _span(count)
    while span >= FANOUT:
        if (first - 1) % span == 0 and first <= count and last == min(count, first - 1 + span):
            return True
        span //= FANOUT
    return False


def _title_label(term: Any, fallback: str) -> dict[str, list[str]]:
    if term is None:
        return {"none": [fallback]}
    return {L.lang_key(getattr(term, "language", None)): [term.value]}


def collection(store: Store, uris: Uris, group: Group, first: int | None = None, last: int | None = None) -> str:
    """The group's collection (first/last None) or one of its nested parts, as JSON text."""
    base_id = group.collection_id(uris)
    if first is None or last is None:
        first, last, cid, label = 1, group.count, base_id, group.label()
        span = _span(group.count)
    else:
        if not _is_node(group.count, first, last):
            raise NotFound(f"{base_id} has no part {first}-{last}")
        cid, label = f"{base_id}/{first}-{last}", {k: [f"{v[0]} ({first}–{last})"] for k, v in group.label().items()}
        span = _span(last - first + 1)
    items: list[Any]
    if span == 1:
        items = [p3.ManifestRef(id=manifest_id(uris, oid), type="Manifest", label=_title_label(title, oid))
                 for oid, title in _members(store, uris, group, first - 1, last - first + 1)]
    else:
        items = []
        for start in range(first, last + 1, span):
            end = min(last, start + span - 1)
            items.append(p3.CollectionRef(id=f"{base_id}/{start}-{end}", type="Collection",
                                          label={k: [f"{v[0]} ({start}–{end})"] for k, v in group.label().items()}))
    extra: dict[str, Any] = {}
    if cid != base_id:
        extra["partOf"] = [p3.Class(id=base_id, type="Collection", label=group.label())]
    else:
        extra["partOf"] = [p3.Class(id=top_id(uris), type="Collection", label=L.ours("collections"))]
    return p3.Collection(id=cid, label=label, items=items, **extra).json()


def top_id(uris: Uris) -> str:
    return f"{uris.base}/iiif/collection/top"


def top(store: Store, uris: Uris) -> str:
    """The top collection: one collection per provider, then one per genre."""
    items = [p3.CollectionRef(id=g.collection_id(uris), type="Collection", label=g.label())
             for g in providers(store, uris) + genres(store)]
    return p3.Collection(id=top_id(uris), label={k: [f"Meros — {v[0]}"] for k, v in L.ours("collections").items()},
                         items=items).json()
