"""`meros load loc`: loc.gov JSON API (collections, searches, items) and IIIF manifests, replayed over HTTP."""
from __future__ import annotations

from sparql.store import open_store

from .conftest import Meros, ReplayServer, object_ids, select

COLLECTION = "https://www.loc.gov/collections/abdul-hamid-ii-books/"
AGG = "<http://127.0.0.1:5000/id/{}#aggregation>"
CHO = "<http://127.0.0.1:5000/id/{}>"


def load(meros: Meros, replay: ReplayServer, source: str, *extra: str) -> tuple[str, str]:
    code, out, err = meros("loc", source, "--base-url", replay.url("loc"), "--rate", "1000/1", "--no-progress",
                           *extra)
    assert code == 0, err
    return out, err


def test_a_collection_is_paged_with_sp_and_each_result_read_from_its_item_json(replay: ReplayServer,
                                                                               meros: Meros) -> None:
    out, _ = load(meros, replay, COLLECTION)
    assert "2 loaded, 0 replaced, 0 unchanged, 0 rejected" in out
    asked = [(h.path, h.query) for h in replay.requests("loc")]
    assert asked == [
        ("/collections/abdul-hamid-ii-books/", {"fo": "json", "c": "100", "sp": "1", "at": "results,pagination"}),
        ("/item/2013269685/", {"fo": "json"}),
        ("/collections/abdul-hamid-ii-books/", {"fo": "json", "c": "100", "sp": "2", "at": "results,pagination"}),
        ("/item/2018672753/", {"fo": "json"}),
    ]
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"loc-2013269685", "loc-2018672753"}
        assert select(store, f"{CHO.format('loc-2013269685')} dc:type ?v") == ["periodical"]
        assert select(store, f"{AGG.format('loc-2018672753')} edm:isShownAt ?v") == [
            "https://www.loc.gov/item/2018672753/"]
        # provenance is loc.gov's own item JSON, whatever mirror it came through
        assert select(store, "GRAPH <http://127.0.0.1:5000/graph/loc-2013269685> { ?g prov:wasDerivedFrom ?v }") == [
            "https://www.loc.gov/item/2013269685/?fo=json"]


def test_a_search_skips_results_that_are_not_items(replay: ReplayServer, meros: Meros) -> None:
    out, _ = load(meros, replay, "samarqand")
    assert "1 loaded" in out and "1 skipped" in out
    assert replay.requests("loc")[0].query["q"] == "samarqand"
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"loc-2017498321"}
        countries = select(store, f"{CHO.format('loc-2017498321')} dcterms:spatial/skos:prefLabel ?v")
        assert "Uzbekistan" in countries


def test_an_item_keeps_its_html_rights_text_and_access_flag(replay: ReplayServer, meros: Meros) -> None:
    load(meros, replay, "https://www.loc.gov/item/73691632/")
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"loc-73691632"}
        rights = select(store, f"{AGG.format('loc-73691632')} meros:sourceRights ?v")
        assert rights and "<" not in rights[0]  # the HTML statement as text, kept for the rights engine
        assert select(store, f"{CHO.format('loc-73691632')} dc:type ?v") == ["map"]


def test_a_bare_lccn_is_an_item(replay: ReplayServer, meros: Meros) -> None:
    load(meros, replay, "2017498321")
    assert [h.path for h in replay.requests("loc")] == ["/item/2017498321/"]


def test_an_item_that_cannot_be_fetched_falls_back_on_its_search_entry(replay: ReplayServer, meros: Meros) -> None:
    replay.script("loc", "/item/2013269685/", {"fo": "json"}, {"status": 404, "body": "gone"})
    out, _ = load(meros, replay, COLLECTION)
    assert "2 loaded" in out and "read from its search entry instead" in out
    with open_store(str(meros.store_dir)) as store:
        assert "loc-2013269685" in object_ids(store)


def test_a_manifest_with_its_marc_and_mods_see_also(replay: ReplayServer, meros: Meros) -> None:
    load(meros, replay, "https://www.loc.gov/item/87694060/manifest.json")
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"loc-87694060"}
        assert "https://lccn.loc.gov/87694060" in select(store, f"{CHO.format('loc-87694060')} owl:sameAs ?v")
        services = select(store, "?r svcs:has_service ?v")
        assert services and all(s.startswith("https://tile.loc.gov/image-services/iiif/") for s in services)


def test_429_from_the_item_endpoint_is_waited_out(replay: ReplayServer, meros: Meros) -> None:
    replay.script("loc", "/item/2018672753/", {"fo": "json"},
                  {"status": 429, "headers": {"Retry-After": "1"}, "body": "Too Many Requests"},
                  {"file": "item/2018672753.json"})
    out, err = load(meros, replay, COLLECTION)
    assert "2 loaded" in out
    hits = replay.requests("loc", "/item/2018672753/")
    assert [h.status for h in hits] == [429, 200] and hits[1].at - hits[0].at >= 0.95
    assert "429" in err and "retrying in 1.0 s" in err


def test_loc_stops_at_its_100000_result_paging_limit(replay: ReplayServer, meros: Meros) -> None:
    """Resuming at page 1001 of 100 (the checkpoint of a run that got that far) stops with the reason."""
    import json

    from loaders.checkpoint import Checkpoint, Mark

    target = {"kind": "loc", "source": COLLECTION, "base_url": replay.url("loc"), "set": None, "prefix": None,
              "provider": None}
    cp = Checkpoint.open(meros.tmp / "checkpoints", target, {"from": None, "until": None, "limit": None,
                                                               "details": True})
    cp.advance(Mark({"sp": 1001, "pages": 5000}), {})
    code, out, err = meros("loc", COLLECTION, "--base-url", replay.url("loc"), "--rate", "1000/1", "--no-progress")
    assert code == 0, err
    assert "does not page past 100000 results" in out and replay.requests("loc") == []
    assert json.loads(json.dumps(meros.checkpoints()))[0]["run"] is None
