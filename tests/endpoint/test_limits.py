"""The safety the embedded engine does not give: a real time limit, a bounded pool, workers that follow the data,
no network for the workers, and the same limits (plus truncation detection) with a remote store."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask

from loaders.collection import sample_records
from loaders.runner import RejectLog, load_records
from ontology.mapping import Uris
from ontology.record import Record
from sparql.endpoint import pool_for
from sparql.objects import delete_object
from sparql.remote import RemoteStore
from sparql.store import Store
from tests.conftest import BASE
from tests.endpoint.conftest import SMALL

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 10^12 rows on the sample
COUNT_OBJECTS = ("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <http://www.europeana.eu/schemas/edm/ProvidedCHO> }")


def n(resp) -> int:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.data
    parsed = ox.parse_query_results(resp.data, ox.QueryResultsFormat.JSON)
    return int(next(iter(parsed))["n"].value)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def site_urls(app: Flask) -> list[str]:
    """The pages that must keep answering: home, an item, /healthz, a manifest and a tile when IIIF is there."""
    rules = {r.rule for r in app.url_map.iter_rules()}
    urls = ["/", "/item/local-berckenrode-amsterdam-map", "/healthz"]
    if "/iiif/<object_id>/manifest" in rules:
        urls.append("/iiif/local-berckenrode-amsterdam-map/manifest")
    if any(r.startswith("/iiif/image/<image_id>/<region>") for r in rules):
        urls.append("/iiif/image/local-berckenrode-amsterdam-map-1/0,0,256,256/256,/0/default.jpg")
    return urls


def timed(client, url: str) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return time.perf_counter() - started


def test_a_pathological_query_is_stopped_at_the_limit_while_the_site_keeps_answering(
        make_app: Callable[..., Flask]) -> None:
    app = make_app(SPARQL_TIMEOUT=2.0)
    client = app.test_client()
    assert n(client.get("/sparql", query_string={"query": COUNT_OBJECTS})) > 100  # workers started, snapshot taken
    urls = site_urls(app)
    for url in urls:
        timed(client, url)  # warm caches (index, tiles) once
    normal = {url: statistics.median(timed(client, url) for _ in range(3)) for url in urls}
    pool = pool_for(app)
    before = set(pool.pids())

    outcome: dict[str, Any] = {}

    def long_query() -> None:
        started = time.perf_counter()
        outcome["resp"] = app.test_client().get("/sparql", query_string={"query": CROSS_JOIN})
        outcome["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=long_query)
    thread.start()
    time.sleep(0.3)  # the query is running in a worker now
    during = {url: timed(client, url) for url in urls for _ in range(2)}
    thread.join(15)
    assert not thread.is_alive()
    for url, seconds in during.items():
        assert seconds < max(3 * normal[url], normal[url] + 0.3), (url, seconds, normal[url])

    resp = outcome["resp"]
    assert resp.status_code == 503
    assert "MEROS_SPARQL_TIMEOUT" in resp.get_json()["error"] and "2 s" in resp.get_json()["error"]
    assert 1.9 < outcome["seconds"] < 3.5, outcome["seconds"]
    killed = before - set(pool.pids())
    assert len(killed) == 1 and not alive(killed.pop())  # the query stopped consuming CPU: its process is gone
    deadline = time.monotonic() + 10
    while len(pool.pids()) < 2 and time.monotonic() < deadline:  # the replacement starts in the background
        time.sleep(0.05)
    assert len(pool.pids()) == 2
    assert n(client.get("/sparql", query_string={"query": COUNT_OBJECTS})) > 100


def test_excess_concurrent_queries_get_429_with_retry_after(make_app: Callable[..., Flask]) -> None:
    app = make_app(SPARQL_TIMEOUT=1.5, SPARQL_WORKERS=1, SPARQL_QUEUE=0)
    client = app.test_client()
    assert n(client.get("/sparql", query_string={"query": COUNT_OBJECTS})) > 100
    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(
        app.test_client().get("/sparql", query_string={"query": CROSS_JOIN})))
    thread.start()
    time.sleep(0.3)
    busy = client.get("/sparql", query_string={"query": COUNT_OBJECTS})
    thread.join(10)
    assert busy.status_code == 429
    assert 1 <= int(busy.headers["Retry-After"]) <= 2
    assert "MEROS_SPARQL_WORKERS" in busy.get_json()["error"]
    assert results[0].status_code == 503
    time.sleep(0.5)
    assert n(client.get("/sparql", query_string={"query": COUNT_OBJECTS})) > 100  # free again


def test_a_query_past_the_memory_limit_stops_its_worker_only(make_app: Callable[..., Flask]) -> None:
    app = make_app(SPARQL_TIMEOUT=20, SPARQL_MEMORY_MB=300)
    client = app.test_client()
    assert n(client.get("/sparql", query_string={"query": COUNT_OBJECTS})) > 100
    hungry = "SELECT (GROUP_CONCAT(STR(?o)) AS ?all) WHERE { ?a ?b ?c . ?s ?p ?o }"  # gigabytes of text
    started = time.perf_counter()
    resp = client.get("/sparql", query_string={"query": hungry})
    assert resp.status_code == 503 and "MEROS_SPARQL_MEMORY_MB" in resp.get_json()["error"]
    assert time.perf_counter() - started < 15
    assert n(client.get("/sparql", query_string={"query": COUNT_OBJECTS})) > 100  # the other worker, or a new one


def unshare_allowed() -> bool:
    probe = "from sparql.protocol import drop_network; import sys; sys.exit(0 if drop_network() else 1)"
    return subprocess.run([sys.executable, "-c", probe], timeout=30).returncode == 0


def test_workers_of_an_embedded_store_have_no_network(client, app: Flask) -> None:  # type: ignore[no-untyped-def]
    client.get("/sparql", query_string={"query": COUNT_OBJECTS})
    assert pool_for(app).isolated == unshare_allowed()


def test_an_allowed_service_is_called(make_app: Callable[..., Flask], oxigraph_server: str) -> None:
    with RemoteStore(oxigraph_server) as remote:
        remote.update("DROP ALL ; INSERT DATA { <http://meros.test/x> <http://meros.test/p> 'federated' }")
    endpoint = oxigraph_server + "query"
    app = make_app(SPARQL_SERVICES=endpoint)
    query = f"SELECT ?o WHERE {{ SERVICE <{endpoint}> {{ <http://meros.test/x> ?p ?o }} }}"
    resp = app.test_client().get("/sparql", query_string={"query": query})
    assert resp.status_code == 200, resp.data
    assert [r["o"].value for r in ox.parse_query_results(resp.data, ox.QueryResultsFormat.JSON)] == ["federated"]
    assert pool_for(app).isolated is False  # the operator asked for federation: the workers keep the network
    other = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> {} }"})
    assert other.status_code == 400


def test_workers_move_to_new_data_after_a_load_and_a_deletion(small_store: Store, make_app: Callable[..., Flask],
                                                              tmp_path: Path) -> None:
    app = make_app(store=small_store)
    client = app.test_client()
    before = n(client.get("/sparql", query_string={"query": COUNT_OBJECTS}))
    assert before == SMALL
    extra = next(r for i, r in enumerate(x for x in sample_records() if isinstance(x, Record)) if i == SMALL)
    report = load_records(small_store, [extra], uris=Uris(BASE), jurisdiction="KZ", images_dir=tmp_path / "images",
                          rejects=RejectLog(None))
    assert report.loaded == 1
    ask = f"ASK {{ <{BASE}/id/{extra.id}> ?p ?o }}"
    for _ in range(3):  # whichever worker answers, it sees the new object
        assert n(client.get("/sparql", query_string={"query": COUNT_OBJECTS})) == before + 1
        assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"] is True
    delete_object(small_store, Uris(BASE), extra.id)
    for _ in range(3):
        assert n(client.get("/sparql", query_string={"query": COUNT_OBJECTS})) == before
        assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"] is False
    snapshots = pool_for(app).source.root  # type: ignore[attr-defined]
    assert snapshots.parent == Path(f"{small_store.path}.snapshots")  # type: ignore[attr-defined]
    assert 1 <= len(list(snapshots.glob("gen-*"))) <= 3  # old generations are removed once no worker holds them
    pool_for(app).close()
    assert not snapshots.exists() and not snapshots.parent.exists()


# -- a remote store: the same limits on our side ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def remote_copy(oxigraph_factory: Callable[..., str], sample_store: Store) -> Callable[..., str]:
    """A real `oxigraph serve` (with its own options) holding the sample collection."""
    rows = sample_store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)
    quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[index,union-attr,arg-type]

    def start(*options: str) -> str:
        base = oxigraph_factory(*options)
        with RemoteStore(base) as remote:
            remote.bulk_load(quads)
        return base

    return start


def test_remote_store_answers_like_the_embedded_one_with_the_same_limits(
        remote_copy: Callable[..., str], make_app: Callable[..., Flask], client) -> None:  # type: ignore[no-untyped-def]
    base = remote_copy("--timeout-s", "4")
    with RemoteStore(base) as remote:
        app = make_app(store=remote, STORE=base, SPARQL_TIMEOUT=1.5, SPARQL_MAX_ROWS=7)
        c = app.test_client()
        query = "SELECT DISTINCT ?t WHERE { ?c <http://purl.org/dc/elements/1.1/title> ?t } ORDER BY ?t LIMIT 5"
        assert c.get("/sparql", query_string={"query": query}).data == client.get("/sparql", query_string={"query": query}).data
        assert n(c.get("/sparql", query_string={"query": COUNT_OBJECTS})) == n(
            client.get("/sparql", query_string={"query": COUNT_OBJECTS}))
        capped = c.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "tsv"})
        assert capped.headers["X-Meros-Truncated"] == "true" and capped.data.count(b"\n") == 8
        started = time.perf_counter()
        slow = c.get("/sparql", query_string={"query": CROSS_JOIN})
        assert slow.status_code == 503 and "MEROS_SPARQL_TIMEOUT" in slow.get_json()["error"]
        assert time.perf_counter() - started < 3.0
        assert c.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> {} }"}).status_code == 400
        assert pool_for(app).isolated is False


def test_a_remote_answer_cut_by_the_servers_own_timeout_is_an_error(
        oxigraph_factory: Callable[..., str], make_app: Callable[..., Flask]) -> None:
    """oxigraph serve --timeout-s answers 200 and then cuts the body: never pass that off as a result."""
    base = oxigraph_factory("--timeout-s", "1")
    with RemoteStore(base) as remote:
        remote.bulk_load(ox.Quad(ox.NamedNode(f"http://meros.test/{i}"), ox.NamedNode("http://meros.test/p"),
                                 ox.Literal(str(i)), ox.NamedNode("http://meros.test/g")) for i in range(400))
        app = make_app(store=remote, STORE=base, SPARQL_TIMEOUT=15)
        heavy = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . FILTER(?b != ?d) }"
        started = time.perf_counter()
        resp = app.test_client().get("/sparql", query_string={"query": heavy})
        assert resp.status_code == 503, resp.data
        message = resp.get_json()["error"]
        assert "incomplete" in message and "Nothing was returned" in message and "cancelled" in message
        assert time.perf_counter() - started < 10
