"""loc.gov: item responses, search-result entries, search pages and the IIIF manifest, from the real samples."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from loaders.base import Rejected
from loaders.loc import parse_loc_json, parse_loc_manifest
from ontology.errors import RecordError
from ontology.record import Record, Text

SAMPLES = Path(__file__).parents[2] / "loaders" / "sample_collection"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"
MAP_1769 = SAMPLES / "loc" / "json" / "item_73691632_manuscript_map_1769_item_section.json"
PERIODICAL = SAMPLES / "loc" / "json" / "search_result_item_2013269685_periodical_ottoman.json"
BOOK = SAMPLES / "loc" / "json" / "search_result_item_2018672753_book_ottoman_microfilm.json"
PERSIAN = SAMPLES / "central_asia" / "loc" / "json" / \
    "search_result_item_2017498321_persian_manuscript_central_asia_uzbekistan.json"


def one(data: bytes, name: str = "file:loc.json") -> Record:
    (rec,) = parse_loc_json(data, name)
    assert isinstance(rec, Record), rec
    return rec


@pytest.mark.parametrize("path, lccn, genre, edm_type", [
    (MAP_1769, "73691632", "map", "IMAGE"),
    (PERIODICAL, "2013269685", "periodical", "TEXT"),
    (BOOK, "2018672753", "book", "TEXT"),
    (PERSIAN, "2017498321", "manuscript", "TEXT"),
])
def test_every_sample_is_one_item(path: Path, lccn: str, genre: str, edm_type: str) -> None:
    rec = one(path.read_bytes())
    assert (rec.id, rec.local_id, rec.genre, rec.edm_type) == (f"loc-{lccn}", lccn, genre, edm_type)
    assert (rec.source_format, rec.loader, rec.data_provider) == ("loc-json", "loaders.loc", "Library of Congress")
    assert rec.is_shown_at == f"https://www.loc.gov/item/{lccn}/"
    assert rec.manifest_url == f"https://www.loc.gov/item/{lccn}/manifest.json"
    assert f"https://lccn.loc.gov/{lccn}" in rec.same_as and f"LCCN {lccn}" in rec.identifiers
    (image,) = rec.images
    assert image.service and image.service.startswith("https://tile.loc.gov/image-services/iiif/service:")
    assert image.url and image.url.startswith("https://tile.loc.gov/") and "#" not in image.url
    assert image.service_type == "ImageService2" and image.width and image.height
    for text in [t.value for t in rec.titles + rec.descriptions + rec.rights_text]:
        assert unicodedata.is_normalized("NFC", text)


def test_manuscript_map_item_section() -> None:
    rec = one(MAP_1769.read_bytes())
    assert rec.titles == [Text("Lines run in the Jersies for determining boundaries between that Province & New York",
                               "en")]
    assert (rec.date, rec.date_display, rec.year_from) == ("1769?", "[1769?]", 1769)
    assert [p.name for p in rec.places] == ["United States", "New Jersey", "New York (State)"]
    assert rec.subjects[2].label == "Manuscript maps--Early works to 1800"
    (rights,) = rec.rights_text
    assert rights.lang == "en" and "<p>" not in rights.value and "\r" not in rights.value
    assert rights.value.startswith("The maps in the Map Collections materials were either published prior to 1922")
    assert rights.value.endswith("Credit Line: Library of Congress, Geography and Map Division.")
    (image,) = rec.images
    assert (image.width, image.height) == (891, 1183)  # the largest derivative loc.gov lists (pct:25)
    assert image.service == "https://tile.loc.gov/image-services/iiif/service:gmd:gmd381:g3811:g3811f:ar124400"
    assert image.thumbnail == "https://cdn.loc.gov/service/gmd/gmd381/g3811/g3811f/ar124400.gif"
    assert "G3811.F7 1769 .L5" in rec.identifiers


def test_ottoman_periodical_search_result() -> None:
    rec = one(PERIODICAL.read_bytes())
    assert rec.titles == [Text("Hazine-yi evrak", "ota-Latn")] and rec.languages == ["ota"]
    assert (rec.date, rec.year_from, rec.year_to) == ("1881/1886", 1881, 1886)
    assert rec.place_of_origin and rec.place_of_origin.name == "Istanbul" and rec.publisher == "Mihran Matbaası"
    assert [(a.name, a.role) for a in rec.contributors] == [("Mahmut Celâleddin", "publisher")]
    assert Text("Karl Süssheim Collection (Library of Congress)", "en") in rec.is_part_of
    assert "Mayıs 1297 [13 May 1881]" in rec.descriptions[0].value  # NFD in the source, NFC here
    assert (rec.images[0].width, rec.images[0].height) == (2069, 3008)


def test_ottoman_book_has_its_arabic_script_title_and_creators_life_years() -> None:
    rec = one(BOOK.read_bytes())
    assert rec.titles == [Text("Serseri Yahudi", "ota-Latn"), Text("سرسرى يهودى", "ota")]
    assert [(a.name, a.birth, a.death) for a in rec.creators][:2] == [("Sue, Eugène", 1804, 1857),
                                                                     ("Selânikli Tevfik", 1860, 1910)]
    assert [(a.name, a.role) for a in rec.contributors] == [("Hewitt, Abram S. (Abram Stevens)", "donor")]
    assert (rec.date, rec.year_from, rec.year_to) == ("1884/1885", 1884, 1885)  # "1301 [1884 or 1885]"


def test_central_asian_manuscript() -> None:
    rec = one(PERSIAN.read_bytes())
    assert rec.titles == [Text("[Majmuʻah, or, Collection]", "ar-Latn")] and rec.languages == ["ar", "fa"]
    assert (rec.date, rec.year_from, rec.year_to, rec.date_display) == ("18XX", 1800, 1899, "[19th century]")
    assert [p.name for p in rec.places] == ["India", "Uzbekistan", "Tajikistan"]
    assert rec.rights_text == []  # the entry has no rights field, and access_restricted is false
    assert rec.descriptions == [Text("A scholar's collection of bits of text, mostly in Persian with some Arabic, "
                                     "accompanied by extensive comments.", "en")]


def test_search_page_yields_every_result_and_access_restriction_is_kept() -> None:
    entries = [json.loads(p.read_bytes()) for p in (PERIODICAL, BOOK)]
    entries[1]["access_restricted"] = True
    recs = list(parse_loc_json(json.dumps({"results": entries}).encode(), "file:page.json"))
    assert [r.id for r in recs if isinstance(r, Record)] == ["loc-2013269685", "loc-2018672753"]
    assert Text("loc.gov: access_restricted", "en") in recs[1].rights_text  # type: ignore[union-attr]


def test_coordinates_go_on_the_city() -> None:
    entry = json.loads(MAP_1769.read_bytes())
    entry["item"] |= {"location_city": ["trenton"], "latlong": ["40.2206,-74.7597"]}
    rec = one(json.dumps(entry).encode())
    trenton = next(p for p in rec.places if p.name == "Trenton")
    assert (trenton.lat, trenton.lon) == (40.2206, -74.7597)


def test_item_without_lccn_is_named_by_its_item_id() -> None:
    entry = json.loads(MAP_1769.read_bytes())
    for key in ("library_of_congress_control_number", "aka"):
        del entry["item"][key]
    entry["item"] |= {"id": "http://www.loc.gov/item/gmd.ar124400/", "url": "https://www.loc.gov/item/gmd.ar124400/"}
    rec = one(json.dumps(entry).encode())
    assert (rec.id, rec.same_as, rec.is_shown_at) == ("loc-gmd-ar124400", [], "https://www.loc.gov/item/gmd.ar124400/")
    assert not any(i.startswith("LCCN") for i in rec.identifiers)


def test_entry_without_item_id_is_rejected_and_the_page_goes_on() -> None:
    out = list(parse_loc_json((MALFORMED / "loc_search_page_second_entry_without_id.json").read_bytes(), "file:p"))
    assert isinstance(out[0], Record) and out[0].id == "loc-2013269685"
    assert isinstance(out[1], Rejected) and "LCCN" in out[1].reason and "Serseri Yahudi" in out[1].raw


@pytest.mark.parametrize("data, message", [
    ((MALFORMED / "loc_item_html_error_page.json").read_bytes(), "HTML.*503 Service Unavailable"),
    (b"", "empty"),
    (b'{"item": ', "not JSON"),
    (b'{"pagination": {}}', "neither an item nor search results"),
])
def test_unreadable_responses_raise(data: bytes, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        list(parse_loc_json(data, "file:bad.json"))


def test_loc_manifest() -> None:
    path = SAMPLES / "loc" / "iiif" / "manifest_v2_87694060_map_washington_1894.json"
    (rec,) = parse_loc_manifest(path.read_bytes(), "https://www.loc.gov/item/87694060/manifest.json")
    assert isinstance(rec, Record)
    assert (rec.id, rec.loader, rec.genre, rec.edm_type) == ("loc-87694060", "loaders.loc", "map", "IMAGE")
    assert rec.titles[0].value.startswith("Map of the city of Washington showing location of fatal cases")
    assert [a.name for a in rec.creators] == ["Lukesh, G. M."]
    assert (rec.date, rec.date_display) == ("1894?", "1894?")
    assert rec.place_of_origin and rec.place_of_origin.name == "Washington, D.C."
    assert rec.same_as == ["https://lccn.loc.gov/87694060"]
    assert "https://lccn.loc.gov/87694060/marcxml" in rec.identifiers
    assert "https://lccn.loc.gov/87694060/mods" in rec.identifiers
    assert (rec.is_shown_at, rec.data_provider) == ("https://www.loc.gov/item/87694060/", "Library of Congress")
    (image,) = rec.images
    assert image.service == "https://tile.loc.gov/image-services/iiif/service:gmd:gmd385:g3851:g3851e:ct004586"
    assert (image.width, image.height, image.service_profile) == (2115, 2203, "http://iiif.io/api/image/2/level2.json")
