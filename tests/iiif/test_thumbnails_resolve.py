"""Every local thumbnail the store announces (edm:object) is a request our Image API answers."""
from __future__ import annotations


def test_every_local_thumbnail_answers_200(client, sample_store) -> None:  # type: ignore[no-untyped-def]
    rows = sample_store.query("SELECT ?t WHERE { ?a <http://www.europeana.eu/schemas/edm/object> ?t "
                              "FILTER(STRSTARTS(STR(?t), \"http://127.0.0.1:5000/iiif/image/\")) }")
    thumbs = [r["t"].value for r in rows]
    assert len(thumbs) >= 2
    for url in thumbs:
        resp = client.get(url.removeprefix("http://127.0.0.1:5000"))
        assert resp.status_code == 200, (url, resp.get_data(as_text=True)[:200])
        assert resp.mimetype == "image/jpeg"
