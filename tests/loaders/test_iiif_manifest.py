"""IIIF Presentation 2 and 3 manifests from many libraries (and the IIIF cookbook), read for meaning."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.base import Rejected
from loaders.iiif_manifest import _local_id, parse_manifest
from ontology.errors import RecordError
from ontology.record import Record, Text

SAMPLES = Path(__file__).parents[2] / "loaders" / "sample_collection"
GENERIC = SAMPLES / "iiif_generic"
COOKBOOK = GENERIC / "cookbook"
PRINCETON = SAMPLES / "central_asia" / "iiif"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"
PDM = "https://creativecommons.org/publicdomain/mark/1.0/"


def cookbook_url(path: Path) -> str:
    """Where the cookbook publishes a recipe's manifest (the samples' own ids are templates)."""
    recipe, _, name = path.name.partition("_")
    return f"https://iiif.io/api/cookbook/recipe/{recipe}/{name}"


def one(path: Path, url: str | None = None, **kw: str) -> Record:
    (rec,) = parse_manifest(path.read_bytes(), url or f"file:{path.name}", **kw)
    assert isinstance(rec, Record), rec
    return rec


def canvases(path: Path) -> list[dict]:  # type: ignore[type-arg]
    doc = json.loads(path.read_bytes())
    return doc.get("items") or doc["sequences"][0]["canvases"]


ALL = sorted(GENERIC.glob("*manifest*.json")) + sorted(COOKBOOK.glob("*.json")) + sorted(PRINCETON.glob("*.json"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_manifest_is_one_record_with_one_image_per_canvas(path: Path) -> None:
    rec = one(path, cookbook_url(path) if path.parent == COOKBOOK else None)
    assert rec.titles and rec.loader == "loaders.iiif_manifest"
    assert rec.source_format == ("iiif-manifest-3" if "manifest_v2" not in path.name else "iiif-manifest-2")
    assert len(rec.images) == len(canvases(path))
    for image, canvas in zip(rec.images, canvases(path)):
        assert (image.width, image.height) == (canvas["width"], canvas["height"])
        assert image.url and image.url.startswith("https://")
    assert rec.manifest_url and rec.manifest_url.startswith("https://")


def test_berckenrode_map_allard_pierson() -> None:
    rec = one(GENERIC / "manifest_v3_berckenrode_amsterdam_map_allard_pierson.json")
    assert (rec.provider, rec.id) == ("allard-pierson", "allardpierson-berckenrode-iiif")
    assert rec.titles[0] == Text("Amstelredamum emporium Hollandiæ primarium totiusque Europæ celeberrimum", "en")
    assert (rec.genre, rec.edm_type, rec.date, rec.year_from, rec.year_to) == ("map", "IMAGE", "1630/1639", 1630, 1639)
    assert [(a.name, a.birth, a.death) for a in rec.creators] == [
        ("Molevliet, Philippus", None, None), ("Berckenrode, Balthasar Florisz. van", 1592, 1645),
        ("Schrijver, Pieter", 1576, 1660)]
    assert rec.place_of_origin and rec.place_of_origin.name == "Amstelredami"
    assert rec.rights_uri is None  # the manifest states its rights in words only
    assert rec.rights_text == [Text("This work has been identified as being free of known restrictions under copyright "
                                    "law, including all related and neighboring rights.", "en")]
    (image,) = rec.images
    assert image.service == "https://amsterdamtimemachine.github.io/berckenrode-iiif/KZL_W_X_020"
    assert image.service_type == "ImageService2"
    assert (image.service_profile, image.width, image.height) == ("http://iiif.io/api/image/2/level0.json",
                                                                  39125, 34708)
    assert "https://hdl.handle.net/11245/3.39844" in rec.identifiers


def test_northwestern_rights_statement_and_roles() -> None:
    rec = one(GENERIC / "manifest_v3_northwestern_faf0c573_noc-us.json")
    assert (rec.id, rec.rights_uri) == ("northwestern-faf0c573-76e7-4002-933f-2bdff0d656e4",
                                       "http://rightsstatements.org/vocab/NoC-US/1.0/")
    (comey,) = rec.creators
    assert (comey.name, comey.birth, comey.death, comey.role) == ("Comey, Arthur C. (Arthur Coleman)", 1886, 1954,
                                                                  "Cartographer")
    assert [a.role for a in rec.contributors] == ["Contributor", "Contributor"]
    assert (rec.genre, rec.date, rec.data_provider) == ("map", "1923", "Northwestern University Libraries")
    assert rec.is_shown_at == "https://dc.library.northwestern.edu/items/faf0c573-76e7-4002-933f-2bdff0d656e4"
    assert rec.images[0].service == \
        "https://iiif.dc.library.northwestern.edu/iiif/2/2ac7f817-1223-4388-93c3-f87f1d294f7e"
    assert rec.images[0].thumbnail and "!300,300" in rec.images[0].thumbnail


def test_riksarkivet_prefers_the_image_api_3_service() -> None:
    rec = one(GENERIC / "manifest_v3_riksarkivet_40008772_map_pdm.json")
    assert (rec.id, rec.rights_uri, rec.genre, rec.date) == ("riksarkivet-arkis-40008772", PDM, "map", "1696")
    assert {t.lang for t in rec.titles[:2]} == {"sv", "en"}
    assert rec.titles[2].value.startswith("[Helsingfors] Geometrisk grundrijtning")
    (image,) = rec.images
    assert (image.service, image.service_type, image.service_profile) == (
        "https://lbiiif.riksarkivet.se/v3/arkis!40008772_00001", "ImageService3", "level1")
    assert (image.width, image.height) == (15162, 18194)


def test_british_library_v2_license_and_attribution() -> None:
    rec = one(GENERIC / "manifest_v2_britishlibrary_vdc_100052171660_map_pdm.json")
    assert (rec.provider, rec.rights_uri, rec.rights_text) == ("bl", PDM, [Text("Public Domain")])
    assert (rec.genre, rec.date, rec.year_to, rec.languages) == ("map", "1703/1708", 1708, ["fr"])
    assert rec.titles[0].value.startswith("CARTE DU PARAGUAY DU CHILI") and rec.titles[0].lang == "fr"
    assert (rec.data_provider, rec.creators[0].name) == ("The British Library", "L'Isle, Guillaume de")
    assert rec.is_shown_at == "http://access.bl.uk/item/viewer/ark:/81055/vdc_100052171660.0x000001"
    assert any("docId=BLL01018640954&vid" in i for i in rec.identifiers)  # the link's href, entities decoded


def test_princeton_samarqand_manuscript() -> None:
    rec = one(PRINCETON / "manifest_v2_princeton_pmk61sm00s_kanz_sharhi_samarqand_1507_nkc.json")
    assert (rec.provider, rec.local_id) == ("princeton", "pmk61sm00s")
    assert rec.titles == [Text("Kanz şerhi", "ar-Latn"), Text("كنز شرحي", "ar")]
    (author,) = rec.creators
    assert (author.name, author.death, author.names) == ("Muʻīn al-Dīn Farāhī", 1501,
                                                         [Text("معين الدين فراهي", "und-Arab")])
    assert (rec.genre, rec.edm_type, rec.date) == ("manuscript", "TEXT", "1507")
    assert rec.place_of_origin and rec.place_of_origin.name == "Samarqand"
    assert rec.rights_uri == "http://rightsstatements.org/vocab/NKC/1.0/"
    assert len(rec.images) == 169 and rec.images[0].service_type == "ImageService2"
    assert (rec.images[1].width, rec.images[1].height) == (2696, 3432)
    assert rec.is_shown_at == "http://arks.princeton.edu/ark:/88435/g445cg76z"
    assert rec.data_provider == "Princeton University Library"
    other = one(PRINCETON / "manifest_v2_princeton_p00001703h_sharh_muqaddimah_samarqandi_nkc.json")
    assert (other.genre, len(other.images), other.titles[0].value) == ("manuscript", 38,
                                                                     "[Sharḥ] al-Muqaddimah fī al-ṣalāh")


def test_cookbook_recipes() -> None:
    def recipe(name: str) -> Record:
        path = COOKBOOK / name
        return one(path, cookbook_url(path))

    single = recipe("0001-mvm-image_manifest.json")
    assert (single.id, single.provider) == ("iiifcookbook-0001-mvm-image", "iiif-cookbook")
    assert (single.images[0].service, single.images[0].width, single.images[0].height) == (None, 1200, 1800)
    rights = recipe("0008-rights_manifest.json")
    assert rights.rights_uri == "http://creativecommons.org/licenses/by-sa/3.0/"
    assert rights.rights_text[0].value.startswith("Glen Robson, IIIF Technical Coordinator")
    assert rights.descriptions == [Text("Picture taken by the IIIF Technical Coordinator", "en")]
    book = recipe("0009-book-1_manifest.json")
    assert (book.genre, book.edm_type, len(book.images), book.images[1].label) == ("book", "TEXT", 5, "Frontispiece")
    geo = recipe("0154-geo-extension_manifest.json")
    assert [(p.name, p.lat, p.lon) for p in geo.places] == [("The Laocoön Bronze", 34.077638, -118.474556)]
    assert geo.titles == [Text("Bronzo Laocoonte e i suoi figli", "it")]
    nav = recipe("0230-navdate_navdate_map_1-manifest.json")
    assert (nav.date, nav.year_from, nav.genre, nav.id) == ("1987", 1987, "map", "iiifcookbook-navdate-map-1")
    assert nav.images[0].service == \
        "https://iiif.io/api/image/3.0/example/reference/43153e2ec7531f14dd1c9b2fc401678a-88695674"  # no end "/"


def test_template_ids_fall_back_to_the_source_url() -> None:
    rec = one(COOKBOOK / "0009-book-1_manifest.json", "file:sample_collection/0009-book-1_manifest.json",
              provider="iiif-cookbook")
    assert rec.id == "iiifcookbook-0009-book-1" and rec.manifest_url is None
    (rej,) = parse_manifest((COOKBOOK / "0009-book-1_manifest.json").read_bytes(), "file:0009-book-1_manifest.json")
    assert isinstance(rej, Rejected) and "provider" in rej.reason  # no URL anywhere to tell it from


@pytest.mark.parametrize("url, local", [
    ("https://plum.princeton.edu/concern/scanned_resources/pmk61sm00s/manifest", "pmk61sm00s"),
    ("https://api.bl.uk/metadata/iiif/ark:/81055/vdc_100052171660.0x000001/manifest.json", "vdc_100052171660.0x000001"),
    ("https://lbiiif.riksarkivet.se/arkis!40008772/manifest", "arkis!40008772"),
    ("https://www.loc.gov/item/87694060/manifest.json", "87694060"),
])
def test_local_id_is_the_distinctive_part_of_the_url(url: str, local: str) -> None:
    assert _local_id(url) == local


def test_manifest_without_label_is_rejected() -> None:
    (rej,) = parse_manifest((MALFORMED / "iiif_berckenrode_manifest_without_label.json").read_bytes(), "file:x.json")
    assert isinstance(rej, Rejected) and "no title" in rej.reason and "KZL_W_X_020" in rej.raw


@pytest.mark.parametrize("data, message", [
    ((MALFORMED / "iiif_bl_manifest_truncated.json").read_bytes(), "not JSON"),
    ((MALFORMED / "loc_item_html_error_page.json").read_bytes(), "HTML"),
    (b'{"@context": "http://iiif.io/api/presentation/3/context.json", "type": "Collection", "items": []}',
     "type is 'Collection'"),
])
def test_unreadable_documents_raise(data: bytes, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        list(parse_manifest(data, "file:bad.json"))
