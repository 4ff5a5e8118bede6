"""Presentation 3.0 manifests and collections of the sample collection, validated against the official schema."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ontology.vocab import NS
from sparql.store import Store

from .conftest import IiifEnv

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "iiif_3_0.json"
BASE = "http://127.0.0.1:5000"
PRESENTATION = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
LANGS = {"en", "fr", "ru", "kk", "uz"}


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def assert_valid(doc: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, f"{doc.get('id')}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def object_ids(store: Store) -> list[str]:
    rows = store.query(f"SELECT ?cho WHERE {{ ?cho a <{NS.edm.ProvidedCHO.value}> }} ORDER BY ?cho")
    return [r["cho"].value.rsplit("/id/", 1)[-1] for r in rows]  # type: ignore[index,union-attr]


def get_json(client: Any, url: str) -> dict[str, Any]:
    resp = client.get(url.removeprefix(BASE))
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.get_json(force=True)


def test_schema_is_the_official_one_and_rejects_a_broken_manifest() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "http://iiif.io/api/presentation/3/schema.json"
    assert list(validator().iter_errors({"id": "http://x/m", "type": "Manifest", "label": {"en": "not a list"},
                                         "items": []}))


def test_every_manifest_of_the_sample_collection_is_valid(client: Any, sample_store: Store) -> None:
    ids = object_ids(sample_store)
    assert len(ids) > 100
    for oid in ids:
        resp = client.get(f"/iiif/{oid}/manifest")
        assert resp.status_code == 200, oid
        assert resp.headers["Content-Type"] == PRESENTATION
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
        doc = resp.get_json(force=True)
        assert_valid(doc)
        assert doc["id"] == f"{BASE}/iiif/{oid}/manifest"
        assert "example.org" not in json.dumps(doc)
        assert "service" not in doc  # no object of the sample has full text: no search service
        assert doc["homepage"][0]["id"] == f"{BASE}/item/{oid}"
        assert {s["format"] for s in doc["seeAlso"]} == {"text/turtle", "application/ld+json"}
        assert doc["requiredStatement"]["label"].keys() == LANGS
        assert all(m["label"].keys() == LANGS for m in doc["metadata"])
        for canvas in doc["items"]:
            assert canvas["width"] > 0 and canvas["height"] > 0


def test_every_collection_is_valid_and_reaches_every_manifest(client: Any, sample_store: Store) -> None:
    seen: set[str] = set()
    manifests: set[str] = set()
    todo = [f"{BASE}/iiif/collection/top"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        doc = get_json(client, url)
        assert_valid(doc)
        assert doc["type"] == "Collection" and len(doc["items"]) <= 100
        for item in doc["items"]:
            (todo.append(item["id"]) if item["type"] == "Collection" else manifests.add(item["id"]))
    assert {f"{BASE}/iiif/{oid}/manifest" for oid in object_ids(sample_store)} == manifests
    assert f"{BASE}/iiif/collection/gallica" in seen and f"{BASE}/iiif/collection/genre/map" in seen


def test_local_scan_manifest(client: Any, sample_store: Store) -> None:
    from ontology.mapping import Uris
    from sparql.objects import get_object

    doc = get_json(client, "/iiif/local-berckenrode-amsterdam-map/manifest")
    assert doc["label"]["la"][0].startswith("Amstelredamum")
    obj = get_object(sample_store, Uris(BASE), "local-berckenrode-amsterdam-map")
    assert obj.rights_status == "open" and doc["rights"] == obj.rights_statement
    assert doc["navDate"] == "1630-01-01T00:00:00Z"
    canvas = doc["items"][0]
    assert (canvas["width"], canvas["height"]) == (612, 543)
    body = canvas["items"][0]["items"][0]["body"]
    assert body["service"] == [{"id": f"{BASE}/iiif/image/local-berckenrode-amsterdam-map-1",
                                "type": "ImageService3", "profile": "level2"}]
    assert client.get(body["id"].removeprefix(BASE)).status_code == 200
    assert client.get(doc["thumbnail"][0]["id"].removeprefix(BASE)).status_code == 200
    assert {p["id"] for p in doc["partOf"]} == {f"{BASE}/iiif/collection/local", f"{BASE}/iiif/collection/genre/map"}
    for part in doc["partOf"]:
        assert doc["id"] in json.dumps(get_json(client, part["id"]))
    assert doc["provider"][0]["type"] == "Agent" and doc["provider"][0]["id"].startswith(f"{BASE}/id/agent/")
    labels = {m["label"]["en"][0]: m["value"] for m in doc["metadata"]}
    assert "Schrijver, Pieter (1576–1660)" in labels["Creator"]["none"]
    assert labels["Creator"] and labels["Date"] == {"none": ["1630 - 1639"]}
    assert client.get("/iiif/local-berckenrode-amsterdam-map/search?q=amsterdam").status_code == 404


def test_images_at_the_source_keep_their_own_service_type_and_profile(client: Any, sample_store: Store) -> None:
    princeton = get_json(client, "/iiif/princeton-p00001703h/manifest")
    assert len(princeton["items"]) == 38 and princeton["behavior"] == ["paged"]
    service = princeton["items"][0]["items"][0]["items"][0]["body"]["service"][0]
    assert service["@type"] == "ImageService2" and service["profile"] == "http://iiif.io/api/image/2/level2.json"
    assert service["@id"].startswith("https://libimages1.princeton.edu/loris/")
    riksarkivet = get_json(client, "/iiif/riksarkivet-arkis-40008772/manifest")
    service = riksarkivet["items"][0]["items"][0]["items"][0]["body"]["service"][0]
    assert (service["type"], service["profile"]) == ("ImageService3", "level1")
    # Gallica: its own Image API 1.1 service, declared as 1.1 (open), or a thumbnail in 1.1's syntax (restricted)
    from dataclasses import replace

    from iiif.manifest import ManifestOptions, build_manifest
    from ontology.mapping import Uris
    from sparql.objects import get_object

    obj = get_object(sample_store, Uris(BASE), "gallica-btv1b53243704g")
    opened = json.loads(build_manifest(replace(obj, rights_status="open"), Uris(BASE), ManifestOptions()))
    body = opened["items"][0]["items"][0]["items"][0]["body"]
    assert body["service"][0]["@type"] == "ImageService1"
    assert body["service"][0]["@id"] == "https://gallica.bnf.fr/iiif/ark:/12148/btv1b53243704g/f1"
    assert (body["width"], body["height"]) == (opened["items"][0]["width"], opened["items"][0]["height"])
    closed = json.loads(build_manifest(replace(obj, rights_status="restricted"), Uris(BASE), ManifestOptions()))
    body = closed["items"][0]["items"][0]["items"][0]["body"]
    assert body["id"].startswith("https://gallica.bnf.fr/iiif/ark:/12148/btv1b53243704g/f1/full/")
    assert body["id"].endswith("/0/native.jpg") and body["width"] <= 300 and "service" not in body
    assert_valid(opened)
    assert_valid(closed)


def test_gallica_records_without_sizes_get_no_canvas_but_keep_a_thumbnail(client: Any) -> None:
    doc = get_json(client, "/iiif/gallica-btv1b55012939c/manifest")
    assert doc["items"] == []  # Gallica SRU gives no sizes: a canvas would have to guess them
    assert doc["thumbnail"][0]["id"].startswith("https://gallica.bnf.fr/")


def test_restricted_harvested_object_gets_a_thumbnail_body_and_no_service(client: Any) -> None:
    doc = get_json(client, "/iiif/loc-87694060/manifest")
    body = doc["items"][0]["items"][0]["items"][0]["body"]
    assert "service" not in body and max(body["width"], body["height"]) <= 300
    assert body["id"].startswith("https://tile.loc.gov/image-services/iiif/") and "/full/" in body["id"]


def test_nav_place_for_objects_with_coordinates(client: Any) -> None:
    doc = get_json(client, "/iiif/iiifcookbook-0154-geo-extension/manifest")
    assert doc["@context"] == ["http://iiif.io/api/extension/navplace/context.json",
                               "http://iiif.io/api/presentation/3/context.json"]
    feature = doc["navPlace"]["features"][0]
    assert feature["geometry"]["type"] == "Point" and len(feature["geometry"]["coordinates"]) == 2


def test_unknown_object_is_404(client: Any) -> None:
    resp = client.get("/iiif/no-such-object/manifest", headers={"Accept": "application/json"})
    assert resp.status_code == 404 and resp.get_json()["status"] == 404


def test_large_collections_split_into_nested_parts_of_at_most_100(http: Any, iiif_env: IiifEnv) -> None:
    root = http.get(f"{iiif_env.base}/iiif/collection/bulk", timeout=30).json()
    assert_valid(root)
    assert [i["id"].rsplit("/", 1)[-1] for i in root["items"]] == ["1-100", "101-200", "201-250"]
    counts = []
    for ref in root["items"]:
        part = http.get(ref["id"], timeout=30).json()
        assert_valid(part)
        assert part["partOf"][0]["id"] == root["id"]
        counts.append(len(part["items"]))
        assert all(i["type"] == "Manifest" for i in part["items"])
    assert counts == [100, 100, 50]
    for bad in ("1-50", "2-101", "201-300", "301-400", "a-b"):
        assert http.get(f"{iiif_env.base}/iiif/collection/bulk/{bad}", timeout=30).status_code == 404
    genre = http.get(f"{iiif_env.base}/iiif/collection/genre/pamphlet", timeout=30).json()
    assert len(genre["items"]) == 3 and genre["label"]["en"] == ["Genre: pamphlet"]


@pytest.mark.parametrize("oid", ["iiifcookbook-0024-book-4-toc"])
def test_structures_from_a_table_of_contents(sample_store: Store, oid: str) -> None:
    """Ranges are built from a table of contents when one is given (the builder; the mapping records none yet)."""
    from iiif.manifest import ManifestOptions, RangeView, build_manifest
    from ontology.mapping import Uris
    from ontology.record import Text
    from sparql.objects import get_object

    obj = get_object(sample_store, Uris(BASE), oid)
    toc = (RangeView([Text("Tabiba Tabiba", "en")], (1, 2, 3)),
           RangeView([Text("Back matter", "en")], (), (RangeView([Text("Index", "en")], (5, 6)),)))
    doc = json.loads(build_manifest(obj, Uris(BASE), ManifestOptions(ranges=toc)))
    assert_valid(doc)
    first, second = doc["structures"]
    assert [c["id"].rsplit("/", 1)[-1] for c in first["items"]] == ["1", "2", "3"]
    assert second["items"][0]["type"] == "Range" and second["label"] == {"en": ["Back matter"]}
