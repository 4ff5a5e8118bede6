"""`meros load gallica`: every recorded Gallica sample served over HTTP: SRU, OAIRecord, Pagination, Issues, IIIF."""
from __future__ import annotations

import json

import pytest
import requests

from loaders.harvest import rebase
from sparql.store import open_store

from .conftest import Meros, ReplayServer, object_ids, select

MAPS = 'dc.title all "Carte Nouvelle France Port Breton"'
BRAZZA = ('arkPress all "cb32895690j_date" and dc.date >= "1875" and dc.date <= "1960" and (gallica all "brazza") '
          "sortby dc.date/sort.ascending")
CHO = "<http://127.0.0.1:5000/id/{}>"
AGG = "<http://127.0.0.1:5000/id/{}#aggregation>"


def load(meros: Meros, replay: ReplayServer, source: str, *extra: str) -> str:
    code, out, err = meros("gallica", source, "--base-url", replay.url("gallica"), "--rate", "1000/1",
                           "--no-progress", *extra)
    assert code == 0, err
    return out


def test_sru_maps_with_rights_from_the_records_and_pages_from_pagination(replay: ReplayServer, meros: Meros) -> None:
    out = load(meros, replay, MAPS)
    assert "2 loaded, 0 replaced, 0 unchanged, 0 rejected" in out
    sru = replay.requests("gallica", "/SRU")[0].query
    assert sru == {"operation": "searchRetrieve", "version": "1.2", "query": MAPS, "startRecord": "1",
                   "maximumRecords": "50"}
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"gallica-btv1b55012939c", "gallica-btv1b10870266z"}
        # the rights Gallica wrote, verbatim, for the rights engine: a 1686 map in the public domain, a 1881
        # map of the Société de Géographie under restricted use
        assert select(store, f"{AGG.format('gallica-btv1b10870266z')} meros:sourceRights ?v") == [
            "conditions spécifiques d'utilisation - Société de Géographie", "restricted use"]
        assert select(store, f"{AGG.format('gallica-btv1b10870266z')} meros:rightsStatus ?v") == ["restricted"]
        assert select(store, f"{AGG.format('gallica-btv1b55012939c')} meros:sourceRights ?v") == [
            "domaine public", "public domain"]
        creators = select(store, f"{CHO.format('gallica-btv1b55012939c')} dc:creator ?a . "
                                 "?a skos:prefLabel ?v")
        assert "Franquelin, Jean-Baptiste" in creators
    assert "note: btv1b55012939c: Pagination service unavailable" in out  # not recorded: said, not hidden


def test_an_sru_search_is_paged_by_start_record(replay: ReplayServer, meros: Meros) -> None:
    out = load(meros, replay, BRAZZA, "--metadata-only")
    assert "50 loaded" in out and "3 pages, 3 requests" in out
    assert [h.query["startRecord"] for h in replay.requests("gallica", "/SRU")] == ["1", "21", "41"]
    with open_store(str(meros.store_dir)) as store:
        ids = object_ids(store)
        assert len(ids) == 50 and all(i.startswith("gallica-bpt6k") for i in ids)
        assert set(select(store, "?a meros:sourceRights ?v")) == {"domaine public", "public domain"}


def test_periodical_title_records_keep_unknown_rights_never_open(replay: ReplayServer, meros: Meros) -> None:
    out = load(meros, replay, '(dc.type all "fascicule")', "--limit", "15")
    assert "15 loaded" in out
    assert replay.requests("gallica", "/services/OAIRecord") == []  # titles have no notice of their own
    with open_store(str(meros.store_dir)) as store:
        statuses = select(store, "?a a ore:Aggregation ; meros:rightsStatus ?v")
        assert statuses and set(statuses) == {"restricted"}
        assert select(store, "?a a ore:Aggregation ; meros:sourceRights ?v") == []


def test_a_document_by_ark_gets_its_notice_and_every_page_with_its_size(replay: ReplayServer, meros: Meros) -> None:
    load(meros, replay, "https://gallica.bnf.fr/ark:/12148/bpt6k5603637g")
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"gallica-bpt6k5603637g"}
        services = select(store, "?r svcs:has_service ?v")
        assert len(services) == 12  # Pagination lists 12 views
        assert "https://gallica.bnf.fr/iiif/ark:/12148/bpt6k5603637g/f12" in services  # Gallica's own service
        first = "<https://gallica.bnf.fr/iiif/ark:/12148/bpt6k5603637g/f1/full/full/0/native.jpg>"
        assert select(store, f"{first} ebucore:width ?v") == ["2515"]
        assert select(store, f"{first} ebucore:height ?v") == ["3218"]
        assert select(store, f"{AGG.format('gallica-bpt6k5603637g')} meros:rightsStatus ?v") == ["open"]


def test_the_referenced_image_service_is_gallicas_image_api_1_1(replay: ReplayServer, meros: Meros) -> None:
    """The manifest's canvases keep Gallica's Image API 1.1 service; its info.json says so."""
    load(meros, replay, "https://gallica.bnf.fr/iiif/ark:/12148/btv1b53243704g/manifest.json")
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"gallica-btv1b53243704g"}
        services = select(store, "?r svcs:has_service ?v")
        assert len(services) == 74
        first = "https://gallica.bnf.fr/iiif/ark:/12148/btv1b53243704g/f1"
        assert first in services
        assert select(store, f"<{first}> meros:serviceType ?v") == ["ImageService1"]
    with requests.get(rebase(first + "/info.json", replay.url("gallica")), timeout=5) as resp:
        info = resp.json()
    assert info["@id"] == first and "image-api/1.1" in json.dumps(info)


def test_a_periodical_is_harvested_issue_by_issue(replay: ReplayServer, meros: Meros) -> None:
    out = load(meros, replay, "ark:/12148/cb328261098/date", "--limit", "1")
    assert "1 loaded" in out
    asked = [(h.path, h.query) for h in replay.requests("gallica")]
    assert asked[:3] == [("/services/Issues", {"ark": "ark:/12148/cb328261098/date"}),
                         ("/services/Issues", {"ark": "ark:/12148/cb328261098/date", "date": "1879"}),
                         ("/services/OAIRecord", {"ark": "bpt6k5603637g"})]
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"gallica-bpt6k5603637g"}
        assert select(store, f"{CHO.format('gallica-bpt6k5603637g')} dc:date ?v") == ["1879-07-15"]


def test_issues_without_a_notice_are_rejected_with_the_reason(replay: ReplayServer, meros: Meros) -> None:
    out = load(meros, replay, "ark:/12148/cb328261098/date")
    assert "1 loaded, 0 replaced, 0 unchanged, 5 rejected" in out
    reasons = [r["reason"] for r in meros.rejected()]
    assert len(reasons) == 5 and all("404" in r for r in reasons)
    assert {r["raw"] for r in meros.rejected()} == {"bpt6k56068358", "bpt6k5606840k", "bpt6k5606842d",
                                                    "bpt6k5606843t", "bpt6k56068447"}


def test_the_years_of_a_long_running_periodical(replay: ReplayServer, meros: Meros) -> None:
    """The real years list of cb34431794k: each year is asked for in turn (none is recorded, so each is
    reported once and the harvest goes on)."""
    code, out, err = meros("gallica", "ark:/12148/cb34431794k/date", "--base-url", replay.url("gallica"),
                           "--rate", "1000/1", "--no-progress")
    assert code == 0, err
    years = [h.query.get("date") for h in replay.requests("gallica", "/services/Issues")][1:]
    assert years[0] == "1861" and len(years) == len(set(years)) > 30
    assert all("issues of" in r["reason"] for r in meros.rejected())


@pytest.mark.parametrize("query, count", [
    ('dc.title all "Colonie libre Port-Breton Bureau de Paris"', 0),
    ('arkPress all "cb41459716t_date"', 20),
])
def test_other_recorded_searches(replay: ReplayServer, meros: Meros, query: str, count: int) -> None:
    out = load(meros, replay, query, "--metadata-only", "--limit", "20")
    assert f"{count} loaded" in out
    assert len(replay.requests("gallica", "/SRU")) == 1  # an empty result is not paged past its end
