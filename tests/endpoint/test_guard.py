"""The lexical guard: SERVICE found wherever a parser would find it, and nowhere else; updates refused.

rdflib's SPARQL parser is the referee: for every case, "the guard sees a
SERVICE" must equal "rdflib's parse tree has a ServiceGraphPattern".
"""
from __future__ import annotations

import time

import pyoxigraph
import pytest
from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import parseQuery

from ontology.errors import BadRequest
from sparql.guard import ReadOnly, analyse, check

ESCAPED_HASH = "PREFIX ex: <http://x.example/> SELECT * WHERE { BIND(ex:a\\#b AS ?x) SERVICE <http://127.0.0.1:9/> { } }"
TRICKY = [
    # (query, what the SERVICE endpoints are)
    ("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", ("http://evil.example/sparql",)),
    ("select * where { service silent <http://evil.example/s> { ?s ?p ?o } }", ("http://evil.example/s",)),
    ("SELECT * WHERE { ?s ?p ?o .SERVICE<http://x.example/>{?s ?p ?o} }", ("http://x.example/",)),
    ("PREFIX ex: <http://x.example/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }", ("http://x.example/sparql",)),
    ("BASE <http://b.example/dir/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", ("http://b.example/dir/sparql",)),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://x.example/> } }", (None,)),
    ("SELECT * WHERE { \\u0053ERVICE <http://x.example/> { ?s ?p ?o } }", ("http://x.example/",)),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://x.example/> { ?s ?q ?r } } }", ("http://x.example/",)),
    ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x.example/> { ?s ?p ?o } } } }", ("http://x.example/",)),
    ("SELECT * WHERE { ?s ?p 'SERVICE <http://x.example/> { }' }", ()),
    ('SELECT * WHERE { ?s ?p """multi\nline SERVICE <http://x.example/> { } " still "" inside""" }', ()),
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x.example/> { ?s ?p ?o }", ()),
    ("SELECT * WHERE { ?s <http://x.example/SERVICE> ?o }", ()),
    ("PREFIX service: <http://x.example/> SELECT * WHERE { ?s service:p ?o }", ()),
    ("PREFIX ex: <http://x.example/> SELECT * WHERE { ?s ex:SERVICE ?o . ?s ex:a.SERVICE ?o }", ()),
    ("SELECT ?service WHERE { ?service ?p ?o }", ()),
    # rdflib cannot parse `\#` in a prefixed name; pyoxigraph can, and calls the SERVICE (see the test below)
    (ESCAPED_HASH, ("http://127.0.0.1:9/",)),
    ("SELECT * WHERE { ?s ?p \"a \\\" SERVICE <http://x.example/> {} \" }", ()),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o < 3) SERVICE <http://x.example/> { ?s ?p ?o } }", ("http://x.example/",)),
]


def rdflib_sees_service(query: str) -> bool:
    found = []

    def walk(node: object) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append(node)
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple, ParseResults)):
            for value in node:
                walk(value)

    walk(parseQuery(query))
    return bool(found)


@pytest.mark.parametrize("query, services", [t for t in TRICKY if t[0] != ESCAPED_HASH])
def test_the_guard_agrees_with_rdflibs_parser(query: str, services: tuple[str | None, ...]) -> None:
    shape = analyse(query)
    assert shape.services == services
    assert bool(shape.services) == rdflib_sees_service(query)


def test_an_escaped_hash_does_not_hide_a_service() -> None:
    """`ex:a\\#b` is a name, not a comment: pyoxigraph itself goes on to call the SERVICE on that line."""
    with pytest.raises(OSError, match="port 9"):  # port 9 is refused by pyoxigraph before any connection
        list(pyoxigraph.Store().query(ESCAPED_HASH))
    assert analyse(ESCAPED_HASH).services == ("http://127.0.0.1:9/",)


@pytest.mark.parametrize("query, services", [t for t in TRICKY if t[1]])
def test_service_is_refused_unless_allowed(query: str, services: tuple[str | None, ...]) -> None:
    with pytest.raises(BadRequest, match="never fetches a URL"):
        check(query)
    allowed = frozenset(s for s in services if s)
    if None in services:
        with pytest.raises(BadRequest, match="variable endpoint"):
            check(query, allowed)
    else:
        assert check(query, allowed).services == services


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX ex: <http://x/> DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL", "DROP SILENT GRAPH <http://g>", "LOAD <http://x.example/data.ttl>",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "# a comment mentioning SELECT\nINSERT DATA { <http://a> <http://b> 'SELECT' }",
])
def test_updates_are_read_only_errors(update: str) -> None:
    with pytest.raises(ReadOnly, match="read-only"):
        check(update)


@pytest.mark.parametrize("query, form, dataset", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
    ("PREFIX insert: <http://x/> ASK { ?s insert:p ?o }", "ASK", False),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
    ("DESCRIBE <http://x/>", "DESCRIBE", False),
    ("SELECT * FROM <http://g/1> WHERE { ?s ?p ?o }", "SELECT", True),
    ("SELECT * FROM NAMED <http://g/1> WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT", True),
    ("SELECT * WHERE { ?s <http://x/from> 'FROM' }", "SELECT", False),
])
def test_form_and_dataset_clauses_are_read(query: str, form: str, dataset: bool) -> None:
    shape = analyse(query)
    assert (shape.form, shape.has_dataset) == (form, dataset)


def test_the_check_costs_microseconds() -> None:
    query = "PREFIX dc: <http://purl.org/dc/elements/1.1/> SELECT ?t WHERE { ?c dc:title ?t FILTER(CONTAINS(?t, 'x')) }"
    started = time.perf_counter()
    for _ in range(2000):
        check(query)
    per_query_ms = (time.perf_counter() - started) / 2000 * 1000
    assert per_query_ms < 0.2, per_query_ms  # a few µs here; the bound leaves room for a loaded machine


def test_empty_or_formless_text_is_a_bad_request() -> None:
    for text in ("", "   ", "# only a comment", "{ ?s ?p ?o }"):
        with pytest.raises(BadRequest):
            check(text)


def test_the_guards_docstring_examples() -> None:
    import doctest

    import sparql.guard

    result = doctest.testmod(sparql.guard)
    assert result.attempted >= 3 and result.failed == 0
