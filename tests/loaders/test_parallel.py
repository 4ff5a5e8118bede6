"""Parsing files in worker processes gives what parsing them here gives: same items, same order, same failures."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import parallel
from loaders.base import Parser, Rejected
from loaders.edm import parse_edm
from loaders.marc import parse_marc
from loaders.mods import parse_mods
from loaders.parallel import Parsed, Unit, parse_files
from ontology.record import Record

FIXTURES = Path(__file__).parents[1] / "fixtures"
FILES = FIXTURES / "recorded" / "files"
MALFORMED = FIXTURES / "malformed"


def units(paths: list[Path]) -> list[Unit]:
    return [(p.as_uri(), p.read_bytes) for p in paths]


def outcome(parsed: list[Parsed]) -> list[tuple[list[object], object]]:
    out = []
    for p in parsed:
        items = list(p.items)  # a streamed file's failure is known once its items are read
        out.append((items, p.failure))
    return out


CASES = {
    "marc": (parse_marc, [*sorted(p for p in (FILES / "marc").rglob("*") if p.is_file()),
                          MALFORMED / "marc_rkp_cp1251_third_record_truncated.mrc",
                          MALFORMED / "marc_rsl_01002988236_marc21_truncated.mrc"]),
    "mods": (parse_mods, [*sorted((FILES / "mods").rglob("*.xml")), MALFORMED / "mods_stanford_suez_truncated.xml",
                          MALFORMED / "mods_harvard_lughat_without_recordinfo.xml"]),
    "edm": (parse_edm, [MALFORMED / "edm_rijksmuseum_truncated.xml", *sorted((FILES / "edm").rglob("*.xml")),
                        MALFORMED / "html_error_page_503.html"]),
}


@pytest.mark.parametrize("name", CASES)
def test_workers_give_what_this_process_gives(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    parser, paths = CASES[name]
    monkeypatch.setattr(parallel, "GROUP_FILES", 2)  # several groups: their order must hold
    here = outcome(list(parse_files(parser, units(paths), workers=0)))
    there = outcome(list(parse_files(parser, units(paths), workers=2)))
    assert there == here
    assert any(isinstance(item, Record) for items, _ in here for item in items)
    assert any(failure is not None or any(isinstance(item, Rejected) for item in items) for items, failure in here)


def test_a_large_file_is_streamed_here_in_its_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over STREAM_FROM is parsed in this process between the groups before and after it."""
    parser: Parser = parse_marc
    paths = sorted(p for p in (FILES / "marc").rglob("*") if p.is_file())
    big = max(paths, key=lambda p: p.stat().st_size)
    monkeypatch.setattr(parallel, "STREAM_FROM", big.stat().st_size)
    monkeypatch.setattr(parallel, "GROUP_FILES", 3)
    parsed = list(parse_files(parser, units(paths), workers=2))
    kinds = [type(p.items).__name__ for p in parsed]
    assert kinds[paths.index(big)] == "generator" and kinds.count("generator") == 1
    assert outcome(parsed) == outcome(list(parse_files(parser, units(paths), workers=0)))


def test_few_files_are_parsed_here() -> None:
    assert parallel.worker_count(parallel.PARALLEL_FROM - 1) == 0
    assert parallel.worker_count(parallel.PARALLEL_FROM) != 1  # one core: no worker; more: one per core


def test_workers_map_as_the_load_would() -> None:
    """Given how the load maps (`MapSpec`), workers send back graphs: the same bytes, hash and triples as mapping
    here, and the triples (not sent) remade from the text."""
    from datetime import datetime, timezone

    from loaders.mapped import Mapped, MapSpec, mapped
    from ontology.mapping import Uris

    spec = MapSpec.of(Uris("http://127.0.0.1:5000"), "KZ", datetime(2026, 1, 1, tzinfo=timezone.utc))
    parser, paths = CASES["marc"]
    here = [item for p in parse_files(parser, units(paths), workers=0) for item in p.items]
    there = [item for p in parse_files(parser, units(paths), workers=2, mapping=spec) for item in p.items]
    assert len(here) == len(there)
    records = 0
    for a, b in zip(here, there):
        if isinstance(a, Rejected):
            assert b == a
            continue
        records += 1
        assert isinstance(b, Mapped) and b._triples is None  # only the text crossed over
        expected = mapped(*spec.graph(a), a.source_url)
        assert (b.graph, b.ntriples, b.hash, b.source_url) == (expected.graph, expected.ntriples, expected.hash,
                                                                a.source_url)
        assert set(b.triples) == set(expected.triples) and len(b.triples) == len(expected.triples)
        assert b.stored_triples()[-1].object.value == b.hash
    assert records > 10


def test_records_with_local_scans_are_left_to_the_load() -> None:
    """The load copies local masters before mapping, so a worker does not map such a record."""
    from dataclasses import replace

    from loaders.mapped import MapSpec
    from ontology.mapping import Uris
    from ontology.record import Image

    first = sorted((FILES / "mods").rglob("*.xml"))[0]
    [record] = [item for p in parse_files(parse_mods, units([first]), workers=0) for item in p.items]
    spec = MapSpec.of(Uris("http://127.0.0.1:5000"), "KZ")
    scanned = replace(record, images=[Image(local_path="/tmp/scan.tif")])
    assert spec.premap(scanned) is scanned
    assert spec.premap(record).hash  # type: ignore[union-attr]


def _thresholds(data: bytes, url: str, provider: str | None = None) -> list[Rejected]:
    """A parser that tells which collector thresholds its process has (in a worker: the pool's)."""
    import gc

    return [Rejected(url, repr(gc.get_threshold()), "")]


def test_loads_collect_garbage_less_often_and_put_the_thresholds_back(tmp_path: Path) -> None:
    """Workers and the loading process use `LOAD_GC` while a load runs; afterwards this process has its own
    thresholds again, even when the load fails."""
    import gc

    from loaders.checkpoint import Mark
    from loaders.runner import load_records
    from ontology.mapping import Uris
    from sparql.store import open_store

    workers = [p.items for p in parse_files(_thresholds, [(f"t:{i}", bytes) for i in range(3)], workers=2)]
    assert {item.reason for items in workers for item in items} == {repr(parallel.LOAD_GC)}
    before = gc.get_threshold()
    assert before != parallel.LOAD_GC
    during = []

    def items() -> object:
        yield Mark({"n": 1})
        during.append(gc.get_threshold())
        raise RuntimeError("the source failed")

    with open_store(str(tmp_path / "store")) as store, pytest.raises(RuntimeError, match="source failed"):
        load_records(store, items(), uris=Uris("http://127.0.0.1:5000"), jurisdiction="KZ")
    assert during == [parallel.LOAD_GC] and gc.get_threshold() == before
