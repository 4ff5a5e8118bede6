"""Ingest speed per source format, against raw pyoxigraph bulk loading of the same triples, in one run.

For each format, N records are replicated from the real samples (each copy with
its own id, so nothing collapses), then:

- ours: parse → map to EDM → store, through `load_records` (the path every
  `meros load` takes: rights, content hashes, named graphs, batches as the
  load command writes them, a writer thread storing one batch while the next
  is mapped) into a fresh on-disk store. File formats (MARC, MARCXML, MODS,
  EDM, IIIF) are read as a folder of files is (`loaders.parallel`: worker
  processes parse and map when there are many); harvested formats page by page;
- raw: the quads our run stored, dumped to N-Quads, bulk-loaded by pyoxigraph
  (`Store.bulk_load`) into another fresh on-disk store.

Neither side includes the compaction (`Store.optimize`) that `meros load` runs
after a bulk load.

It prints records/s and triples/s for both and the ratio (target: ours at
>= 50% of raw bulk-load speed), and the cores each side kept busy (CPU seconds
per second, worker processes included); `--breakdown` adds the parse-only and
parse + map rates to show where the time goes. The machine's speed drifts by
tens of percent within minutes, so one pair of runs can mislead: `--repeat N`
measures both sides N times, alternating which goes first, and reports the run
with the median ratio and the range of ratios.

    .venv/bin/python bench/ingest.py                 # 100 000 records per format
    .venv/bin/python bench/ingest.py --records 5000 --formats marc21,oai_dc
    .venv/bin/python bench/ingest.py --formats marc21,kazneb-html --repeat 3
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from pymarc import MARCReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders import csv as csv_loader  # noqa: E402
from loaders.base import Parser, Rejected  # noqa: E402
from loaders.collection import ROOT as SAMPLES  # noqa: E402
from loaders.edm import parse_edm  # noqa: E402
from loaders.gallica import parse_sru  # noqa: E402
from loaders.harvest import FILE_BATCH  # noqa: E402
from loaders.iiif_manifest import parse_manifest  # noqa: E402
from loaders.kazneb import parse_catalogue  # noqa: E402
from loaders.loc import parse_loc_json  # noqa: E402
from loaders.marc import parse_marc  # noqa: E402
from loaders.mods import parse_mods  # noqa: E402
from loaders.oai import parse_oai_dc, parse_oai_mods  # noqa: E402
from loaders.parallel import Unit, parse_files  # noqa: E402
from loaders.mapped import Mapped, MapSpec  # noqa: E402
from loaders.runner import load_records  # noqa: E402
from ontology.mapping import Uris, record_to_graph  # noqa: E402
from ontology.record import Record  # noqa: E402
from ontology.rights import decide  # noqa: E402
from sparql.store import open_store  # noqa: E402

Doc = tuple[bytes, str]  # (document, source URL)
Items = Callable[[int], Iterator[Record | Rejected]]
KAZNEB = ROOT / "tests" / "fixtures" / "recorded" / "kazneb"
URIS = Uris("http://127.0.0.1:5000")
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
MAPPING = MapSpec.of(URIS, "KZ", NOW)  # what `meros load` hands the file workers: they map as well as parse


def _pages(template: str, per_page: int, n: int, stamp: Callable[[str, int], str]) -> Iterator[str]:
    for page in range((n + per_page - 1) // per_page):
        yield stamp(template, page)


def _cut(records: list[str], head: str, tail: str, n: int, stamp: Callable[[str, int], str]) -> Iterator[str]:
    """Documents of `len(records)` records each until n records: head + the records re-stamped + tail."""
    body = "".join(records)
    for copy in range((n + len(records) - 1) // len(records)):
        yield head + stamp(body, copy) + tail


def _stamper(template: str, key: str) -> Callable[[str], bytes]:
    """Copies of `template` with `key` replaced, joined from pre-encoded parts: making the documents costs next
    to nothing beside parsing them, as reading files does for `meros load`."""
    parts = template.encode().split(key.encode())
    return lambda value: value.encode().join(parts)


def _folder(parser: Parser, units: list[Unit], provider: str | None = None) -> Iterator[Record | Rejected]:
    """Documents read as `meros load` reads a folder of files: by worker processes when there are many."""
    for parsed in parse_files(parser, units, provider=provider, mapping=MAPPING):
        yield from parsed.items
        if parsed.failure is not None:
            yield parsed.failure


def _split(text: str, open_tag: str, close_tag: str) -> tuple[str, list[str], str]:
    first, last = text.index(open_tag), text.rindex(close_tag) + len(close_tag)
    parts = re.findall(re.escape(open_tag) + r".*?" + re.escape(close_tag), text[first:last], re.S)
    return text[:first], parts, text[last:]


def gallica_sru(n: int) -> Iterator[Record | Rejected]:
    text = (SAMPLES / "gallica/sru/sru_petit_journal_brazza_1934.xml").read_text(encoding="utf-8")
    head, records, tail = _split(text, "<srw:record>", "</srw:record>")
    for i, doc in enumerate(_cut(records, head, tail, n, lambda t, c: t.replace("bpt6k", f"bpt{c}k"))):
        yield from parse_sru(doc.encode(), f"bench:gallica/{i}")


def oai_dc(n: int) -> Iterator[Record | Rejected]:
    text = (SAMPLES / "oai_pmh_generic/listrecords_oai_dc_eur_dspace_2003.xml").read_text(encoding="utf-8")
    head, records, tail = _split(text, "<record>", "</record>")
    for i, doc in enumerate(_cut(records, head, tail, n, lambda t, c: t.replace("1765/", f"1765/{c}-"))):
        yield from parse_oai_dc(doc.encode(), f"bench:oai/{i}")


def oai_mods(n: int) -> Iterator[Record | Rejected]:
    text = (SAMPLES / "oai_pmh_generic/listrecords_mods_harvard_librarycloud_botanicals.xml").read_text(encoding="utf-8")
    head, records, tail = _split(text, "<record>", "</record>")
    for i, doc in enumerate(_cut(records, head, tail, n, lambda t, c: t.replace("arn00007", f"arn{c}x"))):
        yield from parse_oai_mods(doc.encode(), f"bench:mods/{i}")


def marc21(n: int) -> Iterator[Record | Rejected]:
    """ISO 2709: MARC 21 and RUSMARC records of the samples, each copy with its own 001."""
    originals = []
    for path in sorted((SAMPLES / "cyrillic_marc").glob("*.mrc")) + sorted((SAMPLES / "cyrillic_marc").glob("*.iso")) \
            + sorted((SAMPLES / "central_asia/marc").glob("*.mrc")):
        if "cp1251" in path.name:
            continue
        with path.open("rb") as fh:
            originals += [r for r in MARCReader(fh, to_unicode=True, force_utf8=True) if r is not None]
    stamps = []
    for rec in originals:  # a same-width 001 keeps the directory's lengths and offsets right
        rec["001"].data = "@@@@@@@"
        stamps.append(rec.as_marc().split(b"@@@@@@@"))
    per_doc = 100

    def doc(first: int) -> bytes:
        copies = range(first, min(n, first + per_doc))
        return b"".join(f"{i:07d}".encode().join(stamps[i % len(stamps)]) for i in copies)
    yield from _folder(parse_marc, [(f"bench:marc/{first}", partial(doc, first)) for first in range(0, n, per_doc)])


def marcxml(n: int) -> Iterator[Record | Rejected]:
    text = (SAMPLES / "loc/marcxml/marcxml_dlc_92005291_sandburg_arithmetic.xml").read_text(encoding="utf-8")
    head, records, tail = _split(text, "<record", "</record>")
    records = [r for r in records if "<controlfield" in r] or records
    def doc(i: int, page: str) -> bytes:
        counter = iter(range(i * 50, i * 50 + 50))
        return re.sub(r'(<controlfield tag="001">)([^<]*)', lambda m: f"{m.group(1)}{next(counter)}", page).encode()
    pages = enumerate(_cut(records * 50, head, tail, n, lambda t, c: t))
    yield from _folder(parse_marc, [(f"bench:marcxml/{i}", partial(doc, i, page)) for i, page in pages])


def mods(n: int) -> Iterator[Record | Rejected]:
    text = (SAMPLES / "mods_generic/mods_stanford_bh691yj7263_suez_map_1857.xml").read_text(encoding="utf-8")
    stamp = _stamper(text[text.index("<mods"):], "bh691yj7263")
    yield from _folder(parse_mods, [(f"bench:mods/{i}", partial(stamp, f"bh{i}yj")) for i in range(n)])


def edm(n: int) -> Iterator[Record | Rejected]:
    text = (SAMPLES / "europeana_edm/edm_rdfxml_90402_BK_1978_399_rijksmuseum_pdm.xml").read_text(encoding="utf-8")
    stamp = _stamper(text, "BK_1978_399")
    yield from _folder(parse_edm, [(f"bench:edm/{i}", partial(stamp, f"BK_{i}")) for i in range(n)], "europeana")


def csv_rows(n: int) -> Iterator[Record | Rejected]:
    rows = list(csv.reader(io.StringIO((SAMPLES / "central_asia/curated/works_kk_uz.csv").read_text(encoding="utf-8"))))
    header, body = rows[0], [r for r in rows[1:] if r]
    key = header.index("key")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for i in range(n):
        row = list(body[i % len(body)])
        row[key] = f"{row[key]}-{i}"
        writer.writerow(row)
    yield from csv_loader.parse_csv(out.getvalue().encode(), "bench:csv")


def loc_json(n: int) -> Iterator[Record | Rejected]:
    entries = [json.loads((SAMPLES / p).read_text(encoding="utf-8")) for p in (
        "loc/json/search_result_item_2013269685_periodical_ottoman.json",
        "loc/json/search_result_item_2018672753_book_ottoman_microfilm.json",
        "central_asia/loc/json/search_result_item_2017498321_persian_manuscript_central_asia_uzbekistan.json")]
    texts = [(json.dumps(e, ensure_ascii=False), e["id"].rstrip("/").rsplit("/", 1)[1]) for e in entries]
    for page in range((n + 99) // 100):
        results = []
        for i in range(page * 100, min(n, page * 100 + 100)):
            text, item_id = texts[i % len(texts)]
            results.append(text.replace(item_id, f"{item_id}{i:06d}"))  # the LCCN and the item URL
        yield from parse_loc_json(('{"results": [' + ",".join(results) + "]}").encode(), f"bench:loc/{page}")


def iiif(n: int) -> Iterator[Record | Rejected]:
    text = (SAMPLES / "central_asia/iiif/manifest_v2_princeton_p00001703h_sharh_muqaddimah_samarqandi_nkc.json") \
        .read_text(encoding="utf-8")
    stamp = _stamper(text, "p00001703h")
    yield from _folder(parse_manifest, [(f"bench:iiif/{i}", partial(stamp, f"p{i}h")) for i in range(n)])


def kazneb(n: int) -> Iterator[Record | Rejected]:
    page = (KAZNEB / "catalogue-ru-1000001.html").read_bytes()
    for i in range(n):
        yield parse_catalogue(page, f"bench:kazneb/{i}", book_id=i)


FORMATS: dict[str, Items] = {
    "gallica-sru": gallica_sru, "oai_dc": oai_dc, "oai-mods": oai_mods, "marc21": marc21, "marcxml": marcxml,
    "mods": mods, "edm": edm, "csv": csv_rows, "loc-json": loc_json, "iiif": iiif, "kazneb-html": kazneb,
}


def measure(name: str, make: Items, n: int, work: Path, breakdown: bool, repeat: int = 1) -> dict[str, float]:
    """Both sides `repeat` times, alternating which goes first (the machine's speed drifts within minutes); the
    run with the median ratio is reported, with the lowest and highest ratio."""
    parse_rps = map_rps = float("nan")
    if breakdown:  # parse only, then parse + map: where the time goes (file formats' workers map too)
        t = time.perf_counter()
        parsed = sum(1 for item in make(n) if isinstance(item, (Record, Mapped)))
        parse_rps = parsed / (time.perf_counter() - t)
        t = time.perf_counter()
        for item in make(n):
            if isinstance(item, Record):
                record_to_graph(item, decide(item, "KZ"), URIS, generated_at=MAPPING.stamp)
        map_rps = parsed / (time.perf_counter() - t)

    dump = work / f"{name}.nq"  # what our first run stored: the raw side's input every time
    runs = []
    for rep in range(repeat):
        if rep % 2 == 0:
            ours = _ours(name, make, n, work, dump)
            raw = _raw(name, dump, work, ours["triples"])
        else:
            raw = _raw(name, dump, work, runs[0]["triples"])
            ours = _ours(name, make, n, work, dump)
        runs.append({**ours, **raw, "parse_rps": parse_rps, "map_rps": map_rps})
    dump.unlink()
    by_ratio = sorted(runs, key=lambda r: r["raw_s"] / r["ours_s"])
    return {**by_ratio[len(runs) // 2], "low": by_ratio[0]["raw_s"] / by_ratio[0]["ours_s"],
            "high": by_ratio[-1]["raw_s"] / by_ratio[-1]["ours_s"]}


def _ours(name: str, make: Items, n: int, work: Path, dump: Path) -> dict[str, float]:
    """parse → map → store into a fresh store, as `meros load` does; its quads go to `dump` the first time."""
    ours_dir = work / f"{name}-ours"
    with open_store(str(ours_dir)) as store:
        t, cpu = time.perf_counter(), _cpu()
        report = load_records(store, make(n), uris=URIS, jurisdiction="KZ", images_dir=work / "images",
                              batch_size=FILE_BATCH, now=NOW)
        ours_s, ours_cpu = time.perf_counter() - t, _cpu() - cpu
        triples = store.count()
    if not dump.exists():
        ox.Store.read_only(str(ours_dir)).dump(str(dump), format=ox.RdfFormat.N_QUADS)
    shutil.rmtree(ours_dir, ignore_errors=True)
    return {"records": report.loaded, "rejected": report.rejected, "triples": triples, "ours_s": ours_s,
            "ours_cpu": ours_cpu}


def _raw(name: str, dump: Path, work: Path, triples: int) -> dict[str, float]:
    """The same quads bulk-loaded by pyoxigraph into a fresh store, from memory (reading them is not timed)."""
    nquads = dump.read_bytes()
    raw_dir = work / f"{name}-raw"
    raw = ox.Store(str(raw_dir))
    t, cpu = time.perf_counter(), _cpu()
    raw.bulk_load(nquads, ox.RdfFormat.N_QUADS)
    raw.flush()
    raw_s, raw_cpu = time.perf_counter() - t, _cpu() - cpu
    assert len(raw) == triples, (len(raw), triples)
    del raw
    shutil.rmtree(raw_dir, ignore_errors=True)
    return {"raw_s": raw_s, "raw_cpu": raw_cpu}


def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes: on two cores, the budget that counts."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument("--formats", default=",".join(FORMATS))
    p.add_argument("--breakdown", action="store_true", help="also time parsing alone and parsing + mapping")
    p.add_argument("--repeat", type=int, default=1,
                   help="measure both sides this many times, alternating which goes first; report the median ratio")
    args = p.parse_args()
    names = [f.strip() for f in args.formats.split(",") if f.strip()]
    print(f"{'format':<12} {'records':>8} {'triples':>9} {'parse r/s':>10} {'map r/s':>9} {'ours r/s':>9} "
          f"{'ours t/s':>9} {'raw t/s':>10} {'ratio':>6} {'ours cpu/s':>10} {'raw cpu/s':>9}"
          + (f" {'ratios':>9}" if args.repeat > 1 else ""))
    ratios = []
    with tempfile.TemporaryDirectory(prefix="meros-bench-") as tmp:
        for name in names:
            r = measure(name, FORMATS[name], args.records, Path(tmp), args.breakdown, args.repeat)
            ours_tps, raw_tps = r["triples"] / r["ours_s"], r["triples"] / r["raw_s"]
            ratios.append(ours_tps / raw_tps)
            print(f"{name:<12} {r['records']:>8.0f} {r['triples']:>9.0f} {r['parse_rps']:>10.0f} {r['map_rps']:>9.0f} "
                  f"{r['records'] / r['ours_s']:>9.0f} {ours_tps:>9.0f} {raw_tps:>10.0f} {ours_tps / raw_tps:>6.0%} "
                  f"{r['ours_cpu'] / r['ours_s']:>10.2f} {r['raw_cpu'] / r['raw_s']:>9.2f}"
                  + (f" {r['low']:>4.0%}–{r['high']:.0%}" if args.repeat > 1 else ""), flush=True)
    print(f"target: ours >= 50% of raw bulk load; worst {min(ratios):.0%}, best {max(ratios):.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
