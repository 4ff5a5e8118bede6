"""The map pool (`parallel.premap_stream`): a long load's records mapped in worker processes land exactly as
records mapped here, in order, with rejects, deletions and checkpoint marks kept in their place."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from loaders import parallel
from loaders.base import Rejected
from loaders.checkpoint import Deleted, Mark
from loaders.collection import sample_records
from loaders.mapped import Mapped, MapSpec, mapped
from loaders.runner import LoadReport, load_records
from ontology.mapping import Uris
from ontology.record import Record, Text
from sparql.store import open_store

from ..harvest.conftest import BASE, state

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
SPEC = MapSpec.of(Uris(BASE), "KZ", NOW)


def _records() -> list[Record]:
    return [r for r in sample_records() if isinstance(r, Record) and not any(i.local_path for i in r.images)][:40]


def _stream(records: list[Record]) -> list[Record | Rejected | Deleted | Mark]:
    """Records with a reject, a deletion, a record that cannot be mapped and a mark every seventh item."""
    items: list[Record | Rejected | Deleted | Mark] = []
    for i, record in enumerate(records, 1):
        items.append(record)
        if i == 5:
            items.append(Rejected("test:bad", "unreadable", "<raw/>"))
        if i == 9:
            items.append(replace(record, titles=[Text("")], local_id=record.local_id + "-untitled"))  # no title
        if i == 12:
            items.append(Deleted(records[2].id, "test:deleted"))
        if i % 7 == 0:
            items.append(Mark({"item": i}))
    return items


def test_the_pool_hands_on_what_mapping_here_gives_in_order() -> None:
    items = _stream(_records())
    first = [i for i in items if isinstance(i, Record)][:3]  # before the pool starts, records go on as they are
    here = [SPEC.premap(i) if isinstance(i, Record) and i not in first else i for i in items]
    there = list(parallel.premap_stream(items, SPEC, start_after=3, workers=2))
    assert len(there) == len(here)
    pooled = 0
    for a, b in zip(here, there):
        assert type(a) is type(b)
        if isinstance(a, Mapped):
            assert (a.graph, a.ntriples, a.hash) == (b.graph, b.ntriples, b.hash)  # type: ignore[union-attr]
            pooled += 1
        else:
            assert a == b
    assert pooled > 30
    rejected = [i for i in there if isinstance(i, Rejected)]
    assert [r.source_url for r in rejected][0] == "test:bad" and len(rejected) == 2  # the untitled record too


def test_a_short_load_never_starts_the_pool() -> None:
    items = _stream(_records())
    out = list(parallel.premap_stream(items, SPEC, start_after=len(items) + 1, workers=2))
    assert out == items  # records are handed on as they are, to be mapped by the load itself


def test_a_failing_source_still_hands_on_what_came_before() -> None:
    records = _records()

    def source() -> Iterator[Record | Mark]:
        yield from records[:20]
        yield Mark({"item": 20})
        yield records[20]
        raise OSError("connection reset")

    out: list[object] = []
    with pytest.raises(OSError, match="connection reset"):
        for item in parallel.premap_stream(source(), SPEC, start_after=2, workers=1):
            out.append(item)
    assert len(out) == 22 and out[20] == Mark({"item": 20})
    assert all(isinstance(i, Mapped) for i in out[2:20]) and isinstance(out[21], Mapped)


def test_a_load_with_the_pool_ends_in_the_store_a_load_without_it_leaves(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    items = _stream(_records())

    def load(location: Path) -> tuple[dict[str, int], list[int], list[str]]:
        marks: list[int] = []
        with open_store(str(location)) as store:
            def stored_before_mark(mark: Mark, report: LoadReport) -> None:
                before = items[:items.index(mark)]
                deleted = {SPEC.uris.graph(d.object_id).value for d in before if isinstance(d, Deleted)}
                expected = {SPEC.uris.graph(r.id).value for r in before if isinstance(r, Record) and r.titles[0].value}
                stored = {row["g"].value for row in  # type: ignore[union-attr]
                          store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)}
                assert expected - deleted <= stored, f"mark {mark.cursor} reported before its records were stored"
                marks.append(int(mark.cursor["item"]))
            report = load_records(store, items, uris=SPEC.uris, jurisdiction="KZ", batch_size=6, now=NOW,
                                  on_mark=stored_before_mark)
            return report.counts(), marks, state(store)

    monkeypatch.setattr(parallel, "POOL_FROM", 10**9)
    without = load(tmp_path / "without")
    monkeypatch.setattr(parallel, "POOL_FROM", 3)
    monkeypatch.setattr(parallel, "MAP_CHUNK", 4)
    with_pool = load(tmp_path / "with")
    assert without[0] == with_pool[0] and without[0]["rejected"] == 2 and without[0]["deleted"] == 1
    assert without[1] == with_pool[1] == list(range(7, 41, 7))
    assert without[2] == with_pool[2] and len(without[2]) > 1000
