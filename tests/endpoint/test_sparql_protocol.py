"""/sparql speaks the SPARQL 1.1 Protocol: the three ways to ask, every result format, the dataset parameters,
errors with the parser's message, read-only, no SERVICE, a cap that is always announced, CORS."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask
from lxml import html as lxml_html
from rdflib.compare import isomorphic

from sparql.endpoint import examples
from sparql.store import Store
from tests.conftest import BASE
from tests.endpoint.conftest import parse_rdf

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TITLES = ("PREFIX dc: <http://purl.org/dc/elements/1.1/> SELECT DISTINCT ?c ?t WHERE { ?c dc:title ?t } "
          "ORDER BY ?c ?t LIMIT 25")
MAP = ("PREFIX dc: <http://purl.org/dc/elements/1.1/> PREFIX edm: <http://www.europeana.eu/schemas/edm/> "
       "CONSTRUCT { ?c ?p ?o } WHERE { ?c dc:type \"map\" ; ?p ?o }")
RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"ttl": ("text/turtle", "turtle"), "nt": ("application/n-triples", "nt"),
               "jsonld": ("application/ld+json", "json-ld"), "rdf": ("application/rdf+xml", "xml")}


def rows(body: bytes, fmt: str = "json") -> list[dict[str, Any]]:
    """Solutions parsed by pyoxigraph (CSV with the csv module: it has no typed terms)."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    parsed = ox.parse_query_results(body, {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                                           "tsv": ox.QueryResultsFormat.TSV}[fmt])
    names = [v.value for v in parsed.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in parsed]


def direct(store: Store, query: str, **kwargs: Any) -> list[dict[str, Any]]:
    return store.query(query, **kwargs)  # type: ignore[return-value]


def store_graph(store: Store, construct: str) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ox.serialize(store.query(construct), format=ox.RdfFormat.N_TRIPLES), format="nt")  # type: ignore[arg-type]
    return g


# -- asking ----------------------------------------------------------------------------------------------------
def test_get_post_form_and_post_body_give_the_same_answer(client, sample_store: Store) -> None:  # type: ignore[no-untyped-def]
    expected = direct(sample_store, TITLES)
    answers = [
        client.get("/sparql", query_string={"query": TITLES}),
        client.post("/sparql", data={"query": TITLES}),
        client.post("/sparql", data=TITLES.encode(), headers={"Content-Type": "application/sparql-query"}),
    ]
    for resp in answers:
        assert resp.status_code == 200
        assert resp.mimetype == "application/sparql-results+json"
        assert rows(resp.data) == expected


@pytest.mark.parametrize("fmt", RESULT_TYPES)
def test_select_results_in_every_format_by_accept_and_by_format(client, sample_store: Store, fmt: str) -> None:  # type: ignore[no-untyped-def]
    expected = direct(sample_store, TITLES)
    by_accept = client.get("/sparql", query_string={"query": TITLES}, headers={"Accept": RESULT_TYPES[fmt]})
    by_param = client.get("/sparql", query_string={"query": TITLES, "format": fmt})
    for resp in (by_accept, by_param):
        assert resp.status_code == 200 and resp.mimetype == RESULT_TYPES[fmt]
        got = rows(resp.data, fmt)
        if fmt == "csv":  # CSV keeps only the lexical forms
            assert got == [{k: v.value for k, v in r.items()} for r in expected]
        else:
            assert got == expected
        assert resp.headers["X-Meros-Rows"] == str(len(expected)) and resp.headers["X-Meros-Truncated"] == "false"


@pytest.mark.parametrize("fmt", GRAPH_TYPES)
def test_construct_in_every_rdf_format_is_the_same_graph(client, sample_store: Store, fmt: str) -> None:  # type: ignore[no-untyped-def]
    media, rdflib_format = GRAPH_TYPES[fmt]
    expected = store_graph(sample_store, MAP)
    assert len(expected) > 50
    for resp in (client.get("/sparql", query_string={"query": MAP}, headers={"Accept": media}),
                 client.get("/sparql", query_string={"query": MAP, "format": fmt})):
        assert resp.status_code == 200 and resp.mimetype == media
        got = parse_rdf(resp.data, rdflib_format)
        assert isomorphic(got, expected)


def test_ask_answers_a_boolean_in_json_and_xml(client) -> None:  # type: ignore[no-untyped-def]
    yes = client.get("/sparql", query_string={"query": "ASK { ?s a <http://www.europeana.eu/schemas/edm/ProvidedCHO> }"})
    no = client.get("/sparql", query_string={"query": "ASK { ?s a <http://example.org/Nothing> }", "format": "xml"})
    assert json.loads(yes.data)["boolean"] is True
    assert bool(ox.parse_query_results(no.data, ox.QueryResultsFormat.XML)) is False


def test_browser_accept_with_a_query_shows_an_html_table(client, sample_store: Store) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", query_string={"query": TITLES},
                      headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    doc = lxml_html.fromstring(resp.data)
    cells = doc.xpath("//section[contains(@class,'sparql-results')]//tbody/tr")
    assert len(cells) == len(direct(sample_store, TITLES))
    assert doc.xpath("//section[contains(@class,'sparql-results')]//a[contains(@href,'format=csv')]")


def test_curl_default_accept_gets_data_not_html(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", query_string={"query": COUNT_ALL}, headers={"Accept": "*/*"})
    assert resp.mimetype == "application/sparql-results+json"


# -- dataset --------------------------------------------------------------------------------------------------------
def _count(resp) -> int:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.data
    return int(rows(resp.data)[0]["n"].value)


def test_default_graph_is_the_union_and_dataset_parameters_are_honoured(client, sample_store: Store) -> None:  # type: ignore[no-untyped-def]
    graph = sample_store.graphs()[3]
    in_graph = sample_store.count(graph)
    assert _count(client.get("/sparql", query_string={"query": COUNT_ALL})) == sample_store.count()
    assert _count(client.get("/sparql", query_string={"query": COUNT_ALL, "default-graph-uri": graph.value})) == in_graph
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _count(client.get("/sparql", query_string={"query": named, "named-graph-uri": graph.value})) == in_graph
    # named-graph-uri alone: the default graph is empty
    assert _count(client.get("/sparql", query_string={"query": COUNT_ALL, "named-graph-uri": graph.value})) == 0
    # with POST application/sparql-query the dataset travels in the URL
    resp = client.post(f"/sparql?default-graph-uri={graph.value}", data=COUNT_ALL,
                       headers={"Content-Type": "application/sparql-query"})
    assert _count(resp) == in_graph
    # FROM in the query itself turns the union off
    assert _count(client.get("/sparql", query_string={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{graph.value}> WHERE {{ ?s ?p ?o }}"})) == in_graph
    assert _count(client.get("/sparql", query_string={
        "query": "SELECT (COUNT(*) AS ?n) FROM <http://example.org/no-such-graph> WHERE { ?s ?p ?o }"})) == 0


def test_objects_graphs_are_queryable_with_graph(client, sample_store: Store) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", query_string={
        "query": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?c a <http://www.europeana.eu/schemas/edm/ProvidedCHO> } }"})
    assert _count(resp) == len([g for g in sample_store.graphs() if "/graph/" in g.value])


# -- errors -----------------------------------------------------------------------------------------------------------
def test_malformed_query_is_400_with_the_parsers_message_and_position(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n ?s ?p \n}"})
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["status"] == 400 and "Malformed SPARQL" in body["error"] and "error at 3:" in body["error"]  # line 3 of the text the user sent


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
    lambda c: c.post("/sparql", data="INSERT DATA { <http://a> <http://b> <http://c> }",
                     headers={"Content-Type": "application/sparql-update"}),
    lambda c: c.get("/sparql", query_string={"query": "DELETE WHERE { ?s ?p ?o }"}),
])
def test_any_update_is_403_read_only_and_changes_nothing(client, sample_store: Store,  # type: ignore[no-untyped-def]
                                                         send: Callable[[Any], Any]) -> None:
    before = sample_store.count()
    resp = send(client)
    assert resp.status_code == 403 and "read-only" in resp.get_json()["error"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert sample_store.count() == before


def test_service_is_refused_before_evaluation(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert resp.status_code == 400 and "never fetches a URL" in resp.get_json()["error"]
    assert "MEROS_SPARQL_SERVICES" in resp.get_json()["error"]


@pytest.mark.parametrize("params, headers, status", [
    ({"query": COUNT_ALL}, {"Accept": "image/png"}, 406),
    ({"query": COUNT_ALL, "format": "ttl"}, {}, 406),
    ({"query": MAP, "format": "csv"}, {}, 406),
    ({"query": COUNT_ALL, "format": "docx"}, {}, 400),
    ({"query": [COUNT_ALL, COUNT_ALL]}, {}, 400),
    ({"query": COUNT_ALL, "default-graph-uri": "not an iri"}, {}, 400),
])
def test_bad_requests_get_the_json_error_shape(client, params: dict[str, Any], headers: dict[str, str],  # type: ignore[no-untyped-def]
                                               status: int) -> None:
    resp = client.get("/sparql", query_string=params, headers=headers)
    assert resp.status_code == status
    assert resp.get_json() == {"error": resp.get_json()["error"], "status": status} and resp.get_json()["error"]


def test_post_without_query_or_with_another_body_type(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/sparql", data={}).status_code == 400
    no_query = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert no_query.status_code == 400 and "No query" in no_query.get_json()["error"]
    resp = client.post("/sparql", data=b"<x/>", headers={"Content-Type": "application/xml"})
    assert resp.status_code == 415


# -- cap, CORS, description, editor -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def capped(make_app: Callable[..., Flask]) -> Flask:
    return make_app(SPARQL_MAX_ROWS=5)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
def test_the_cap_truncates_and_says_so(capped: Flask, fmt: str) -> None:
    c = capped.test_client()
    resp = c.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": fmt})
    assert resp.status_code == 200
    assert resp.headers["X-Meros-Max-Rows"] == "5" and resp.headers["X-Meros-Truncated"] == "true"
    assert len(rows(resp.data, fmt)) == 5 and resp.headers["X-Meros-Rows"] == "5"
    exact = c.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5", "format": fmt})
    assert exact.headers["X-Meros-Truncated"] == "false" and len(rows(exact.data, fmt)) == 5


def test_the_cap_applies_to_construct_triples(capped: Flask) -> None:
    resp = capped.test_client().get("/sparql", query_string={"query": MAP, "format": "nt"})
    assert resp.headers["X-Meros-Truncated"] == "true"
    assert len(rdflib.Graph().parse(data=resp.data, format="nt")) == 5


def test_cors_on_answers_errors_and_preflight(client) -> None:  # type: ignore[no-untyped-def]
    ok = client.get("/sparql", query_string={"query": COUNT_ALL})
    bad = client.get("/sparql", query_string={"query": "SELEC"})
    for resp in (ok, bad):
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
        assert "X-Meros-Truncated" in resp.headers["Access-Control-Expose-Headers"]
    pre = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "*/*"])
def test_rdf_accept_without_query_gets_the_service_description(client, accept: str) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", headers={"Accept": accept})
    assert resp.status_code == 200
    g = parse_rdf(resp.data, "json-ld" if "json" in accept else "turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = g.value(predicate=sd.endpoint, object=rdflib.URIRef(f"{BASE}/sparql"))
    assert service is not None
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (service, sd.feature, sd.UnionDefaultGraph) in g
    formats = set(g.objects(service, sd.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats and len(formats) == 8
    assert (service, sd.feature, sd.BasicFederatedQuery) not in g


def test_the_editor_page(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", headers={"Accept": "text/html"})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    doc = lxml_html.fromstring(resp.data)
    assert doc.xpath("//script/@src") and "/vendor/yasgui.min.js" in doc.xpath("//script/@src")
    assert "/vendor/yasgui.min.css" in doc.xpath("//link/@href")
    form = doc.xpath("//form[@action='/sparql']")[0]  # the no-JavaScript fallback
    assert form.xpath(".//textarea[@name='query']") and form.xpath(".//select[@name='format']")
    assert doc.xpath("//label[@for='query']")
    limits = doc.xpath("string(//*[@id='limits'])")
    assert "100 000 rows" in limits and "30 s" in limits
    links = doc.xpath("//ul[contains(@class,'sparql-examples')]/li/a/@href")
    assert len(links) == len(examples()) >= 15
    assert all(link.startswith("/sparql?query=") and "format=html" in link for link in links)


# -- the example queries ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("example", examples(), ids=lambda e: e.name)
def test_every_example_returns_rows_on_the_sample_collection(client, example) -> None:  # type: ignore[no-untyped-def]
    assert example.title and example.description
    resp = client.get("/sparql", query_string={"query": example.query}, headers={"Accept": "*/*"})
    assert resp.status_code == 200, resp.data
    if resp.mimetype == "application/sparql-results+json":
        assert len(rows(resp.data)) >= 1
    else:
        assert len(rdflib.Graph().parse(data=resp.data, format="turtle")) >= 1
    assert resp.headers["X-Meros-Truncated"] == "false"


def test_there_are_at_least_15_examples_each_a_file() -> None:
    assert len(examples()) >= 15
    assert len({e.name for e in examples()}) == len(examples())
