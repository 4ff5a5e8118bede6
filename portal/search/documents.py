"""What the index holds about an object, as a flat search document.

`reference_query` defines it: one (graph, field, value) row per value, joined
inside the object's named graph. It is the specification, and what graphs of
an unusual shape are read with; the bulk of the store is read by the cheaper
scan in `graphs.py`, which gives the same documents (see `reader.py`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ontology.vocab import PREFIXES
from sparql.store import Store

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
    # full text: W3C annotations on the object's canvases (what `meros ocr` writes, see iiif/content_search.py)
    "fulltext": "?a oa:hasTarget ?tg . { ?a oa:bodyValue ?v } UNION { ?a oa:hasBody/rdf:value ?v }",
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


def reference_query(graphs: Iterable[str]) -> str:
    values = " ".join(f"<{g}>" for g in graphs)
    unions = " UNION ".join(f'{{ {pattern} BIND("{name}" AS ?f) }}' for name, pattern in _PATTERNS.items())
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n"
                       for p in ("dc", "dcterms", "edm", "skos", "wgs84", "meros", "ore", "rdf"))
    prefixes += "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
    return (f"{prefixes}SELECT ?g ?f ?v WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ "
            f"?cho a edm:ProvidedCHO . OPTIONAL {{ ?agg edm:aggregatedCHO ?cho }} {unions} }} }}")


def _id_of(graph: str) -> str:
    return graph.rsplit("/", 1)[-1]


def read_reference(store: Store, graphs: list[str]) -> list[SearchDocument]:
    """The documents of these graphs by the reference query, in the order given (graphs without an object skipped)."""
    return list(_to_documents(store.query_raw(reference_query(graphs), "tsv", union_default_graph=False), graphs))


_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    return chr(int(code[1:], 16)) if len(code) > 1 else _ESCAPES.get(code, code)


def parse_term(text: str) -> tuple[str, str | None]:
    r"""A SPARQL TSV term → (lexical value, language tag or None).

    >>> parse_term('"Қара сөздер"@kk'), parse_term('1835'), parse_term('<http://x/y>')
    (('Қара сөздер', 'kk'), ('1835', None), ('http://x/y', None))
    >>> parse_term(r'"a \"quoted\"\ttab"^^<http://www.w3.org/2001/XMLSchema#string>')[0] == 'a "quoted"\ttab'
    True
    """
    if text.startswith('"'):
        end = text.rindex('"')
        value, suffix = text[1:end], text[end + 1:]
        if "\\" in value:
            value = _ESCAPE.sub(_unescape, value)
        return value, (suffix[1:] if suffix.startswith("@") else None)
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1], None
    return text, None


def _to_documents(raw: bytes, graphs: list[str]) -> Iterator[SearchDocument]:
    docs: dict[str, SearchDocument] = {}
    lines = raw.decode("utf-8").split("\n")
    for line in lines[1:]:  # the first line names the variables: ?g ?f ?v
        if not line:
            continue
        g_term, f_term, v_term = line.split("\t", 2)
        g, f = g_term[1:-1], f_term[1:-1]
        doc = docs.get(g)
        if doc is None:
            doc = docs[g] = SearchDocument(_id_of(g))
        if v_term.startswith('"') and "\\" not in v_term:  # the common case, inlined: a plain literal
            end = v_term.rindex('"')
            value, lang = v_term[1:end], (v_term[end + 2:] if v_term.startswith("@", end + 1) else None)
        else:
            value, lang = parse_term(v_term)
        if f == "title":
            doc.titles.append((value, lang))
        else:
            doc.values.setdefault(f, []).append(value)
    for g in graphs:  # the caller's order, which is stable
        if g in docs:
            yield docs[g]
