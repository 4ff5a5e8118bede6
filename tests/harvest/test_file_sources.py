"""`meros load marc|mods|edm|csv|iiif|images`: every sample file of each format, from disk and over HTTP."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from loaders import parallel
from sparql.store import open_store

from .conftest import RECORDED, Meros, ReplayServer, object_ids, select, state

FILES = RECORDED / "files"
CHO = "<http://127.0.0.1:5000/id/{}>"


def load(meros: Meros, *argv: str) -> str:
    code, out, err = meros(*argv, "--no-progress")
    assert code == 0, err
    return out


def titles(store, oid: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = store.query(f"SELECT ?t WHERE {{ {CHO.format(oid)} <http://purl.org/dc/elements/1.1/title> ?t }}")
    return sorted((r["t"].value, r["t"].language or "") for r in rows)


def test_every_marc_sample_marc21_marcxml_rusmarc_and_cp1251(meros: Meros) -> None:
    out = load(meros, "marc", str(FILES / "marc"))
    assert "0 rejected" in out and "13 pages" in out
    with open_store(str(meros.store_dir)) as store:
        ids = object_ids(store)
        # RSL's record in MARC 21 (ISO 2709 and MARCXML) and RUSMARC is one object; NLR's description of the
        # same work stays another object
        assert {"rsl-002988236", "nlr-v19-rc-2104622", "rkp-ru03-000001rkp", "loc-92005291",
                "penn-4826279", "loc-43037890"} <= ids
        assert len(ids) == 16
        # Windows-1251 bytes read as Cyrillic, never mojibake
        assert titles(store, "rkp-ru03-000002rkp") == [("Психологический тренинг с подростками", "ru")]
        # RUSMARC 700 $f life years on the agent
        death = select(store, f"{CHO.format('nlr-v19-rc-2104622')} dc:creator ?a . ?a skos:prefLabel "
                              "\"Штефер, Дитрих Генрих\" ; rdaGr2:dateOfDeath ?v")
        assert death == ["1822"]
        # MARC 21 100 $d, 880 vernacular forms and a date range
        assert select(store, f"{CHO.format('penn-3285384')} dc:creator/rdaGr2:dateOfDeath ?v") == ["1501"]
        assert ("مير على شير نوائ" in " ".join(select(store, f"{CHO.format('penn-3285384')} "
                                                             "dc:creator/skos:altLabel ?v")))
        assert select(store, f"{CHO.format('rsl-002988236')} meros:yearFrom ?v") == ["1804"]
        assert select(store, f"{CHO.format('rsl-002988236')} meros:yearTo ?v") == ["1807"]


def test_the_same_marc_record_reloaded_is_replaced_never_duplicated(meros: Meros) -> None:
    one = FILES / "marc" / "cyrillic_marc" / "rsl_01002988236_1804_marc21.mrc"
    assert "1 loaded" in load(meros, "marc", str(one))
    assert "0 loaded, 0 replaced, 1 unchanged" in load(meros, "marc", str(one), "--restart")
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"rsl-002988236"}


def test_marc_over_http(replay: ReplayServer, meros: Meros) -> None:
    url = replay.url("files") + "/marc/cyrillic_marc/rkp_ru03-000001_2005_marc21_cp1251.mrc"
    out = load(meros, "marc", url)
    assert "6 loaded" in out and "1 page, 1 request" in out


def test_every_mods_sample(meros: Meros) -> None:
    load(meros, "mods", str(FILES / "mods"))
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"harvard-002038887", "stanford-bh691yj7263", "harvard-006197642",
                                     "harvard-003747716"}
        lat = select(store, f"{CHO.format('stanford-bh691yj7263')} dcterms:spatial/wgs84:lat ?v")
        assert lat, "the Suez map's coordinates become a place with WGS84"


def test_europeana_edm(meros: Meros) -> None:
    load(meros, "edm", str(FILES / "edm"))
    with open_store(str(meros.store_dir)) as store:
        ids = object_ids(store)
        assert len(ids) == 1 and next(iter(ids)).startswith("europeana-")
        assert select(store, "?a meros:sourceStatement ?v") == ["http://creativecommons.org/publicdomain/mark/1.0/"]


def test_curated_csv_with_kazakh_and_uzbek_scripts(meros: Meros) -> None:
    out = load(meros, "csv", str(FILES / "csv" / "central_asia" / "curated" / "works_kk_uz.csv"))
    assert "14 loaded, 0 replaced, 0 unchanged, 0 rejected" in out
    with open_store(str(meros.store_dir)) as store:
        langs = set(select(store, "?c a edm:ProvidedCHO ; dc:title ?t BIND(lang(?t) AS ?v)"))
        assert {"kk-cyrl", "uz-latn", "uz-cyrl"} <= langs


def test_iiif_manifests_need_a_provider_when_they_name_no_host(meros: Meros) -> None:
    out = load(meros, "iiif", str(FILES / "iiif"))
    assert "6 loaded" in out and "6 rejected" in out
    assert {r["reason"] for r in meros.rejected()} == {
        "IIIF manifest names no host to tell its provider from; pass provider="}
    out = load(meros, "iiif", str(FILES / "iiif" / "iiif_generic" / "cookbook"), "--provider", "iiif-cookbook")
    assert "6 loaded" in out and "0 rejected" in out


def test_a_folder_of_scans_with_sidecars(meros: Meros) -> None:
    load(meros, "images", str(FILES / "scans" / "scans"))
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"local-berckenrode-amsterdam-map", "local-gallica-bpt6k5603637g"}
        assert select(store, "?r meros:imageId ?v") == ["local-berckenrode-amsterdam-map-1",
                                                       "local-gallica-bpt6k5603637g-1"]
    masters = sorted((meros.tmp / "images").glob("*/master.jpg"))
    assert [m.parent.name for m in masters] == ["local-berckenrode-amsterdam-map-1", "local-gallica-bpt6k5603637g-1"]


@pytest.mark.parametrize("parallel_from", [10**6, 1], ids=["here", "in-workers"])
def test_an_unreadable_file_is_rejected_whole_and_the_others_load(meros: Meros, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  parallel_from: int) -> None:
    """Parsed here or by worker processes (a load of many files), the outcome is the same."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", parallel_from)
    folder = tmp_path / "in"
    shutil.copytree(FILES / "mods" / "mods_generic", folder)
    (folder / "broken.xml").write_bytes((RECORDED.parent / "malformed" / "mods_stanford_suez_truncated.xml")
                                        .read_bytes())
    out = load(meros, "mods", str(folder))
    assert "2 loaded, 0 replaced, 0 unchanged, 1 rejected" in out
    [entry] = meros.rejected()
    assert "broken.xml" in entry["reason"] and "not well-formed" in entry["reason"]
    assert entry["raw"] == (folder / "broken.xml").read_bytes().decode("utf-8")


def test_graphs_mapped_by_workers_are_the_graphs_mapped_here(meros: Meros, monkeypatch: pytest.MonkeyPatch) -> None:
    """A load of many files maps in worker processes: re-loading the same files that way changes nothing but
    the graph changed since, which is replaced from the text the worker sent."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**6)
    assert "16 loaded, 0 replaced, 0 unchanged, 0 rejected" in load(meros, "marc", str(FILES / "marc"))
    with open_store(str(meros.store_dir)) as store:
        expected = state(store)
        graph = NamedNode("http://127.0.0.1:5000/graph/loc-92005291")
        store.replace_graph(graph, [Triple(NamedNode(CHO.format("loc-92005291")[1:-1]),
                                           NamedNode("http://purl.org/dc/elements/1.1/title"), Literal("edited")),
                                    Triple(graph, NamedNode("https://w3id.org/meros/ontology#contentHash"),
                                           Literal("an older hash"))])
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "GROUP_FILES", 2)
    out = load(meros, "marc", str(FILES / "marc"), "--restart")
    assert "0 loaded, 1 replaced, 15 unchanged, 0 rejected" in out
    with open_store(str(meros.store_dir)) as store:
        assert state(store) == expected


@pytest.mark.parametrize("argv, message", [
    (("marc", "/nonexistent/file.mrc"), "no such file or folder"),
    (("csv", "{tests}/fixtures/recorded/files/marc"), "holds no .csv file"),
    (("images", "{tests}/fixtures/recorded/files/csv/central_asia/curated/works_kk_uz.csv"), "not a folder"),
])
def test_a_source_that_is_not_there_is_said_clearly(meros: Meros, argv: tuple[str, str], message: str) -> None:
    tests = Path(__file__).parents[1]
    code, out, err = meros(argv[0], argv[1].format(tests=tests), "--no-progress")
    assert code == 1 and message in err and "Traceback" not in err
