"""Objects read from the store as flat search documents, many at a time.

One SPARQL query per batch of named graphs returns only the values the index
needs, one (graph, field, value) row each, so a million objects cost a few
thousand IRI-keyed queries and no joins across the whole store.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from ontology.mapping import Uris
from ontology.vocab import PREFIXES
from sparql.store import Store

BATCH = 1000

# field name → graph pattern binding ?v inside GRAPH ?g (subjects: ?cho the object, ?agg its aggregation)
_PATTERNS: dict[str, str] = {
    "title": "?cho dc:title ?v",
    "creator": "?cho dc:creator/skos:prefLabel ?v",
    "creator_alt": "?cho dc:creator/skos:altLabel ?v",
    "contributor": "?cho dc:contributor/skos:prefLabel ?v",
    "subject": "?cho dc:subject/skos:prefLabel ?v",
    "place": "?cho dcterms:spatial/skos:prefLabel ?v",
    "geo": "?cho dcterms:spatial ?pl . ?pl wgs84:lat ?la ; wgs84:long ?lo ; skos:prefLabel ?pn "
           "BIND(CONCAT(STR(?la), \" \", STR(?lo), \" \", STR(?pn)) AS ?v)",
    "description": "?cho dc:description ?v",
    "identifier": "?cho dc:identifier ?v",
    "part_of": "?cho dcterms:isPartOf ?v",
    "publisher": "?cho dc:publisher ?v",
    "fulltext": "?cho meros:fullText ?v",
    "type": "?cho edm:type ?v",
    "genre": "?cho dc:type ?v",
    "language": "?cho dc:language ?v",
    "date": "?cho dc:date ?v",
    "year_from": "?cho meros:yearFrom ?v",
    "year_to": "?cho meros:yearTo ?v",
    "rights": "?agg meros:rightsStatus ?v",
    "rights_statement": "?agg edm:rights ?v",
    "thumbnail": "?agg edm:object ?v",
    "data_provider": "?agg edm:dataProvider ?v",
    "public_domain_from": "?agg meros:publicDomainFrom ?v",
}


@dataclass
class SearchDocument:
    """What the index holds about one object: texts with their language tags, and facet values."""

    id: str
    titles: list[tuple[str, str | None]] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str | None:
        vals = self.values.get(name)
        return vals[0] if vals else None

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def year(self, name: str) -> int | None:
        raw = self.first(name)
        try:
            return int(raw) if raw is not None else None
        except ValueError:
            return None


def _query(graphs: Iterable[str]) -> str:
    values = " ".join(f"<{g}>" for g in graphs)
    unions = " UNION ".join(f'{{ {pattern} BIND("{name}" AS ?f) }}' for name, pattern in _PATTERNS.items())
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n"
                       for p in ("dc", "dcterms", "edm", "skos", "wgs84", "meros", "ore"))
    return (f"{prefixes}SELECT ?g ?f ?v WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ "
            f"?cho a edm:ProvidedCHO . OPTIONAL {{ ?agg edm:aggregatedCHO ?cho }} {unions} }} }}")


def _id_of(graph: str) -> str:
    return graph.rsplit("/", 1)[-1]


def read_documents(store: Store, uris: Uris, ids: Iterable[str]) -> Iterator[SearchDocument]:
    """The documents of these objects (ids with no object in the store are skipped)."""
    batch: list[str] = []
    for object_id in ids:
        batch.append(uris.graph(object_id).value)
        if len(batch) >= BATCH:
            yield from _read_batch(store, batch)
            batch = []
    if batch:
        yield from _read_batch(store, batch)


def _read_batch(store: Store, graphs: list[str]) -> Iterator[SearchDocument]:
    rows = store.query(_query(graphs), union_default_graph=False)
    assert isinstance(rows, list)
    docs: dict[str, SearchDocument] = {}
    for row in rows:
        g, f, v = row["g"].value, row["f"].value, row["v"]  # type: ignore[attr-defined]
        doc = docs.get(g)
        if doc is None:
            doc = docs[g] = SearchDocument(_id_of(g))
        if f == "title":
            doc.titles.append((v.value, v.language if isinstance(v, Literal) else None))  # type: ignore[attr-defined]
        else:
            doc.values.setdefault(f, []).append(v.value)  # type: ignore[attr-defined]
    for g in graphs:  # the caller's order, which is stable
        if g in docs:
            yield docs[g]


def all_object_ids(store: Store) -> list[str]:
    """Every object id in the store (one per named graph under BASE/graph/)."""
    return [_id_of(g.value) for g in store.graphs() if "/graph/" in g.value]


def graph_of(uris: Uris, object_id: str) -> NamedNode:
    return uris.graph(object_id)
