"""Objects read by scanning their graphs once, the joins done here rather than by the store.

The declarative query (`documents.reference_query`) costs the store one index
seek per pattern and object — two dozen — and decoding every graph name once
per value; at a million objects that is most of the build. This reads each
object's graph in one range scan, keeps only the predicates the index uses,
and names the graph by its position in the batch and the object and its
aggregation by a digit, so the store decodes little beyond the values
themselves. The assembly reproduces the reference query's answers, values in
the same order, for graphs of the shape Meros writes (one ProvidedCHO, one
aggregation of it); any other graph is read with the reference query, so
unusual data still gets exactly its declarative meaning.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ontology.vocab import PREFIXES

from .documents import SearchDocument, parse_term

_OA = "http://www.w3.org/ns/oa#"
_P = PREFIXES

# The predicates the scan keeps, numbered; the query answers with the number, not the IRI.
PREDICATES: tuple[str, ...] = (
    _P["rdf"] + "type", _P["edm"] + "aggregatedCHO",
    _P["dc"] + "title", _P["dc"] + "description", _P["dc"] + "identifier", _P["dcterms"] + "isPartOf",
    _P["dc"] + "publisher", _P["edm"] + "type", _P["dc"] + "type", _P["dc"] + "language", _P["dc"] + "date",
    _P["meros"] + "yearFrom", _P["meros"] + "yearTo",
    _P["meros"] + "rightsStatus", _P["edm"] + "rights", _P["edm"] + "object", _P["edm"] + "dataProvider",
    _P["meros"] + "publicDomainFrom",
    _P["dc"] + "creator", _P["dc"] + "contributor", _P["dc"] + "subject", _P["dcterms"] + "spatial",
    _P["skos"] + "prefLabel", _P["skos"] + "altLabel", _P["wgs84"] + "lat", _P["wgs84"] + "long",
    _OA + "hasTarget",  # only to notice annotations: their order is the reference query's to decide
)
_CODE = {p: str(i) for i, p in enumerate(PREDICATES)}
TYPE, AGGREGATED = _CODE[_P["rdf"] + "type"], _CODE[_P["edm"] + "aggregatedCHO"]
# field → predicate code of the object's own values, and of its aggregation's
CHO_FIELDS: tuple[tuple[str, str], ...] = tuple((f, _CODE[p]) for f, p in (
    ("title", _P["dc"] + "title"), ("description", _P["dc"] + "description"),
    ("identifier", _P["dc"] + "identifier"), ("part_of", _P["dcterms"] + "isPartOf"),
    ("publisher", _P["dc"] + "publisher"), ("type", _P["edm"] + "type"), ("genre", _P["dc"] + "type"),
    ("language", _P["dc"] + "language"), ("date", _P["dc"] + "date"), ("year_from", _P["meros"] + "yearFrom"),
    ("year_to", _P["meros"] + "yearTo")))
AGG_FIELDS: tuple[tuple[str, str], ...] = tuple((f, _CODE[p]) for f, p in (
    ("rights", _P["meros"] + "rightsStatus"), ("rights_statement", _P["edm"] + "rights"),
    ("thumbnail", _P["edm"] + "object"), ("data_provider", _P["edm"] + "dataProvider"),
    ("public_domain_from", _P["meros"] + "publicDomainFrom")))
# field → (code of the link from the object, code of the linked node's label)
LABEL_FIELDS: tuple[tuple[str, str, str], ...] = tuple((f, _CODE[link], _CODE[label]) for f, link, label in (
    ("creator", _P["dc"] + "creator", _P["skos"] + "prefLabel"),
    ("creator_alt", _P["dc"] + "creator", _P["skos"] + "altLabel"),
    ("contributor", _P["dc"] + "contributor", _P["skos"] + "prefLabel"),
    ("subject", _P["dc"] + "subject", _P["skos"] + "prefLabel"),
    ("place", _P["dcterms"] + "spatial", _P["skos"] + "prefLabel")))
SPATIAL, PREF_LABEL = _CODE[_P["dcterms"] + "spatial"], _CODE[_P["skos"] + "prefLabel"]
LAT, LONG = _CODE[_P["wgs84"] + "lat"], _CODE[_P["wgs84"] + "long"]
HAS_TARGET = _CODE[_OA + "hasTarget"]
CHO_CLASS = _P["edm"] + "ProvidedCHO"
# What the scan answers in ?r for the subjects it was told to expect (any other subject comes as itself).
OBJECT, AGGREGATION = "0", "1"


def scan_query(graphs: Sequence[tuple[str, str, str]]) -> str:
    """One range scan per graph: (graph, expected object IRI, expected aggregation IRI) → rows ?k ?r ?f ?o.

    The subquery keeps the store to one scan of each graph (joined by hash with
    the predicate table) instead of a seek per predicate.
    """
    values = " ".join(f"(<{g}> {k} <{cho}> <{agg}>)" for k, (g, cho, agg) in enumerate(graphs))
    predicates = " ".join(f"(<{p}> {code})" for p, code in _CODE.items())
    return ("SELECT ?k ?r ?f ?o WHERE { "
            f"{{ SELECT * WHERE {{ VALUES (?g ?k ?c ?a) {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} }} "
            f"VALUES (?p ?f) {{ {predicates} }} "
            f"FILTER(?f != {TYPE} || sameTerm(?o, <{CHO_CLASS}>)) "
            f"BIND(IF(sameTerm(?s, ?c), {OBJECT}, IF(sameTerm(?s, ?a), {AGGREGATION}, ?s)) AS ?r) }}")


def _value(term: str) -> str:
    """A TSV term's lexical value (`parse_term`, with a plain literal's common case inlined)."""
    if term[0] == '"' and "\\" not in term:
        return term[1:term.rindex('"')]
    return parse_term(term)[0]


def _concat(*terms: str) -> str:
    """CONCAT(STR(a), " ", STR(b), …) as the reference query binds it; STR of a blank node fails, leaving ""."""
    if any(t.startswith("_:") for t in terms):
        return ""
    return " ".join(parse_term(t)[0] for t in terms)


def scan_documents(raw: bytes, objects: Sequence[tuple[str, str, str]]) -> tuple[list[SearchDocument | None], list[int]]:
    """The documents in the scan's TSV answer for these (object id, ProvidedCHO IRI, aggregation IRI).

    Returns one entry per object (None: no ProvidedCHO in the store, or an
    unusual graph) and the positions of the unusual graphs, which the
    reference query must read. The store answers graph by graph, so each
    graph's rows are handled as they come, in one pass.
    """
    docs: list[SearchDocument | None] = [None] * len(objects)
    unusual: set[int] = set()
    seen: set[int] = set()
    k = -1
    current = ""
    usual = False
    cho = ""
    own: dict[str, list[str]] = {}  # predicate code → objects, for the ProvidedCHO
    agg: dict[str, list[str]] = {}  # … for its aggregation
    others: dict[tuple[str, str], list[str]] = {}  # (subject term, code) → objects: labels, coordinates, …
    chos = aggs = 0

    def finish() -> None:
        if k < 0:
            return
        if usual and chos == 1 and aggs == 1:
            object_id, _, agg_iri = objects[k]
            docs[k] = assemble(object_id, cho, f"<{agg_iri}>", own, agg, others)
        elif chos or not usual:
            unusual.add(k)

    lines = raw.decode("utf-8").split("\n")
    for line in lines[1:]:  # the first line names the variables
        if not line:
            continue
        key, r, f, o = line.split("\t", 3)
        if key != current:  # compared as text: a graph's rows share it, so int() runs once a graph
            finish()
            current, k = key, int(key)
            if k in seen:  # the store's rows of one graph were not together after all: let the reference decide
                docs[k] = None
                unusual.add(k)
                usual = False
                continue
            seen.add(k)
            usual, cho, chos, aggs = True, f"<{objects[k][1]}>", 0, 0
            own, agg, others = {}, {}, {}
        if not usual:
            continue
        if f == TYPE:  # the scan keeps rdf:type rows only for edm:ProvidedCHO
            if r != OBJECT:
                usual = False  # another ProvidedCHO, or several
            chos += 1
            continue
        if f == AGGREGATED and o == cho:
            if r != AGGREGATION:
                usual = False  # an aggregation by another name, or several
            aggs += 1
            continue
        if f == HAS_TARGET:
            usual = False  # full text: its order follows the targets' order in the store's index, not the rows'
            continue
        rows: dict[Any, list[str]]
        rows, key = (own, f) if r == OBJECT else (agg, f) if r == AGGREGATION else (others, (r, f))
        found = rows.get(key)
        if found is None:
            rows[key] = [o]
        else:
            found.append(o)
    finish()
    return docs, sorted(unusual)


def assemble(object_id: str, cho: str, agg: str, own: dict[str, list[str]], aggregation: dict[str, list[str]],
             others: dict[tuple[str, str], list[str]]) -> SearchDocument:
    """The document of a graph of the usual shape, from its rows by subject and predicate code.

    `cho` and `agg` are the TSV terms of the object and its aggregation. Rows
    come in the store's order, so each field's values keep the order the
    reference query gives them.
    """
    doc = SearchDocument(object_id)
    values = doc.values
    for name, code in CHO_FIELDS:
        terms = own.get(code)
        if terms:
            if name == "title":
                doc.titles = [parse_term(t) for t in terms]
            else:
                values[name] = [_value(t) for t in terms]
    for name, code in AGG_FIELDS:
        terms = aggregation.get(code)
        if terms:
            values[name] = [_value(t) for t in terms]

    def objects(node: str, code: str) -> list[str]:
        if node == cho:
            return own.get(code, [])
        if node == agg:
            return aggregation.get(code, [])
        return others.get((node, code), [])

    for name, link, label in LABEL_FIELDS:
        linked = own.get(link)
        if linked:
            found = [_value(t) for x in linked for t in objects(x, label)]
            if found:
                values[name] = found
    places = own.get(SPATIAL)
    if places:
        geo = [_concat(la, lo, pn) for pl in places for la in objects(pl, LAT) for lo in objects(pl, LONG)
               for pn in objects(pl, PREF_LABEL)]
        if geo:
            values["geo"] = geo
    return doc
