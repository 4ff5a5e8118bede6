"""Change Discovery 1.0 over the sample collection; Content Search 2.0 only where there is text; Content State."""
from __future__ import annotations

from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from iiif.content_state import decode, drag_and_drop_link, encode, state_for, viewer_links
from ontology.vocab import NS
from sparql.store import Store

from .conftest import IiifEnv

BASE = "http://127.0.0.1:5000"
OA = "http://www.w3.org/ns/oa#"


def test_change_discovery_lists_every_object_oldest_first(client: Any, sample_store: Store) -> None:
    top = client.get("/iiif/discovery/changes").get_json(force=True)
    assert top["type"] == "OrderedCollection" and top["@context"] == "http://iiif.io/api/discovery/1/context.json"
    objects = sample_store.query(f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{NS.edm.ProvidedCHO.value}> }}")
    assert top["totalItems"] == int(objects[0]["n"].value)  # type: ignore[index,union-attr]
    items, url, pages = [], top["first"]["id"], 0
    while url:
        page = client.get(url.removeprefix(BASE)).get_json(force=True)
        assert page["type"] == "OrderedCollectionPage" and page["partOf"]["id"] == top["id"]
        items += page["orderedItems"]
        url = page.get("next", {}).get("id")
        pages += 1
    assert page["id"] == top["last"]["id"] and pages == -(-top["totalItems"] // 100)
    assert len(items) == top["totalItems"]
    assert [i["endTime"] for i in items] == sorted(i["endTime"] for i in items)
    assert all(i["type"] in ("Create", "Update", "Delete") and i["object"]["type"] == "Manifest" for i in items)
    manifest = items[0]["object"]["id"]
    assert client.get(manifest.removeprefix(BASE)).status_code == 200
    assert client.get(f"/iiif/discovery/changes/page/{pages}").status_code == 404


def test_no_text_no_search(client: Any) -> None:
    doc = client.get("/iiif/local-gallica-bpt6k5603637g/manifest").get_json(force=True)
    assert "service" not in doc
    assert client.get("/iiif/local-gallica-bpt6k5603637g/search?q=france").status_code == 404
    assert client.get("/iiif/no-such-object/search?q=x").status_code == 404


def test_content_search_where_text_exists(http: Any, iiif_env: IiifEnv) -> None:
    """Full text written as Web Annotations on a canvas turns on the search service and answers queries."""
    canvas = f"{iiif_env.base}/iiif/local-big-map/canvas/1"
    anno, selector_target = NamedNode(f"{iiif_env.base}/id/local-big-map#text-1"), BlankNode()
    triples = [
        Triple(anno, NamedNode(f"{OA}motivatedBy"), NamedNode(f"{OA}supplementing")),
        Triple(anno, NamedNode(f"{OA}hasTarget"), NamedNode(canvas + "#xywh=0,0,1200,800")),
        Triple(anno, NamedNode(f"{OA}bodyValue"), Literal("Carte de la Nouvelle France", language="fr")),
        Triple(NamedNode(anno.value + "b"), NamedNode(f"{OA}hasTarget"), selector_target),
        Triple(selector_target, NamedNode(f"{OA}hasSource"), NamedNode(canvas)),
        Triple(NamedNode(anno.value + "b"), NamedNode(f"{OA}bodyValue"), Literal("Golfe du Mexique")),
    ]
    iiif_env.store.replace_graph(NamedNode(f"{iiif_env.base}/graph/local-big-map/text"), triples)
    doc = http.get(f"{iiif_env.base}/iiif/local-big-map/manifest", timeout=30).json()
    assert doc["service"] == [{"id": f"{iiif_env.base}/iiif/local-big-map/search", "type": "SearchService2"}]
    found = http.get(f"{iiif_env.base}/iiif/local-big-map/search", params={"q": "nouvelle FRANCE"}, timeout=30).json()
    assert found["type"] == "AnnotationPage" and found["@context"] == "http://iiif.io/api/search/2/context.json"
    assert [i["target"] for i in found["items"]] == [canvas + "#xywh=0,0,1200,800"]
    assert found["items"][0]["body"]["value"] == "Carte de la Nouvelle France"
    other = http.get(f"{iiif_env.base}/iiif/local-big-map/search", params={"q": "golfe"}, timeout=30).json()
    assert [i["target"] for i in other["items"]] == [canvas]
    assert http.get(f"{iiif_env.base}/iiif/local-big-map/search", params={"q": "absent"}, timeout=30).json()["items"] == []
    assert http.get(f"{iiif_env.base}/iiif/local-big-map/search", timeout=30).status_code == 400


def test_content_state_round_trip_and_links() -> None:
    manifest = f"{BASE}/iiif/local-berckenrode-amsterdam-map/manifest"
    state = state_for(manifest)
    encoded = encode(state)
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert decode(encoded) == state and state["target"] == {"id": manifest, "type": "Manifest"}
    assert state["motivation"] == ["contentState"]
    links = dict(viewer_links(manifest))
    assert links["Mirador"].endswith("?iiif-content=" + encoded)
    assert drag_and_drop_link(manifest) == manifest + "?manifest=" + manifest.replace(":", "%3A").replace("/", "%2F")
