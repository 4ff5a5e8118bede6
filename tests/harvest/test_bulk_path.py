"""The runner's bulk path for large first loads: same store as the transactional path, and safe to interrupt."""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, Quad

from loaders.marc import parse_marc
from loaders.runner import load_records
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
