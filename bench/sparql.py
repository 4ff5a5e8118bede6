"""The public SPARQL endpoint against its baselines, measured in one run.

On the sample collection replicated to N objects (default 100 000):
  1. median latency of every example query through the endpoint (Flask view → guard → worker pool →
     capped serialisation) vs pyoxigraph called directly in this process (query + JSON), with the
     overhead in ms and the ratio (targets: ≤ 1 ms per query, or ≤ 1.2× on slow ones);
  2. the same examples with rdflib's in-memory SPARQL on a slice of 10 000 objects vs the endpoint on
     the same slice (the ratio);
  3. the cost of the time-limit mechanism on a trivial query (target ≤ 5 ms), the stop precision of a
     long query, the respawn time, the snapshot a new data generation costs, and the lexical guard.

    .venv/bin/python bench/sparql.py [--objects 100000] [--slice 10000] [--rdflib-cap 60]
"""
from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyoxigraph as ox  # noqa: E402

from loaders.collection import sample_records  # noqa: E402
from loaders.runner import RejectLog, load_records  # noqa: E402
from ontology.mapping import Uris  # noqa: E402
from sparql.endpoint import close_pool, examples, pool_for  # noqa: E402
from sparql.guard import analyse, check  # noqa: E402
from sparql.protocol import Job  # noqa: E402
from sparql.store import open_store  # noqa: E402

BASE = "http://127.0.0.1:5000"
OBJECT_IRI = re.compile(rb"(<" + re.escape(BASE.encode()) + rb"/(?:id|graph)/)([a-z0-9]+-[a-z0-9-]+)")


def sample_nquads(tmp: Path) -> tuple[bytes, int]:
    """The bundled collection loaded through the runner, as N-Quads, and its object count."""
    store = open_store(str(tmp / "sample"))
    report = load_records(store, sample_records(), uris=Uris(BASE), jurisdiction="KZ", images_dir=tmp / "images",
                          rejects=RejectLog(None))
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)
    quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[index,union-attr,arg-type]
    store.close()
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS), report.loaded


def build(path: Path, nquads: bytes, per_copy: int, objects: int) -> ox.Store:
    """`objects` objects: copies of the sample with new ids (agents, places, concepts stay shared, as in life)."""
    store = ox.Store(str(path))
    copies = -(-objects // per_copy)
    for k in range(copies):
        body = OBJECT_IRI.sub(rb"\1\2-r" + str(k).encode(), nquads) if k else nquads
        store.bulk_load(body, ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    return store


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def runs_for(first_ms: float) -> int:
    return 31 if first_ms < 20 else 11 if first_ms < 200 else 5 if first_ms < 2000 else 3


def endpoint_app(store_path: Path, timeout: float):  # type: ignore[no-untyped-def]
    from portal.app import create_app

    store = open_store(str(store_path))
    app = create_app({"STORE": str(store_path), "BASE_URL": BASE, "SECRET_KEY": "bench", "SPARQL_TIMEOUT": timeout,
                      "IMAGES": str(store_path.parent / "images")}, store=store)
    return app, store


def compare_direct(store: ox.Store, app, label: str) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    print(f"\n== example queries on {label}: endpoint vs pyoxigraph directly (median ms) ==")
    print("   pool = the time-limit mechanism alone (worker process, pipe, capped serialisation);")
    print("   endpoint = the whole /sparql view through Flask's test client (no socket)")
    print(f"{'query':38} {'rows':>6} {'direct':>9} {'pool':>9} {'endpoint':>9} {'overhead':>9} {'ratio':>6}")
    client, pool = app.test_client(), pool_for(app)
    max_rows = app.extensions["meros"].settings["SPARQL_MAX_ROWS"]
    out = []
    for ex in examples():
        graph = analyse(ex.query).is_graph

        def direct() -> bytes:
            result = store.query(ex.query, use_default_graph_as_union=True)
            if graph:
                return ox.serialize(result, format=ox.RdfFormat.TURTLE)  # type: ignore[arg-type]
            return result.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr,no-any-return]

        def through() -> None:
            resp = client.get("/sparql", query_string={"query": ex.query}, headers={"Accept": "*/*"})
            assert resp.status_code == 200, resp.data[:300]

        job = Job(ex.query, "ttl" if graph else "json", graph, max_rows)
        first = median_ms(direct, 1)
        median_ms(through, 1)  # warm: the worker's caches, like the direct store's
        times: dict[str, list[float]] = {"d": [], "p": [], "e": []}
        for _ in range(runs_for(first)):  # interleaved, so drift in machine load hits all three alike
            times["d"].append(median_ms(direct, 1))
            times["p"].append(median_ms(lambda: pool.run(job), 1))
            times["e"].append(median_ms(through, 1))
        d, p, e = (statistics.median(times[k]) for k in "dpe")
        resp = client.get("/sparql", query_string={"query": ex.query}, headers={"Accept": "*/*"})
        print(f"{ex.name[:38]:38} {resp.headers['X-Meros-Rows']:>6} {d:9.2f} {p:9.2f} {e:9.2f} {e - d:9.2f} "
              f"{e / d:6.2f}")
        out.append((ex.name, d, e, p))
    overhead = [e - d for _, d, e, _ in out]
    mechanism = [p - d for _, d, _, p in out]
    slow = [(e / d) for _, d, e, _ in out if d >= 100]
    print(f"median overhead: endpoint {statistics.median(overhead):.2f} ms, pool alone "
          f"{statistics.median(mechanism):.2f} ms (target ≤ 1 ms); slow queries (≥ 100 ms) endpoint/direct: "
          f"{', '.join(f'{r:.2f}' for r in slow) or 'none'} (target ≤ 1.2×)")
    return out


class TooSlow(Exception):
    pass


def rdflib_on_slice(nquads_slice: bytes, endpoint: dict[str, float], cap: float) -> None:
    import rdflib

    print(f"\n== rdflib in-memory SPARQL vs the endpoint on the same slice (median ms; rdflib capped at {cap:g} s) ==")
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ds = rdflib.Dataset(default_union=True)
        ds.parse(data=nquads_slice, format="nquads")
    print(f"rdflib load: {len(ds):,} quads in {time.perf_counter() - started:.1f} s")

    def alarm(*_: object) -> None:
        raise TooSlow

    signal.signal(signal.SIGALRM, alarm)
    print(f"{'query':38} {'endpoint':>9} {'rdflib':>10} {'ratio':>8}")
    ratios = []
    for ex in examples():
        signal.setitimer(signal.ITIMER_REAL, cap)
        started = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                list(ds.query(ex.query))
            took = (time.perf_counter() - started) * 1000
            shown = f"{took:10.1f}"
        except TooSlow:
            took, shown = cap * 1000, f">{cap * 1000:9.0f}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        ratio = took / endpoint[ex.name]
        ratios.append(ratio)
        print(f"{ex.name[:38]:38} {endpoint[ex.name]:9.2f} {shown} {ratio:7.0f}×")
    print(f"rdflib / endpoint: median {statistics.median(ratios):.0f}× (min {min(ratios):.0f}×, max {max(ratios):.0f}×)")


def mechanism(app, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    print("\n== the time-limit mechanism ==")
    pool = pool_for(app)
    direct_store = ox.Store.read_only(str(store_path))
    trivial = "SELECT ?x WHERE { BIND(1 AS ?x) }"
    job = Job(trivial, "json", False, 100000)
    pool.run(job)
    d = median_ms(lambda: direct_store.query(trivial).serialize(format=ox.QueryResultsFormat.JSON), 200)  # type: ignore[union-attr]
    p = median_ms(lambda: pool.run(job), 200)
    client = app.test_client()
    e = median_ms(lambda: client.get("/sparql", query_string={"query": trivial}), 200)
    print(f"trivial query: direct {d:.3f} ms, through the pool {p:.3f} ms (+{p - d:.3f} ms), "
          f"through the endpoint {e:.3f} ms (+{e - d:.3f} ms) — target ≤ 5 ms")
    g = median_ms(lambda: check(examples()[7].query), 2000)
    print(f"lexical guard on an example query: {g * 1000:.1f} µs")

    long_app = app  # the limit is the app's: time a query that would run for minutes
    limit = long_app.extensions["meros"].settings["SPARQL_TIMEOUT"]
    before = set(pool.pids())
    started = time.perf_counter()
    resp = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"})
    stopped = time.perf_counter() - started
    print(f"a cross join stopped after {stopped:.2f} s with a {limit:g} s limit (HTTP {resp.status_code})")
    started = time.perf_counter()
    while len(set(pool.pids()) - before) < 1 or len(pool.pids()) < pool.size:
        time.sleep(0.002)
    print(f"replacement worker ready {1000 * (time.perf_counter() - started):.0f} ms after the 503")
    writer = app.extensions["meros"].store
    g1 = pool.source.current()
    writer.replace_graph(ox.NamedNode(f"{BASE}/graph/bench-new"), [ox.Triple(
        ox.NamedNode(f"{BASE}/id/bench-new"), ox.NamedNode("http://purl.org/dc/elements/1.1/title"), ox.Literal("x"))])
    started = time.perf_counter()
    g2 = pool.source.current()
    print(f"new data generation (checkpoint) after a write: {1000 * (time.perf_counter() - started):.1f} ms "
          f"({g1[2]} → {g2[2]})")
    started = time.perf_counter()
    client.get("/sparql", query_string={"query": trivial})
    print(f"first query on the new generation (workers reopen): {1000 * (time.perf_counter() - started):.1f} ms")
    unchanged = median_ms(pool.source.current, 200)
    print(f"checking for new data on each query: {unchanged * 1000:.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--slice", type=int, default=10_000)
    parser.add_argument("--rdflib-cap", type=float, default=60.0, help="seconds an rdflib query may take")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="meros-bench-sparql-"))
    try:
        started = time.perf_counter()
        nquads, per_copy = sample_nquads(tmp)
        big = build(tmp / "big", nquads, per_copy, args.objects)
        print(f"store: {len(big):,} quads, {args.objects:,} objects ({per_copy} sample objects × "
              f"{-(-args.objects // per_copy)}) built in {time.perf_counter() - started:.0f} s")
        del big  # the app opens it read-write; the direct baseline reads it read-only
        app, store = endpoint_app(tmp / "big", timeout=300)
        direct = ox.Store.read_only(str(tmp / "big"))
        results = compare_direct(direct, app, f"{args.objects:,} objects")
        del direct
        close_pool(app)
        store.close()

        small = build(tmp / "slice", nquads, per_copy, args.slice)
        copies = -(-args.slice // per_copy)
        slice_nquads = b"".join(OBJECT_IRI.sub(rb"\1\2-r" + str(k).encode(), nquads) if k else nquads
                                for k in range(copies))
        del small
        app, store = endpoint_app(tmp / "slice", timeout=300)
        direct = ox.Store.read_only(str(tmp / "slice"))
        sliced = compare_direct(direct, app, f"{args.slice:,} objects")
        del direct
        rdflib_on_slice(slice_nquads, {name: e for name, _, e, _ in sliced}, args.rdflib_cap)
        close_pool(app)
        store.close()

        app, store = endpoint_app(tmp / "slice", timeout=2.0)
        mechanism(app, tmp / "slice")
        close_pool(app)
        store.close()
        print(f"\nexamples run on {args.objects:,} objects: {len(results)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
