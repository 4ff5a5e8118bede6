"""One contract, two backends: every test runs on the embedded store and on a real `oxigraph serve`."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pyoxigraph as ox
import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QueryResultsFormat, RdfFormat, Triple
from rdflib import Graph
from rdflib.compare import isomorphic

from ontology.errors import MerosError, QueryError, StoreError
from sparql.store import Store, nquads_calls

EX = "http://meros.test/"
DC = "http://purl.org/dc/elements/1.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"
EDTF = NamedNode("http://id.loc.gov/datatypes/edtf")
TITLE, DATE, EXTENT, CREATOR, NAME = (NamedNode(DC + "title"), NamedNode(DC + "date"), NamedNode(EX + "extent"),
                                      NamedNode(DC + "creator"), NamedNode(EX + "name"))
KK = Literal("Қазақ хандығының тарихы", language="kk")
UZ = Literal("Oʻzbekiston tarixi: gʻazal va qoʻshiq", language="uz")  # U+02BB, not an apostrophe
ODD = Literal('quote " backslash \\ newline \n tab \t and ʻ', language="en")


def node(name: str) -> NamedNode:
    return NamedNode(EX + name)


def item_triples(name: str, title: Literal = KK) -> list[Triple]:
    """An object's graph: language-tagged and typed literals, and a blank-node agent."""
    s, agent = node(f"id/{name}"), BlankNode()
    return [
        Triple(s, TITLE, title),
        Triple(s, DATE, Literal("1850", datatype=NamedNode(XSD + "gYear"))),
        Triple(s, NamedNode(DC + "coverage"), Literal("18..", datatype=EDTF)),
        Triple(s, EXTENT, Literal("412", datatype=NamedNode(XSD + "integer"))),
        Triple(s, CREATOR, agent),
        Triple(agent, NAME, Literal("Абай Құнанбайұлы", language="kk")),
    ]


def as_rdflib(triples: Iterable[Triple]) -> Graph:
    return Graph().parse(data=ox.serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")


def same_graph(a: Iterable[Triple], b: Iterable[Triple]) -> bool:
    return isomorphic(as_rdflib(a), as_rdflib(b))


def graph_content(store: Store, graph: NamedNode) -> list[Triple]:
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    assert isinstance(result, list)
    return result  # type: ignore[return-value]


@pytest.fixture
def loaded(store: Store) -> Store:
    store.replace_graphs({node("graph/kk"): item_triples("kk", KK), node("graph/uz"): item_triples("uz", UZ)})
    return store


def test_select_gives_rows_of_pyoxigraph_terms(loaded: Store) -> None:
    rows = loaded.query(f"SELECT ?s ?title WHERE {{ ?s <{DC}title> ?title }} ORDER BY ?s")
    assert rows == [{"s": node("id/kk"), "title": KK}, {"s": node("id/uz"), "title": UZ}]
    uz = rows[1]["title"]  # type: ignore[index]
    assert isinstance(uz, Literal) and uz.language == "uz" and "\u02bb" in uz.value and "'" not in uz.value


def test_select_typed_literals_keep_their_datatype(loaded: Store) -> None:
    rows = loaded.query(f"SELECT ?date ?edtf ?extent WHERE {{ <{EX}id/kk> <{DC}date> ?date ; "
                        f"<{DC}coverage> ?edtf ; <{EX}extent> ?extent }}")
    assert rows == [{"date": Literal("1850", datatype=NamedNode(XSD + "gYear")),
                     "edtf": Literal("18..", datatype=EDTF),
                     "extent": Literal("412", datatype=NamedNode(XSD + "integer"))}]


def test_select_leaves_out_unbound_variables(loaded: Store) -> None:
    rows = loaded.query(f"SELECT ?s ?missing WHERE {{ ?s <{DC}title> ?t OPTIONAL {{ ?s <{EX}nothing> ?missing }} }}")
    assert isinstance(rows, list) and len(rows) == 2
    assert all(set(row) == {"s"} for row in rows)  # type: ignore[arg-type]


def test_select_blank_nodes_come_back_as_blank_nodes(loaded: Store) -> None:
    rows = loaded.query(f"SELECT ?agent ?name WHERE {{ <{EX}id/kk> <{DC}creator> ?agent . ?agent <{EX}name> ?name }}")
    assert len(rows) == 1  # type: ignore[arg-type]
    assert isinstance(rows[0]["agent"], BlankNode)  # type: ignore[index]
    assert rows[0]["name"] == Literal("Абай Құнанбайұлы", language="kk")  # type: ignore[index]


def test_ask_gives_a_bool(loaded: Store) -> None:
    assert loaded.query(f"ASK {{ ?s <{DC}title> {KK} }}") is True
    assert loaded.query(f"ASK {{ ?s <{DC}title> \"Қазақ\"@kk }}") is False


def test_construct_gives_triples_with_blank_nodes(loaded: Store) -> None:
    result = graph_content(loaded, node("graph/kk"))
    assert all(isinstance(t, Triple) for t in result)
    assert same_graph(result, item_triples("kk", KK))


def test_describe_gives_the_subject_triples(loaded: Store) -> None:
    result = loaded.query(f"DESCRIBE <{EX}id/uz>")
    assert isinstance(result, list) and all(isinstance(t, Triple) for t in result)
    assert Triple(node("id/uz"), TITLE, UZ) in result


def test_union_default_graph_on_and_off(loaded: Store) -> None:
    query = f"SELECT ?t WHERE {{ <{EX}id/kk> <{DC}title> ?t }}"
    assert loaded.query(query, union_default_graph=True) == [{"t": KK}]
    assert loaded.query(query, union_default_graph=False) == []
    in_graph = f"SELECT ?t WHERE {{ GRAPH ?g {{ <{EX}id/kk> <{DC}title> ?t }} }}"
    assert loaded.query(in_graph, union_default_graph=False) == [{"t": KK}]


def test_replace_graph_replaces(loaded: Store) -> None:
    new = [Triple(node("id/kk"), TITLE, Literal("Жаңа атау", language="kk")), Triple(node("id/kk"), TITLE, ODD)]
    loaded.replace_graph(node("graph/kk"), new)
    content = graph_content(loaded, node("graph/kk"))
    assert same_graph(content, new)
    assert loaded.query(f"ASK {{ GRAPH ?g {{ ?s ?p {KK} }} }}") is False
    assert loaded.query(f"ASK {{ ?s <{EX}name> ?n }}") is True  # the other graph's agent
    assert loaded.count(node("graph/kk")) == 2


def test_replace_several_graphs_in_one_call(loaded: Store) -> None:
    batch = {node("graph/kk"): item_triples("kk", UZ), node("graph/uz"): item_triples("uz", KK),
             node("graph/new"): item_triples("new", ODD)}
    loaded.replace_graphs(batch)
    for graph, triples in batch.items():
        assert same_graph(graph_content(loaded, graph), triples)
    assert loaded.graphs() == sorted(batch, key=lambda g: g.value)


def test_blank_nodes_belong_to_their_graph(store: Store) -> None:
    """The same blank node label in two graphs of one batch stays two nodes (as two Graph Store PUTs make it)."""
    shared = BlankNode("agent")
    store.replace_graphs({
        node("graph/a"): [Triple(node("id/a"), CREATOR, shared), Triple(shared, NAME, Literal("A"))],
        node("graph/b"): [Triple(node("id/b"), CREATOR, shared), Triple(shared, NAME, Literal("B"))],
    })
    rows = store.query(f"SELECT ?item ?name WHERE {{ ?item <{DC}creator> ?agent . ?agent <{EX}name> ?name }} "
                       "ORDER BY ?item")
    assert rows == [{"item": node("id/a"), "name": Literal("A")}, {"item": node("id/b"), "name": Literal("B")}]


def test_bulk_load_keeps_blank_nodes_within_a_graph(store: Store) -> None:
    agent = BlankNode()
    store.bulk_load([Quad(node("id/x"), CREATOR, agent, node("graph/x")), Quad(agent, NAME, KK, node("graph/x"))])
    rows = store.query(f"SELECT ?name WHERE {{ <{EX}id/x> <{DC}creator>/<{EX}name> ?name }}")
    assert rows == [{"name": KK}]


def test_replacing_one_graph_leaves_the_others_untouched(loaded: Store) -> None:
    before = graph_content(loaded, node("graph/uz"))
    loaded.replace_graph(node("graph/kk"), [Triple(node("id/kk"), TITLE, Literal("x"))])
    after = graph_content(loaded, node("graph/uz"))
    assert same_graph(before, after) and same_graph(after, item_triples("uz", UZ))


def test_replacing_with_the_same_content_changes_nothing(loaded: Store) -> None:
    again = item_triples("kk", KK)  # equal triples, and a fresh blank node for the agent
    loaded.replace_graph(node("graph/kk"), again + again[:2])  # duplicates count once
    assert loaded.count(node("graph/kk")) == 6
    assert same_graph(graph_content(loaded, node("graph/kk")), again)


def test_replace_keeps_shared_triples_drops_old_adds_new(loaded: Store) -> None:
    old = item_triples("kk", KK)
    new = [old[0], old[2], Triple(node("id/kk"), TITLE, ODD), Triple(node("id/kk"), CREATOR, node("agent/abai"))]
    loaded.replace_graph(node("graph/kk"), new)
    assert same_graph(graph_content(loaded, node("graph/kk")), new)
    old_agent = f"ASK {{ ?s <{EX}name> \"Абай Құнанбайұлы\"@kk ; ^<{DC}creator> <{EX}id/kk> }}"
    assert loaded.query(old_agent) is False


def test_a_bad_graph_name_writes_nothing(loaded: Store) -> None:
    with pytest.raises(TypeError):
        loaded.replace_graphs({node("graph/kk"): [], "not a node": []})  # type: ignore[dict-item]
    assert loaded.count(node("graph/kk")) == 6


def test_replace_with_no_triples_removes_the_graph(loaded: Store) -> None:
    loaded.replace_graph(node("graph/kk"), [])
    assert loaded.graphs() == [node("graph/uz")]
    assert loaded.count(node("graph/kk")) == 0


def test_delete_graph_also_a_missing_one(loaded: Store) -> None:
    loaded.delete_graph(node("graph/kk"))
    loaded.delete_graph(node("graph/never-there"))
    assert loaded.graphs() == [node("graph/uz")]
    assert loaded.count() == len(item_triples("uz"))


def test_bulk_load_then_count_and_graphs(store: Store) -> None:
    quads = [Quad(node(f"id/{i}"), TITLE, Literal(f"Kitob {i}", language="uz"), node(f"graph/{i % 7}"))
             for i in range(700)]
    quads.append(Quad(node("dataset"), TITLE, Literal("default graph triple")))
    store.bulk_load(iter(quads))
    assert store.count() == 701
    assert store.graphs() == sorted((node(f"graph/{i}") for i in range(7)), key=lambda g: g.value)
    assert all(store.count(node(f"graph/{i}")) == 100 for i in range(7))
    assert store.count(node("graph/none")) == 0


def test_optimize_after_bulk_loads_keeps_every_quad(store: Store) -> None:
    """Compaction (embedded) or nothing (a server compacts itself): the same quads either way."""
    for part in range(5):
        store.bulk_load(Quad(node(f"id/{i}"), TITLE, Literal(f"Kitob {i}", language="uz"), node(f"graph/{i}"))
                        for i in range(part * 40, part * 40 + 40))
    before = sorted(map(str, store.query("SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }")))
    store.optimize()
    assert store.count() == 200 and len(store.graphs()) == 200
    assert sorted(map(str, store.query("SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))) == before
    store.replace_graph(node("graph/0"), item_triples("kk"))  # still writable
    assert store.count(node("graph/0")) == 6


def _graph_nquads(name: str) -> bytes:
    """One object's graph as N-Quads: six lines, two of them sharing a blank node."""
    g = node(f"graph/{name}")
    quads = [Quad(t.subject, t.predicate, t.object, g) for t in item_triples(name)]
    return ox.serialize(quads, format=RdfFormat.N_QUADS)


def test_bulk_load_nquads_in_small_calls_keeps_each_graph_whole(store: Store) -> None:
    """Calls hold whole parts: a graph's blank node split over two calls would become two nodes."""
    store.bulk_chunk = 4  # several calls (or requests), each ending between two graphs
    store.bulk_load_nquads(_graph_nquads(f"n{i}") for i in range(5))
    for i in range(5):
        content = graph_content(store, node(f"graph/n{i}"))
        assert same_graph(content, item_triples(f"n{i}"))
        assert len({t.object for t in content if isinstance(t.object, BlankNode)}) == 1


def test_nquads_calls_never_split_a_part() -> None:
    parts = [b"a .\nb .\n", b"c .\n", b"d .\ne .\nf .\n", b"g .\n"]
    assert list(nquads_calls(parts, 2)) == [b"a .\nb .\n", b"c .\nd .\ne .\nf .\n", b"g .\n"]
    assert list(nquads_calls(parts, 100)) == [b"".join(parts)]
    assert list(nquads_calls([], 2)) == []


def test_count_per_graph(loaded: Store) -> None:
    assert loaded.count(node("graph/kk")) == 6
    assert loaded.count(node("graph/uz")) == 6
    assert loaded.count() == 12


SELECT_ROWS = f"SELECT ?s ?t WHERE {{ ?s <{DC}title> ?t }} ORDER BY ?s"


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_query_raw_results_parse_back(loaded: Store, fmt: str) -> None:
    body = loaded.query_raw(SELECT_ROWS, fmt)
    parsed = ox.parse_query_results(body, {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML,
                                           "tsv": QueryResultsFormat.TSV}[fmt])
    assert [(row["s"], row["t"]) for row in parsed] == [(node("id/kk"), KK), (node("id/uz"), UZ)]
    boolean = ox.parse_query_results(loaded.query_raw(f"ASK {{ ?s ?p {UZ} }}", fmt),
                                     {"json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML,
                                      "tsv": QueryResultsFormat.TSV}[fmt])
    assert bool(boolean) is True


def test_query_raw_csv_parses_back(loaded: Store) -> None:
    body = loaded.query_raw(SELECT_ROWS, "csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows == [["s", "t"], [EX + "id/kk", KK.value], [EX + "id/uz", UZ.value]]


@pytest.mark.parametrize("fmt,rdf_format", [("nt", RdfFormat.N_TRIPLES), ("ttl", RdfFormat.TURTLE),
                                            ("jsonld", RdfFormat.JSON_LD), ("rdf", RdfFormat.RDF_XML)])
def test_query_raw_graphs_parse_back(loaded: Store, fmt: str, rdf_format: RdfFormat) -> None:
    body = loaded.query_raw(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}graph/uz> {{ ?s ?p ?o }} }}", fmt)
    parsed = [q.triple for q in ox.parse(body, rdf_format)]
    assert same_graph(parsed, item_triples("uz", UZ))


def test_malformed_query_is_a_400_meros_error(store: Store) -> None:
    with pytest.raises(QueryError) as raised:
        store.query("SELEC ?s WHERE { ?s ?p ?o }")
    assert isinstance(raised.value, MerosError) and raised.value.status == 400
    assert raised.value.message
    with pytest.raises(QueryError):
        store.query_raw("SELECT ?s WHERE { ?s ?p ", "json")


def test_result_format_that_does_not_fit_the_query_is_406(loaded: Store) -> None:
    with pytest.raises(QueryError) as raised:
        loaded.query_raw("CONSTRUCT WHERE { ?s ?p ?o }", "json")
    assert raised.value.status == 406
    with pytest.raises(QueryError) as raised:
        loaded.query_raw("SELECT * WHERE { ?s ?p ?o }", "ttl")
    assert raised.value.status == 406
    with pytest.raises(QueryError) as raised:
        loaded.query_raw("SELECT * WHERE { ?s ?p ?o }", "yaml")
    assert raised.value.status == 400 and "json" in raised.value.message


def test_a_closed_store_refuses_work_and_closes_twice(store: Store) -> None:
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.query("ASK {}")


def test_capabilities_say_what_the_backend_does(store: Store) -> None:
    caps = store.capabilities
    assert caps.remote is not caps.read_only_snapshots
    assert caps.transactions is (not caps.remote)
