"""The rights engine: decisions per second, and `meros rights` over a store of N objects.

Baselines measured in the same run:
- decisions: reading the source's statement alone (what the first, statement-only engine did) and
  mapping a record to its EDM graph (the load's own per-record work);
- recompute: `load_records` of the same N objects into a fresh store (the first load).

    .venv/bin/python bench/rights.py [--objects 10000] [--repeat 20]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders.collection import sample_records  # noqa: E402
from loaders.runner import RejectLog, load_records  # noqa: E402
from ontology.mapping import Uris, record_to_graph  # noqa: E402
from ontology.record import Record  # noqa: E402
from ontology.rights import decide, source_of, statement_of  # noqa: E402
from portal.commands.rights import recompute  # noqa: E402
from sparql.store import open_store  # noqa: E402

BASE = "http://127.0.0.1:5000"


def records(n: int) -> list[Record]:
    """N distinct objects: the sample records with new ids and shifted years (no local scans)."""
    base = [r for r in sample_records() if isinstance(r, Record)]
    out = []
    for i in range(n):
        r = base[i % len(base)]
        shift = (i // len(base)) % 120
        out.append(replace(
            r, local_id=f"{r.local_id}-r{i}", images=[img for img in r.images if not img.local_path],
            year_from=None if r.year_from is None else r.year_from - shift,
            year_to=None if r.year_to is None else r.year_to - shift,
            creators=[replace(a, death=None if a.death is None else a.death - shift) for a in r.creators]))
    return out


def rate(label: str, count: int, seconds: float, unit: str) -> float:
    per_s = count / seconds
    print(f"  {label:<44} {per_s:>12,.0f} {unit}/s   ({seconds:.2f} s)")
    return per_s


def time_it(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench_decisions(sample: list[Record], repeat: int) -> None:
    n = len(sample) * repeat
    uris = Uris(BASE)
    decision = decide(sample[0], "KZ", 2026)
    print(f"Decisions over {len(sample)} records × {repeat}:")
    base = rate("source statement only (baseline)", n,
                time_it(lambda: [statement_of(source_of(r)) for _ in range(repeat) for r in sample]), "records")
    mapping = rate("record → EDM graph (baseline)", n, time_it(lambda: [
        record_to_graph(r, decision, uris, generated_at="2026-01-01T00:00:00Z") for _ in range(repeat) for r in sample]),
        "records")
    for code in ("KZ", "UZ", "RU", "FR", "US"):
        full = rate(f"decide(record, {code!r}, 2026)", n,
                    time_it(lambda: [decide(r, code, 2026) for _ in range(repeat) for r in sample]), "records")
        print(f"  {'':<44} ratio: {base / full:.1f}× the statement-only time, "
              f"{mapping / full:.2f}× the mapping time")


def bench_recompute(n: int) -> None:
    objects = records(n)
    tmp = Path(tempfile.mkdtemp(prefix="meros-bench-rights-"))
    uris = Uris(BASE)
    try:
        with open_store(str(tmp / "store")) as store:
            print(f"A store of {n} objects (embedded):")
            load_s = time_it(lambda: load_records(store, objects, uris=uris, jurisdiction="KZ",
                                                  rejects=RejectLog(None)))
            load = rate("load_records, first load (baseline)", n, load_s, "objects")
            for label, year, jurisdiction in (("meros rights, nothing changes", None, "KZ"),
                                              ("meros rights --year 2032", 2032, "KZ"),
                                              ("meros rights --jurisdiction RU", 2026, "RU")):
                report = None

                def run() -> None:
                    nonlocal report
                    report = recompute(store, uris, jurisdiction, year or time.localtime().tm_year)

                seconds = time_it(run)
                per_s = rate(label, n, seconds, "objects")
                assert report is not None
                print(f"  {'':<44} {report.changed} graphs rewritten; ratio: {seconds / load_s:.2f}× the load "
                      f"time ({per_s / load:.2f}× its rate)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--objects", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args()
    bench_decisions([r for r in sample_records() if isinstance(r, Record)], args.repeat)
    bench_recompute(args.objects)


if __name__ == "__main__":
    main()
