"""The runner's bulk path for large first loads: same store as the transactional path, and safe to interrupt."""
from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Triple

from loaders.checkpoint import Mark
from loaders.marc import parse_marc
from loaders.runner import LoadReport, load_records
from ontology.errors import StoreError
from ontology.mapping import Uris, record_to_graph
from ontology.record import Record
from ontology.rights import decide
from ontology.vocab import NS
from sparql.store import open_store

from .conftest import BASE, RECORDED, state

MARC = RECORDED / "files" / "marc"


def _records() -> list[Record]:
    out = []
    for path in sorted(MARC.rglob("*")):
        if path.is_file():
            out += [r for r in parse_marc(path.read_bytes(), path.as_uri()) if isinstance(r, Record)]
    return out


def _load(location: Path, bulk_from: int) -> list[str]:
    with open_store(str(location)) as store:
        report = load_records(store, _records(), uris=Uris(BASE), jurisdiction="KZ", bulk_from=bulk_from)
        assert report.loaded == 16 and report.rejected == 0
        assert report.bulk_loaded == (16 if bulk_from <= 16 else 0)
        return state(store)


def test_the_bulk_path_stores_what_the_transactional_path_stores(tmp_path: Path) -> None:
    assert _load(tmp_path / "bulk", bulk_from=2) == _load(tmp_path / "replace", bulk_from=10**9)


def test_graphs_a_killed_bulk_load_left_without_hashes_are_rewritten(tmp_path: Path) -> None:
    """A bulk load killed before the hashes were written leaves graphs without them (and maybe from an older
    version of the record): the next run must not trust them, and ends in the store a clean run leaves."""
    expected = _load(tmp_path / "clean", bulk_from=10**9)
    uris = Uris(BASE)
    half = []
    for record in _records()[:3]:
        g, triples = record_to_graph(record, decide(record, "KZ"), uris, generated_at="2020-01-01T00:00:00Z")
        half += [Quad(t.subject, t.predicate, t.object, g) for t in triples]
        half.append(Quad(uris.cho(record.id), NS.dc.title, Literal("an older title"), g))  # stale content
    with open_store(str(tmp_path / "crashed")) as store:
        store.bulk_load(half)
        assert not store.query("ASK { GRAPH ?g { ?g <https://w3id.org/meros/ontology#contentHash> ?h } }")
        load_records(store, _records(), uris=uris, jurisdiction="KZ", bulk_from=2)
        assert state(store) == expected
        assert not store.query("ASK { ?s ?p \"an older title\" }")


def _with_marks(records: list[Record], every: int) -> list[Record | Mark]:
    items: list[Record | Mark] = []
    for i, record in enumerate(records, 1):
        items.append(record)
        if i % every == 0:
            items.append(Mark({"item": i}))
    return items


def test_a_load_in_many_batches_stores_what_one_batch_stores(tmp_path: Path) -> None:
    """The writer thread stores batch after batch while the next is mapped: small batches, with and without the
    bulk path, end in the store one batch leaves, and a mark is reported only once its records are stored."""
    expected = _load(tmp_path / "one", bulk_from=10**9)
    records = _records()
    for bulk_from in (2, 10**9):
        seen: list[int] = []
        with open_store(str(tmp_path / f"many-{bulk_from}")) as store:
            def stored_before_mark(mark: Mark, report: LoadReport) -> None:
                done = int(mark.cursor["item"])
                ids = {r.id for r in records[:done]}
                stored = {row["g"].value.rsplit("/", 1)[-1]  # type: ignore[union-attr]
                          for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
                assert ids <= stored, f"mark {done} reported before its records were stored"
                assert report.loaded == len(ids)
                seen.append(done)

            report = load_records(store, _with_marks(records, 3), uris=Uris(BASE), jurisdiction="KZ",
                                  batch_size=2, bulk_from=bulk_from, on_mark=stored_before_mark)
            assert (report.loaded, report.rejected) == (16, 0)
            assert seen == list(range(3, len(records) + 1, 3)) and len(seen) >= 5
            assert state(store) == expected


def test_a_write_that_fails_stops_the_load_with_its_error(tmp_path: Path) -> None:
    """A failure in the writer thread reaches the caller, and no later mark is reported as stored."""
    marks: list[int] = []
    with open_store(str(tmp_path / "store")) as store:
        def close_after_first(mark: Mark, report: LoadReport) -> None:
            marks.append(int(mark.cursor["item"]))
            store.close()  # the next batch's write fails: the store is closed

        with pytest.raises(StoreError, match="closed"):
            load_records(store, _with_marks(_records(), 4), uris=Uris(BASE), jurisdiction="KZ", batch_size=4,
                         on_mark=close_after_first)
    assert marks == [4]


def test_a_first_load_that_meets_a_record_again_replaces_it(tmp_path: Path) -> None:
    """On an empty store the writer looks up only graphs this load wrote: a record met again in a later batch,
    changed, still replaces its first version (no union of both), through either write path."""
    from dataclasses import replace

    from ontology.record import Text

    records = _records()
    changed = replace(records[0], titles=[Text("A later version of the record")])
    for bulk_from in (2, 10**9):
        with open_store(str(tmp_path / f"again-{bulk_from}")) as store:
            report = load_records(store, [*records, changed], uris=Uris(BASE), jurisdiction="KZ", batch_size=4,
                                  bulk_from=bulk_from)
            with open_store(str(tmp_path / f"looked-up-{bulk_from}")) as looked_up:  # not empty: every graph looked up
                seed = NamedNode(f"{BASE}/graph/seed")
                looked_up.replace_graph(seed, [Triple(seed, NS.meros.loader, Literal("test"))])
                expected = load_records(looked_up, [*records, changed], uris=Uris(BASE), jurisdiction="KZ",
                                        batch_size=4, bulk_from=bulk_from)
            assert report.counts() == expected.counts() and report.replaced >= 1
            titles = store.query(f"SELECT ?t WHERE {{ GRAPH ?g {{ <{BASE}/id/{records[0].id}> "
                                 "<http://purl.org/dc/elements/1.1/title> ?t } }", union_default_graph=False)
            assert [row["t"].value for row in titles] == ["A later version of the record"]  # type: ignore[union-attr,index]
            with open_store(str(tmp_path / f"once-{bulk_from}")) as once:
                load_records(once, [*records[1:], changed], uris=Uris(BASE), jurisdiction="KZ")
                assert state(store) == state(once)


HASH = "https://w3id.org/meros/ontology#contentHash"


def _hashed(store) -> set[str]:  # type: ignore[no-untyped-def]
    rows = store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?g <{HASH}> ?h }} }}", union_default_graph=False)
    return {row["g"].value.rsplit("/", 1)[-1] for row in rows}


def _stored(store) -> set[str]:  # type: ignore[no-untyped-def]
    rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)
    return {row["g"].value.rsplit("/", 1)[-1] for row in rows}


def test_marks_wait_for_the_content_hashes_of_the_bulk_loaded_graphs(tmp_path: Path) -> None:
    """Bulk-loaded graphs' hashes are written several batches at a time; a mark is reported only once every graph
    before it has its hash, with the counts as they were at the mark (those of a load that writes each batch's
    hashes at once), and the store ends as an unbatched load's."""
    records = _records()
    expected = _load(tmp_path / "one", bulk_from=10**9)
    runs: dict[int, list[tuple[int, int, dict[str, int]]]] = {}  # (mark, graphs stored when reported, counts)
    for every in (6, 0):
        calls = runs[every] = []
        with open_store(str(tmp_path / f"every-{every}")) as store:
            def check(mark: Mark, report: LoadReport) -> None:
                done = int(mark.cursor["item"])
                assert {r.id for r in records[:done]} <= _hashed(store), f"mark {done} passed a graph without its hash"
                calls.append((done, len(_stored(store)), report.counts()))

            report = load_records(store, _with_marks(records, 2), uris=Uris(BASE), jurisdiction="KZ", batch_size=2,
                                  bulk_from=2, hash_every=every, on_mark=check)
            assert report.bulk_loaded >= 10 and _hashed(store) == _stored(store)
            assert state(store) == expected
    assert [c[0] for c in runs[6]] == list(range(2, len(records) + 1, 2))
    assert [c[2] for c in runs[6]] == [c[2] for c in runs[0]]  # each mark's own counts, not the later ones
    assert runs[0][0][1] == 2 and runs[6][0][1] >= 6  # the first mark waited until six graphs' hashes were due


def test_a_record_met_again_or_deleted_while_its_hash_waits(tmp_path: Path) -> None:
    """A graph whose hash is not yet written is still known to this load: met again unchanged it is unchanged,
    changed it is replaced, withdrawn it is deleted — as when every batch's hashes are written at once."""
    from dataclasses import replace
    from datetime import datetime, timezone

    from loaders.checkpoint import Deleted
    from ontology.record import Text

    records = _records()
    items = [*records[:8], records[1], replace(records[0], titles=[Text("A later version")]),
             Deleted(records[2].id, "test:deleted"), *records[8:]]
    results = []
    for every in (10**9, 0):
        with open_store(str(tmp_path / f"every-{every}")) as store:
            report = load_records(store, items, uris=Uris(BASE), jurisdiction="KZ", batch_size=4, bulk_from=2,
                                  hash_every=every, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
            assert _hashed(store) >= _stored(store) - {records[2].id}
            results.append((report.counts(), state(store)))
    assert results[0] == results[1]
    counts = results[0][0]
    assert counts["unchanged"] == 1 and counts["replaced"] >= 1 and counts["deleted"] == 1


def test_a_source_that_fails_keeps_the_hashes_rejects_and_marks_of_what_was_stored(tmp_path: Path) -> None:
    """The source fails mid-load: the graphs already stored get their hashes, their batches' rejects are written
    and their marks reported before the error reaches the caller."""
    from loaders.base import Rejected
    from loaders.runner import RejectLog
    from loaders.harvest import HarvestError

    records = _records()

    def items():  # type: ignore[no-untyped-def]
        yield from records[:4]
        yield Rejected("test:bad", "no title", "<record/>")
        yield Mark({"item": 4})
        yield from records[4:8]
        yield Mark({"item": 8})
        raise HarvestError("the source went away")

    marks: list[int] = []
    log = tmp_path / "rejects.jsonl"
    with open_store(str(tmp_path / "store")) as store:
        with pytest.raises(HarvestError, match="went away"):
            load_records(store, items(), uris=Uris(BASE), jurisdiction="KZ", batch_size=4, bulk_from=2,
                         hash_every=10**9, rejects=RejectLog(log), on_mark=lambda m, r: marks.append(m.cursor["item"]))
        assert _stored(store) == _hashed(store) == {r.id for r in records[:8]}
    assert marks == [4, 8]
    assert log.read_text(encoding="utf-8").count("no title") == 1
