"""The bundled sample collection: real records, ≥ 60 objects, all valid EDM, idempotent re-load."""
from __future__ import annotations

import json
from pathlib import Path

from loaders.collection import sample_files, sample_records
from loaders.runner import LoadReport, RejectLog, load_records
from ontology.mapping import Uris
from ontology.validate import validate
from sparql.store import Store, open_store

from .conftest import BASE

EDM = "http://www.europeana.eu/schemas/edm/"


def _object_ids(store: Store) -> list[str]:
    rows = store.query(f"SELECT ?cho WHERE {{ ?cho a <{EDM}ProvidedCHO> }}")
    return sorted(r["cho"].value.rsplit("/id/", 1)[1] for r in rows)  # type: ignore[union-attr,index]


def test_collection_has_at_least_60_real_objects_from_every_kind_of_source(loaded: tuple[Store, LoadReport]) -> None:
    store, report = loaded
    ids = _object_ids(store)
    assert len(ids) >= 60
    assert report.loaded == len(ids)
    providers = {i.split("-", 1)[0] for i in ids}
    assert {"gallica", "loc", "rsl", "nlr", "princeton", "curated", "local"} <= providers, providers


def test_every_sample_file_yields_objects(loaded: tuple[Store, LoadReport]) -> None:
    """No sample file is silently dropped (the SRU zero-result page is the one file that has none)."""
    empty = []
    for path, target, provider in sample_files():
        from loaders.collection import _parser

        items = list(_parser(target)(path.read_bytes(), str(path), provider=provider))
        if not items and "zero_results" not in path.name:
            empty.append(path.name)
    assert not empty


def test_every_object_conforms_to_the_shapes(sample_store: Store) -> None:
    failures = []
    for oid in _object_ids(sample_store):
        rows = sample_store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BASE}/graph/{oid}> {{ ?s ?p ?o }} }}",
                                  union_default_graph=False)
        conforms, report = validate(rows)  # type: ignore[arg-type]
        if not conforms:
            failures.append(f"{oid}: {report[:600]}")
    assert not failures, "\n".join(failures[:5])


def test_rejects_are_written_with_reason_and_raw(sample_dir: Path, loaded: tuple[Store, LoadReport]) -> None:
    _, report = loaded
    path = sample_dir / "rejects.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    assert len(lines) == report.rejected
    for line in lines:
        entry = json.loads(line)
        assert entry["reason"] and "source" in entry and "raw" in entry


def _state(store: Store) -> list[str]:
    """Every quad but the load timestamps, sorted: what a re-load must not change."""
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                       "FILTER(?p != <http://www.w3.org/ns/prov#generatedAtTime>) }", union_default_graph=False)
    return sorted(" ".join(str(r[k]) for k in ("g", "s", "p", "o")) for r in rows)  # type: ignore[union-attr,index]


def test_reloading_the_collection_ends_in_the_same_state(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store")) as store:
        kw = dict(uris=Uris(BASE), jurisdiction="KZ", images_dir=tmp_path / "images", rejects=RejectLog(None))
        first = load_records(store, sample_records(), **kw)  # type: ignore[arg-type]
        before = _state(store)
        second = load_records(store, sample_records(), **kw)  # type: ignore[arg-type]
        assert second.loaded == 0
        assert second.unchanged > first.loaded // 2  # most graphs are not even rewritten
        assert _state(store) == before


def test_local_scans_are_copied_as_untouched_masters(sample_dir: Path, sample_store: Store) -> None:
    masters = sorted((sample_dir / "images").glob("*/master.*"))
    assert len(masters) >= 2
    originals = {p.read_bytes() for p in (Path(__file__).parents[1] / "loaders" / "sample_collection" / "scans").rglob("*.jpg")}
    assert {m.read_bytes() for m in masters} <= originals
