"""The index follows the store: rebuilt by `meros index`, updated by ids after a load, seen by a serving app.

Each test has its own small store (real records from the sample collection)
and its own index directory, so the session's shared index stays untouched.
"""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from loaders.collection import sample_records
from loaders.runner import load_records
from ontology.mapping import Uris
from ontology.record import Record, Text
from portal.search import index_location, open_index, parse_params, rebuild_index, update_index
from portal.search.index import IndexUnavailable, SearchIndex
from sparql.store import open_store

BASE = "http://127.0.0.1:5000"
CURATED = [r for r in sample_records() if isinstance(r, Record) and r.provider == "curated"]


def _settings(tmp: Path) -> dict[str, str]:
    return {"STORE": str(tmp / "store"), "INDEX": "", "BASE_URL": BASE}


def _ids(index: SearchIndex, q: str = "", **filters: str) -> set[str]:
    return {h.id for h in index.search(parse_params(MultiDict({"q": q, "size": "100", **filters}))).hits}


def test_index_location_defaults_beside_the_store(tmp_path: Path) -> None:
    assert index_location({"STORE": str(tmp_path / "s"), "INDEX": ""}) == Path(str(tmp_path / "s") + ".index")
    assert index_location({"STORE": "http://127.0.0.1:7878/", "INDEX": ""}).name == "index"
    assert index_location({"STORE": "x", "INDEX": str(tmp_path / "i")}) == tmp_path / "i"


def test_rebuild_then_update_by_ids_follows_changes_and_deletions(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with open_store(settings["STORE"]) as store:
        load_records(store, CURATED, uris=Uris(BASE), jurisdiction="KZ")
        n, _ = rebuild_index(settings, store)
        assert n == len(CURATED) == 14
        index = open_index(settings)
        assert _ids(index, "Qara sözder") == {"curated-abai-qara-sozder"}

        # a re-load changes one title and another object leaves the store
        changed = next(r for r in CURATED if r.local_id == "abai-qara-sozder")
        changed = replace(changed, titles=[*changed.titles, Text("Book of Words", "en")])
        report = load_records(store, [changed], uris=Uris(BASE), jurisdiction="KZ")
        assert report.replaced == 1
        store.delete_graph(Uris(BASE).graph("curated-gulom-shum-bola"))
        assert update_index(settings, store, ["curated-abai-qara-sozder", "curated-gulom-shum-bola"]) == 1

        index.refresh()
        assert _ids(index, "book of words") == {"curated-abai-qara-sozder"}
        assert _ids(index, "Qara sözder") == {"curated-abai-qara-sozder"}  # replaced, not duplicated
        assert _ids(index, "Шум бола") == set()
        assert index.count() == 13

        # a rebuild gives the same answers as the updates
        rebuild_index(settings, store)
        index.refresh()
        assert index.count() == 13 and _ids(index, "book of words") == {"curated-abai-qara-sozder"}


def test_a_serving_index_sees_a_commit_made_by_another_writer(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with open_store(settings["STORE"]) as store:
        load_records(store, CURATED[:5], uris=Uris(BASE), jurisdiction="KZ")
        rebuild_index(settings, store)
        serving = open_index(settings)  # like the app's, opened once
        before = serving.count()
        load_records(store, CURATED[5:], uris=Uris(BASE), jurisdiction="KZ")
        update_index(settings, store, [r.id for r in CURATED[5:]])  # another SearchIndex writes
        deadline = time.monotonic() + 5
        while serving.count() == before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert serving.count() == len(CURATED) > before


def test_an_index_from_another_version_is_refused_then_rebuilt(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with open_store(settings["STORE"]) as store:
        load_records(store, CURATED[:3], uris=Uris(BASE), jurisdiction="KZ")
        rebuild_index(settings, store)
        (index_location(settings) / "meros-index-version").write_text("0")
        with pytest.raises(IndexUnavailable, match="meros index"):
            open_index(settings)
        assert rebuild_index(settings, store)[0] == 3
        assert open_index(settings).count() == 3


def test_meros_index_command_rebuilds_from_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from portal.cli import main

    settings = _settings(tmp_path)
    with open_store(settings["STORE"]) as store:
        load_records(store, CURATED, uris=Uris(BASE), jurisdiction="KZ")
    for key in [k for k in list(__import__("os").environ) if k.startswith("MEROS_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("MEROS_STORE", settings["STORE"])
    assert main(["index", "--quiet"]) == 0
    assert "Indexed 14 objects" in capsys.readouterr().out
    assert _ids(open_index(settings), "Kecha va kunduz") == {"curated-cholpon-kecha-va-kunduz"}


def test_full_text_annotations_are_searchable_and_offered_on_the_item_page(tmp_path: Path) -> None:
    """OCR text (W3C annotations on the object's canvases, as `meros ocr` writes them) is indexed and shown."""
    from pyoxigraph import BlankNode, Literal, NamedNode, Triple

    from portal.app import create_app

    settings = _settings(tmp_path)
    oa = "http://www.w3.org/ns/oa#"
    with open_store(settings["STORE"]) as store:
        load_records(store, CURATED[:2], uris=Uris(BASE), jurisdiction="KZ")
        oid = CURATED[0].id
        graph = Uris(BASE).graph(oid)
        rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}", union_default_graph=False)
        triples = [Triple(r["s"], r["p"], r["o"]) for r in rows]  # type: ignore[arg-type,index,union-attr]
        for n, text in enumerate(["Адамзаттың бәрін сүй бауырым деп", "Ғылым таппай мақтанба"], start=1):
            anno = BlankNode()
            triples += [Triple(anno, NamedNode(oa + "hasTarget"), NamedNode(f"{BASE}/iiif/{oid}/canvas/{n}")),
                        Triple(anno, NamedNode(oa + "bodyValue"), Literal(text, language="kk"))]
        store.replace_graph(graph, triples)
        rebuild_index(settings, store)
        assert _ids(open_index(settings), "Ğylym tappai maqtanba") == {oid}  # OCR words, typed in Latin
        assert _ids(open_index(settings), "Ghylym") == {oid}  # English-style romanisation (gh for ғ)
        app = create_app({"BASE_URL": BASE, "STORE": settings["STORE"], "SECRET_KEY": "t"}, store=store)
        html = app.test_client().get(f"/item/{oid}").get_data(as_text=True)
        assert "text alternative" in html
        assert html.index("Адамзаттың бәрін сүй") < html.index("Ғылым таппай мақтанба")
        other = app.test_client().get(f"/item/{CURATED[1].id}").get_data(as_text=True)
        assert "text alternative" not in other


def test_the_index_builds_from_a_remote_store_too(tmp_path: Path) -> None:
    """A real `oxigraph serve`: the same documents come through the SPARQL protocol (TSV results)."""
    import subprocess

    from tests.sparql.conftest import free_port, oxigraph_binary, wait_until_answering

    port, log = free_port(), tmp_path / "oxigraph.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"),
                                 "--bind", f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_answering(url, proc, log)
        settings = {"STORE": url, "INDEX": str(tmp_path / "index"), "BASE_URL": BASE}
        with open_store(url) as store:
            load_records(store, CURATED, uris=Uris(BASE), jurisdiction="KZ")
            assert rebuild_index(settings, store)[0] == 14
        index = open_index(settings)
        assert _ids(index, "Ўткан кунлар") == {"curated-qodiriy-otkan-kunlar"}
        assert _ids(index, "", creator="Abai Qūnanbaiūly") == {"curated-abai-qara-sozder"}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
