"""Search at scale: index build time, and /api/search (with facets) and item page latency through HTTP.

The sample collection is replicated to N objects with varied words (Latin,
Cyrillic, Kazakh and Uzbek letters), shifted years and the records' own
scripts, loaded into an embedded store, indexed by `rebuild_index` (what
`meros index` runs), then served by one server process (threads, like
`meros serve`) and queried over HTTP from this process, one request at a time.
The baseline, measured in the same run, is the same question asked of SPARQL
(the pre-index way: a CONTAINS scan for a word, GROUP BY for a facet).

    .venv/bin/python bench/search.py [--objects 100000] [--queries 400] [--keep DIR]

Targets (issue 7, at 1 000 000 objects): index build ≤ 120 s per million;
/api/search with facets p95 ≤ 30 ms; item page p95 ≤ 30 ms.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders.collection import sample_records  # noqa: E402
from ontology.mapping import Uris, record_to_graph  # noqa: E402
from ontology.record import Record, Text  # noqa: E402
from ontology.rights import decide  # noqa: E402
from portal.search import index_location, rebuild_index  # noqa: E402
from sparql.queries import named_query  # noqa: E402
from sparql.store import open_store  # noqa: E402

BASE = "http://127.0.0.1:5000"
# The word search as SPARQL can answer it without an index: a scan of every title, counted.
WORD_BASELINE = """PREFIX dc: <http://purl.org/dc/elements/1.1/>
SELECT (COUNT(DISTINCT ?cho) AS ?n) WHERE { ?cho dc:title ?t FILTER(CONTAINS(LCASE(STR(?t)), "journal")) }"""
SYLLABLES = ["qa", "ra", "söz", "der", "kun", "lar", "o‘t", "kan", "ke", "cha", "кун", "дуз", "қа", "ра", "ө", "лең",
             "жол", "ша", "мар", "car", "te", "nou", "vel", "le", "jour", "nal", "gé", "né", "ral", "is", "то", "ри",
             "ya", "ğa", "ñ", "ü", "ş", "ob", "ru", "bek", "tash", "ken", "sam", "ar", "qand", "бұ", "хо", "ро"]


def vocabulary(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    words = set()
    while len(words) < n:
        words.add("".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))))
    return sorted(words)


def replicated_records(n: int, words: list[str], seed: int = 11):  # type: ignore[no-untyped-def]
    """N distinct records: the samples with new ids, extra words in their titles and shifted years."""
    records = [r for r in sample_records() if isinstance(r, Record)]
    rnd = random.Random(seed)
    for i in range(n):
        r = records[i % len(records)]
        shift = (i // len(records)) % 300
        extra = " ".join(rnd.choice(words) for _ in range(2))
        yield replace(
            r, local_id=f"{r.local_id}-r{i}", titles=[Text(f"{t.value} {extra}", t.lang) for t in r.titles[:1]]
            + list(r.titles[1:]),
            year_from=None if r.year_from is None else r.year_from - shift,
            year_to=None if r.year_to is None else r.year_to - shift,
            date=None if r.year_from is None else str(r.year_from - shift),
            images=[img for img in r.images if not img.local_path])


def build_store(path: Path, n: int, words: list[str]) -> float:
    from pyoxigraph import Quad

    start = time.perf_counter()
    uris = Uris(BASE)
    with open_store(str(path)) as store:
        batch: list[Quad] = []
        for r in replicated_records(n, words):
            g, triples = record_to_graph(r, decide(r, "KZ"), uris, generated_at="2026-11-24T00:00:00Z")
            batch.extend(Quad(t.subject, t.predicate, t.object, g) for t in triples)
            if len(batch) > 500_000:
                store.bulk_load(batch)
                batch = []
        if batch:
            store.bulk_load(batch)
        store.optimize()  # as `meros load` does after bulk loading
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVER = """
import sys
from werkzeug.serving import make_server
from portal.app import create_app
app = create_app({"STORE": sys.argv[1], "BASE_URL": "%s", "SECRET_KEY": "bench"})
make_server("127.0.0.1", int(sys.argv[2]), app, threaded=True).serve_forever()
""" % BASE


def start_server(store: Path, root: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    log = open(store.parent / "server.log", "wb")  # a file, not a pipe: the request log must never block the server
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(store), str(port)], cwd=str(root),
                            stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server failed: {(store.parent / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def timed_gets(port: int, paths: list[str]) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    out = []
    for path in paths:
        t = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        out.append((time.perf_counter() - t) * 1000)
        if resp.status != 200:
            raise SystemExit(f"{path}: HTTP {resp.status}")
    conn.close()
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(label: str, ms: list[float], target: float | None = None) -> None:
    p50, p95 = statistics.median(ms), pct(ms, 95)
    verdict = "" if target is None else ("  ✔ target ≤ %.0f ms" % target if p95 <= target else "  ✘ target ≤ %.0f ms" % target)
    print(f"{label:<52} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  max {max(ms):8.2f} ms  (n={len(ms)}){verdict}", flush=True)


def search_paths(words: list[str], n: int, seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    fixed = ["Qara sözder", "Ўткан кунлар", "O'tkan kunlar", "Kecha va kunduz", "petit journal", "carte", "journal*",
             '"Le Petit journal"', "истории", "Navoiy", "map of the city"]
    out = []
    for i in range(n):
        params: dict[str, str] = {"q": fixed[i % len(fixed)] if i % 3 == 0 else " ".join(
            rnd.choice(words) for _ in range(rnd.randint(1, 2)))}
        if i % 4 == 1:
            params["type"] = rnd.choice(["TEXT", "IMAGE"])
        if i % 5 == 2:
            params["rights"] = "open"
        if i % 6 == 3:
            params["sort"] = rnd.choice(["date", "-date", "title"])
        if i % 7 == 4:
            params["from"], params["to"] = "1500", "1900"
        if i % 9 == 5:
            params.pop("q")
            params["provider"] = rnd.choice(["gallica", "curated", "loc", "harvard"])
        out.append("/api/search?" + urlencode(params))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--objects", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--keep", type=Path, help="reuse (or leave) the store and index in this folder")
    args = ap.parse_args()
    root = Path(__file__).resolve().parents[1]
    work = args.keep or Path(tempfile.mkdtemp(prefix="meros-bench-search-"))
    store_path = work / f"store-{args.objects}"
    settings = {"STORE": str(store_path), "INDEX": "", "BASE_URL": BASE}
    words = vocabulary(20_000)
    print(f"Search benchmark: {args.objects} objects, {args.queries} queries, in {work}", flush=True)
    try:
        if not (store_path / "CURRENT").exists():
            secs = build_store(store_path, args.objects, words)
            print(f"{'store built (map + bulk load + optimize; not a target)':<52} {secs:8.1f} s", flush=True)
        with open_store(str(store_path)) as store:
            load = os.getloadavg()[0]  # another job on the same cores shows in the figures: say so beside them
            n, secs = rebuild_index(settings, store)
            per_million = secs * 1_000_000 / max(n, 1)
            size = sum(f.stat().st_size for f in index_location(settings).rglob("*") if f.is_file()) / 1e6
            mark = "✔" if per_million <= 120 else "✘"
            print(f"{'index build (rebuild_index = meros index)':<52} {secs:8.1f} s  {n / secs:9.0f} obj/s  "
                  f"{per_million:6.1f} s per million  {mark} target ≤ 120 s  ({size:.0f} MB; {os.cpu_count()} cores, "
                  f"load {load:.2f} before)", flush=True)
            # Baseline: the same questions asked of SPARQL, as the portal did before the index.
            t = time.perf_counter()
            store.query(WORD_BASELINE)
            sparql_word = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            store.query(named_query("counts_by_type"))
            sparql_facet = (time.perf_counter() - t) * 1000
        print(f"{'baseline: SPARQL word count (CONTAINS scan), 1 query':<52} {sparql_word:9.1f} ms", flush=True)
        print(f"{'baseline: SPARQL one facet (count by type)':<52} {sparql_facet:9.1f} ms", flush=True)

        proc, port = start_server(store_path, root)
        try:
            paths = search_paths(words, args.queries)
            timed_gets(port, paths[:20])  # warm the process (imports, first searcher)
            api = timed_gets(port, paths)
            report("/api/search with 6 facets, varied queries (cold)", api, 30)
            report("/api/search again (facets cached per query)", timed_gets(port, paths), 30)
            html = timed_gets(port, [p.replace("/api/search", "/search") for p in paths[: args.queries // 2]])
            report("/search HTML page", html)
            rnd = random.Random(5)
            records = [r for r in sample_records() if isinstance(r, Record)]
            item_paths = []
            for _ in range(args.queries):
                i = rnd.randrange(args.objects)
                item_paths.append(f"/item/{replace(records[i % len(records)], local_id=records[i % len(records)].local_id + f'-r{i}').id}")
            items = timed_gets(port, item_paths)
            report("/item/{id} page, random objects", items, 30)
            print(f"{'ratio: SPARQL word search / index p50':<52} {sparql_word / statistics.median(api):9.0f}×", flush=True)
            print(f"{'ratio: SPARQL one facet / index 6 facets + page p50':<52} "
                  f"{sparql_facet / statistics.median(api):9.0f}×", flush=True)
        finally:
            proc.terminate()
            proc.wait(20)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
