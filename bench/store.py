"""Bulk load of the sample collection replicated to N objects into each backend.

Prints objects/s and triples/s for each path, and the ratio against
`pyoxigraph.Store.bulk_load` of the same N-Quads in the same run (the floor).

    .venv/bin/python bench/store.py [--objects 100000] [--skip-remote]
"""
from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyoxigraph  # noqa: E402
from pyoxigraph import Quad, RdfFormat  # noqa: E402

from loaders.collection import sample_records  # noqa: E402
from ontology.mapping import Uris, record_to_graph  # noqa: E402
from ontology.record import Record  # noqa: E402
from ontology.rights import decide  # noqa: E402
from sparql.store import open_store  # noqa: E402

BASE = "http://127.0.0.1:5000"


def replicated_graphs(n: int) -> list[tuple[pyoxigraph.NamedNode, list[pyoxigraph.Triple]]]:
    """N distinct objects: the sample records with new ids and shifted years."""
    records = [r for r in sample_records() if isinstance(r, Record)]
    uris, out = Uris(BASE), []
    for i in range(n):
        r = records[i % len(records)]
        shift = (i // len(records)) % 200
        r = replace(r, local_id=f"{r.local_id}-r{i}",
                    year_from=None if r.year_from is None else r.year_from - shift,
                    year_to=None if r.year_to is None else r.year_to - shift,
                    date=None if r.year_from is None else str(r.year_from - shift), images=[
                        img for img in r.images if not img.local_path])
        out.append(record_to_graph(r, decide(r, "KZ"), uris, generated_at="2026-11-24T00:00:00Z"))
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oxigraph_server(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = Path(sys.executable).with_name("oxigraph")
    port = _free_port()
    proc = subprocess.Popen([str(binary if binary.exists() else "oxigraph"), "serve", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "query?query=ASK%7B%7D", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("oxigraph serve did not start")


def timed(label: str, fn, objects: int, triples: int, floor: float | None) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    secs = time.perf_counter() - start
    ratio = f"{secs / floor:6.2f}× floor" if floor else "  (floor)"
    print(f"{label:<44} {secs:8.2f} s {objects / secs:10.0f} obj/s {triples / secs:11.0f} triples/s  {ratio}", flush=True)
    return secs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--objects", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--skip-remote", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    graphs = replicated_graphs(args.objects)
    n_triples = sum(len(t) for _, t in graphs)
    print(f"mapped {args.objects} objects → {n_triples} triples in {time.perf_counter() - t0:.1f} s "
          f"({args.objects / (time.perf_counter() - t0):.0f} obj/s, record → EDM graph)")
    quads = [Quad(t.subject, t.predicate, t.object, g) for g, ts in graphs for t in ts]
    nquads = pyoxigraph.serialize(quads, format=RdfFormat.N_QUADS) or b""

    def batches():  # type: ignore[no-untyped-def]
        for i in range(0, len(graphs), args.batch):
            yield dict(graphs[i:i + args.batch])

    tmp = Path(tempfile.mkdtemp(prefix="meros-bench-"))
    try:
        raw = pyoxigraph.Store(str(tmp / "raw"))
        floor = timed("pyoxigraph.Store.bulk_load (N-Quads bytes)", lambda: raw.bulk_load(nquads, format=RdfFormat.N_QUADS),
                      args.objects, n_triples, None)
        del raw
        with open_store(str(tmp / "emb-bulk")) as store:
            timed("embedded Store.bulk_load", lambda: store.bulk_load(quads), args.objects, n_triples, floor)
            assert store.count() == len(quads)
        with open_store(str(tmp / "emb-replace")) as store:
            timed(f"embedded Store.replace_graphs ({args.batch}/batch)",
                  lambda: [store.replace_graphs(b) for b in batches()], args.objects, n_triples, floor)
            assert store.count() == len(quads)
        if not args.skip_remote:
            for label, run in (("remote Store.bulk_load", lambda s: s.bulk_load(quads)),
                               (f"remote Store.replace_graphs ({args.batch}/batch)",
                                lambda s: [s.replace_graphs(b) for b in batches()])):
                loc = tmp / label.split()[1].replace(".", "")
                proc, url = _oxigraph_server(loc)
                try:
                    with open_store(url) as store:
                        timed(label, lambda: run(store), args.objects, n_triples, floor)
                        assert store.count() == len(quads)
                finally:
                    proc.terminate()
                    proc.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
