"""A rebuild reads the store by a graph scan and in worker processes: the index must not notice.

The scan (`portal.search.graphs`) must give exactly the documents the reference
query defines, also for graphs of an unusual shape (which it hands back to the
reference query), and a rebuild by worker processes must give the same index
documents, in the same order, as one in this process. Real stores, real
records from the sample collection; each test has its own store and index.
"""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from werkzeug.datastructures import MultiDict

from loaders.collection import sample_records
from loaders.runner import load_records
from ontology.mapping import Uris
from ontology.record import Record
from ontology.vocab import PREFIXES
from portal.search import open_index, parse_params, rebuild_index
from portal.search.build import PARALLEL_FROM, parallel_documents, worker_count
from portal.search.documents import read_reference
from portal.search.graphs import scan_documents, scan_query
from portal.search.reader import all_object_ids, batches, read_batch, read_documents
from portal.search.schema import index_json
from sparql.store import Store, open_store

BASE = "http://127.0.0.1:5000"
URIS = Uris(BASE)
RECORDS = [r for r in sample_records() if isinstance(r, Record)]
EDM, RDF, OA = PREFIXES["edm"], PREFIXES["rdf"], "http://www.w3.org/ns/oa#"


def _triples(store: Store, object_id: str) -> list[Triple]:
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{URIS.graph(object_id).value}> {{ ?s ?p ?o }} }}",
                       union_default_graph=False)
    return [Triple(r["s"], r["p"], r["o"]) for r in rows]  # type: ignore[arg-type,index,union-attr]


def _add_unusual_graphs(store: Store) -> dict[str, str]:
    """Graphs the scan must not assemble itself, each made from a real object's graph: id → what is unusual."""
    a, b, c, d, e = (r.id for r in RECORDS[:5])
    cho, aggregation = NamedNode(URIS.cho(a).value), NamedNode(URIS.aggregation(a).value)
    # full text: two annotations on the object's canvases
    text = _triples(store, a)
    for n, body in enumerate(["Ғылым таппай мақтанба", "Адамзаттың бәрін сүй"], start=1):
        anno = BlankNode()
        text += [Triple(anno, NamedNode(OA + "hasTarget"), NamedNode(f"{BASE}/iiif/{a}/canvas/{n}")),
                 Triple(anno, NamedNode(OA + "bodyValue"), Literal(body, language="kk"))]
    store.replace_graph(URIS.graph(a), text)
    # a second ProvidedCHO, with its own title, aggregated by the same aggregation
    other = NamedNode(URIS.cho(b).value + "-part")
    two = _triples(store, b) + [Triple(other, NamedNode(RDF + "type"), NamedNode(EDM + "ProvidedCHO")),
                                Triple(other, NamedNode(PREFIXES["dc"] + "title"), Literal("Second part")),
                                Triple(NamedNode(URIS.aggregation(b).value), NamedNode(EDM + "aggregatedCHO"), other)]
    store.replace_graph(URIS.graph(b), two)
    # the aggregation under a name Meros does not give it
    renamed = NamedNode(URIS.aggregation(c).value + "-elsewhere")
    store.replace_graph(URIS.graph(c), [Triple(renamed if t.subject.value == URIS.aggregation(c).value else t.subject,
                                               t.predicate, t.object) for t in _triples(store, c)])
    # no aggregation at all
    store.replace_graph(URIS.graph(d), [t for t in _triples(store, d) if t.subject.value != URIS.aggregation(d).value])
    # no ProvidedCHO: not an object, in neither reading
    store.replace_graph(URIS.graph(e), [t for t in _triples(store, e) if t.object != NamedNode(EDM + "ProvidedCHO")])
    assert cho.value in {t.subject.value for t in text} and aggregation.value in {t.subject.value for t in text}
    return {a: "full text", b: "two objects", c: "renamed aggregation", d: "no aggregation", e: "no object"}


def test_the_graph_scan_gives_the_reference_documents_also_for_unusual_graphs(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store")) as store:
        load_records(store, RECORDS, uris=URIS, jurisdiction="KZ")
        unusual = _add_unusual_graphs(store)
        objects = all_object_ids(store)
        assert len(objects) > 150  # the sample collection (less what the loader rejects or merges)
        ids = [*objects, "nowhere-not-in-the-store"]
        flagged: set[str] = set()
        read = 0
        for batch in batches(URIS, ids, size=40):
            raw = store.query_raw(scan_query([(g, c, a) for _, g, c, a in batch]), "tsv", union_default_graph=False)
            _, positions = scan_documents(raw, [(i, c, a) for i, _, c, a in batch])
            flagged |= {batch[p][0] for p in positions}
            scanned = read_batch(store, batch)
            assert scanned == read_reference(store, [g for _, g, _, _ in batch])
            read += len(scanned)
        assert flagged == set(unusual) - {RECORDS[4].id}  # a graph without an object is simply not one
        assert read == len(objects) - 1
        docs = {doc.id: doc for doc in read_documents(store, URIS, ids)}
        assert ("Second part", None) in docs[RECORDS[1].id].titles
        assert docs[RECORDS[0].id].all("fulltext") == ["Ғылым таппай мақтанба", "Адамзаттың бәрін сүй"]
        assert any(doc.all("geo") for doc in docs.values())  # the coordinates' join is exercised


def _found(settings: dict[str, str], q: str, **filters: str) -> tuple[int, list[str], dict[str, dict[str, int]]]:
    """Total, every hit's id (sorted: equal scores keep the order tantivy's two indexing threads happened to
    give, in any rebuild) and the facets."""
    index = open_index(settings)
    ids: list[str] = []
    for page in (1, 2):
        results = index.search(parse_params(MultiDict({"q": q, "size": "100", "page": str(page), **filters})))
        ids += [h.id for h in results.hits]
    return results.total, sorted(ids), results.facets


def test_a_rebuild_by_worker_processes_writes_the_same_index(tmp_path: Path) -> None:
    here = {"STORE": str(tmp_path / "store"), "INDEX": str(tmp_path / "here"), "BASE_URL": BASE}
    workers = {**here, "INDEX": str(tmp_path / "workers")}
    with open_store(here["STORE"]) as store:  # held read-write: the workers read a checkpoint of it
        load_records(store, RECORDS, uris=URIS, jurisdiction="KZ")
        _add_unusual_graphs(store)
        ids = all_object_ids(store)
        expected = [index_json(doc) for doc in read_documents(store, URIS, ids)]
        assert list(parallel_documents(store, URIS, ids, 2)) == expected
        assert rebuild_index(here, store, workers=0)[0] == rebuild_index(workers, store, workers=2)[0] == len(expected)
    assert not Path(here["STORE"] + ".snapshots").exists()  # the checkpoint is gone with the workers
    for q, filters in [("", {}), ("Qara sözder", {}), ("journal", {"sort": "date"}), ("", {"type": "IMAGE"}),
                       ("истории", {}), ("ғылым", {}), ("carte", {"rights": "open", "sort": "title"}),
                       ("", {"from": "1500", "to": "1900", "language": "fr"})]:
        assert _found(workers, q, **filters) == _found(here, q, **filters)
    a, b = open_index(here), open_index(workers)
    assert a.count() == b.count() == len(expected)
    for object_id in ids:
        assert a.get(object_id) == b.get(object_id)
    assert _found(here, "ғылым")[1] == [RECORDS[0].id]  # the full text went through the reference reading


def test_workers_only_for_a_large_embedded_store(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store")) as store:
        assert worker_count(store, PARALLEL_FROM - 1) == 0
        assert worker_count(store, PARALLEL_FROM) >= 1
