"""Linked Data: URIs that dereference by Accept, RDF documents equal to the store's graphs, VoID, dumps."""
from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask
from lxml import html as lxml_html
from rdflib.compare import isomorphic

from ontology.mapping import Uris
from portal.cli import main as meros
from sparql.objects import delete_object
from sparql.queries import named_query
from sparql.store import Store
from tests.conftest import BASE
from tests.endpoint.conftest import object_count, parse_rdf

OBJECT = "local-berckenrode-amsterdam-map"
DOCS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
        "nt": ("application/n-triples", "nt"), "rdf": ("application/rdf+xml", "xml")}
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def graph_of(store: Store, graph: str) -> rdflib.Graph:
    triples = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union_default_graph=False)
    return parse_rdf(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), "nt")  # type: ignore[arg-type]


@pytest.mark.parametrize("accept, location", [
    ("text/html", f"/item/{OBJECT}"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", f"/item/{OBJECT}"),
    ("*/*", f"/item/{OBJECT}"),
    (None, f"/item/{OBJECT}"),
    ("text/turtle", f"/item/{OBJECT}.ttl"),
    ("application/ld+json", f"/item/{OBJECT}.jsonld"),
    ("application/n-triples", f"/item/{OBJECT}.nt"),
    ("application/rdf+xml", f"/item/{OBJECT}.rdf"),
    ("text/turtle;q=0.5, application/rdf+xml", f"/item/{OBJECT}.rdf"),
])
def test_object_uri_303s_by_accept(client, accept: str | None, location: str) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(f"/id/{OBJECT}", headers={"Accept": accept} if accept else {})
    assert resp.status_code == 303
    assert resp.headers["Location"].removeprefix("http://localhost") == location
    assert "Accept" in resp.headers["Vary"] and resp.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path, accept, status", [
    ("/id/gallica-doesnotexist", "text/turtle", 404),
    ("/id/NOT-AN-ID", "text/html", 404),
    ("/id/agent", "text/html", 404),
    (f"/id/{OBJECT}", "image/png", 406),
    ("/item/gallica-doesnotexist.ttl", "*/*", 404),
    ("/id/agent/nobody-at-all", "text/turtle", 404),
    ("/place/nowhere.ttl", "*/*", 404),
])
def test_unknown_resources_and_unacceptable_types(client, path: str, accept: str, status: int) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(path, headers={"Accept": accept})
    assert resp.status_code == status


@pytest.mark.parametrize("ext", DOCS)
def test_object_documents_are_the_objects_graph(client, sample_store: Store, ext: str) -> None:  # type: ignore[no-untyped-def]
    media, rdflib_format = DOCS[ext]
    resp = client.get(f"/item/{OBJECT}.{ext}")
    assert resp.status_code == 200 and resp.mimetype == media
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert f"<{BASE}/id/{OBJECT}>" in resp.headers["Link"]
    expected = graph_of(sample_store, f"{BASE}/graph/{OBJECT}")
    assert len(expected) > 20 and isomorphic(parse_rdf(resp.data, rdflib_format), expected)


def test_agents_places_and_concepts_dereference(client, sample_store: Store) -> None:  # type: ignore[no-untyped-def]
    rows = sample_store.query(
        "SELECT DISTINCT ?a ?kind WHERE { ?c ?p ?a . VALUES (?p ?kind) { "
        "(<http://purl.org/dc/elements/1.1/creator> 'agent') (<http://purl.org/dc/terms/spatial> 'place') "
        "(<http://purl.org/dc/elements/1.1/subject> 'concept') } } ORDER BY ?a")
    by_kind = {}
    for r in rows:  # type: ignore[union-attr]
        by_kind.setdefault(r["kind"].value, []).append(r["a"].value)  # type: ignore[index,union-attr]
    cyrillic = next(a for a in by_kind["agent"] if "%D0" in a)
    for iri in [by_kind["agent"][0], cyrillic, by_kind["place"][0], by_kind["concept"][0]]:
        path = iri.removeprefix(BASE)
        kind = path.split("/")[2]
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 303 and page.headers["Location"] == path.replace(f"/id/{kind}/", f"/{kind}/")
        data = client.get(path, headers={"Accept": "text/turtle"})
        assert data.status_code == 303 and data.headers["Location"].endswith(".ttl")
        doc = client.get(data.headers["Location"])
        g = parse_rdf(doc.data, "turtle")
        subject = rdflib.URIRef(iri)
        assert (subject, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in g
        linking = set(g.subjects(object=subject))
        expected = {r["c"].value for r in sample_store.query(  # type: ignore[index,union-attr]
            f"SELECT DISTINCT ?c WHERE {{ ?c ?p <{iri}> }}")}
        assert {str(s) for s in linking} == expected and expected
        html = lxml_html.fromstring(client.get(page.headers["Location"]).data)
        assert len(html.xpath("//main//ul/li/a[starts-with(@href,'/item/')]")) == len(expected)


def test_withdrawn_object_is_410_and_stays_withdrawn(small_store: Store, make_app: Callable[..., Flask]) -> None:
    app = make_app(store=small_store)
    c = app.test_client()
    oid = small_store.graphs()[0].value.rsplit("/", 1)[-1]
    assert c.get(f"/id/{oid}").status_code == 303
    delete_object(small_store, Uris(BASE), oid, deleted_at="2030-01-02T03:04:05Z")
    for path in (f"/id/{oid}", f"/item/{oid}.ttl"):
        resp = c.get(path, headers={"Accept": "application/json"})
        assert resp.status_code == 410 and "2030-01-02T03:04:05Z" in resp.get_json()["error"]


# -- VoID and dumps ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dumped(sample_store: Store, sample_dir: Path, tmp_path_factory: pytest.TempPathFactory,
           make_app: Callable[..., Flask]) -> tuple[Flask, Path]:
    folder = tmp_path_factory.mktemp("dumps")
    mp = pytest.MonkeyPatch()
    mp.setenv("MEROS_STORE", str(sample_dir / "store"))
    mp.setenv("MEROS_BASE_URL", BASE)
    try:
        assert meros(["dump", "--out", str(folder)]) == 0
    finally:
        mp.undo()
    return make_app(DUMPS=str(folder)), folder


def test_void_counts_endpoint_examples_and_subsets(client, sample_store: Store) -> None:  # type: ignore[no-untyped-def]
    for path in ("/void", "/.well-known/void"):
        resp = client.get(path)
        assert resp.status_code == 200 and resp.mimetype == "text/turtle"
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
        g = parse_rdf(resp.data, "turtle")
        ds = rdflib.URIRef(f"{BASE}/void#meros")
        assert (ds, rdflib.RDF.type, VOID.Dataset) in g
        assert g.value(ds, VOID.sparqlEndpoint) == rdflib.URIRef(f"{BASE}/sparql")
        assert int(g.value(ds, VOID.triples)) == sample_store.count()  # type: ignore[arg-type]
        assert int(g.value(ds, VOID.entities)) == object_count(sample_store)  # type: ignore[arg-type]
        examples = list(g.objects(ds, VOID.exampleResource))
        assert len(examples) == 3
        for ex in examples:
            assert client.get(str(ex).removeprefix(BASE)).status_code == 303
        providers = {r["provider"].value: int(r["n"].value)  # type: ignore[index,union-attr]
                     for r in sample_store.query(named_query("counts_by_provider"))}
        subsets = {str(s).rsplit("provider-", 1)[1]: int(g.value(s, VOID.entities))  # type: ignore[arg-type]
                   for s in g.objects(ds, VOID.subset)}
        assert subsets == providers and sum(subsets.values()) == object_count(sample_store)
    other = client.get("/void", headers={"Accept": "application/ld+json"})
    assert other.mimetype == "application/ld+json" and len(parse_rdf(other.data, "json-ld")) == len(g)


def test_meros_dump_writes_complete_dumps_listed_in_dumps_and_void(dumped: tuple[Flask, Path],
                                                                   sample_store: Store) -> None:
    app, folder = dumped
    c = app.test_client()
    listing = c.get("/dumps/", headers={"Accept": "application/json"}).get_json()
    names = {f["name"]: f for f in listing["files"]}
    assert set(names) == {"meros.nt.gz", "meros.ttl.gz"} and listing["objects"] == object_count(sample_store)
    page = lxml_html.fromstring(c.get("/dumps/", headers={"Accept": "text/html"}).data)
    assert set(page.xpath("//table//a/@href")) == {"/dumps/meros.nt.gz", "/dumps/meros.ttl.gz"}

    everything = sample_store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{BASE}/graph/')) "
        "FILTER(?p != <https://w3id.org/meros/ontology#contentHash>) }", union_default_graph=False)
    expected = parse_rdf(ox.serialize(everything, format=ox.RdfFormat.N_TRIPLES), "nt")  # type: ignore[arg-type]
    for name, rdflib_format in (("meros.nt.gz", "nt"), ("meros.ttl.gz", "turtle")):
        resp = c.get(f"/dumps/{name}")
        try:
            assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/gzip"
            body = resp.data
        finally:
            resp.close()  # the file it streams
        text = gzip.decompress(body)
        assert names[name]["bytes"] == len(body)
        if name.endswith(".nt.gz"):  # every triple once: shared agents and places are not repeated
            assert len(text.splitlines()) == names[name]["triples"] == len(set(text.splitlines()))
        assert isomorphic(parse_rdf(text, rdflib_format), expected)
    assert c.get("/dumps/../dumps.json").status_code == 404 and c.get("/dumps/dumps.json").status_code == 404

    g = parse_rdf(c.get("/void").data, "turtle")
    dumps = {str(d) for d in g.objects(rdflib.URIRef(f"{BASE}/void#meros"), VOID.dataDump)}
    assert dumps == {f"{BASE}/dumps/meros.nt.gz", f"{BASE}/dumps/meros.ttl.gz"}
    manifest = json.loads((folder / "dumps.json").read_text())
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])


def test_dumps_page_before_any_dump(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    c = make_app(DUMPS=str(tmp_path / "none")).test_client()
    assert c.get("/dumps/", headers={"Accept": "application/json"}).get_json()["files"] == []
    assert c.get("/dumps/meros.nt.gz").status_code == 404


def test_tombstones_for_a_batch_cover_only_live_objects(small_store: Store) -> None:
    """What a loader merges into the batch that drops withdrawn objects, so OAI-PMH and /id report them."""
    from sparql.objects import tombstone_graphs

    before = small_store.graphs()
    live = [g.value.rsplit("/", 1)[-1] for g in before[:2]]
    graphs = tombstone_graphs(small_store, Uris(BASE), [*live, "gallica-neverloaded"], "2030-01-01T00:00:00Z")
    assert sorted(g.value for g in graphs) == sorted(f"{BASE}/graph/deleted/{oid}" for oid in live)
    for triples in graphs.values():
        assert {t.predicate.value for t in triples} >= {"http://www.w3.org/ns/prov#invalidatedAtTime",
                                                        "http://purl.org/dc/terms/type"}
    assert small_store.graphs() == before  # it only builds them: the caller writes them with its batch
