"""Home, search, item and health answer from the real store; HTML asserted through parsed elements."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest


class Page(HTMLParser):
    """Collects text per tag/class, links and the html lang, to assert on structure rather than text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.text: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.lang: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "img":
            self.images.append(a)
        if tag not in ("img", "meta", "link", "input", "br"):
            self.stack.append((tag, a.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            for tag, cls in self.stack:
                for key in (tag, f"{tag}.{cls}" if cls else None):
                    if key:
                        self.text.setdefault(key, []).append(data.strip())


def test_home_shows_counts_and_featured_items(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/")
    assert resp.status_code == 200
    page = Page(resp.get_data(as_text=True))
    assert page.lang == "en"
    counts = page.text["ul.counts"]
    assert "gallica" in counts and "loc" in counts and "Texts" in counts
    items = [link for link in page.links if link.startswith("/item/")]
    assert len(items) >= 4
    assert all(img.get("alt") is not None for img in page.images)


def test_item_page_renders_title_creator_date_type_provider_and_thumbnail(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/item/gallica-btv1b55012939c")
    assert resp.status_code == 200
    page = Page(resp.get_data(as_text=True))
    assert page.text["h1"][0].startswith("Carte gé[né]ralle du voyage")
    assert any("Franquelin" in t for t in page.text["dd.creator"])
    assert page.text["dd.date"] == ["1686"]
    assert "map" in page.text["dd.type"][0]
    assert "Bibliothèque nationale de France" in page.text["dd.provider"][0]
    assert any("gallica.bnf.fr/" in (img.get("src") or "") for img in page.images)
    assert "Free to use" in page.text["strong.status-open"]


def test_item_page_of_a_kazakh_work_keeps_its_script(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/item/curated-abai-qara-sozder")
    page = Page(resp.get_data(as_text=True))
    assert page.text["h1"] == ["Қара сөздер"]
    assert any("Абай Құнанбайұлы" in t and "1845" in t and "1904" in t for t in page.text["dd.creator"])


def test_search_finds_by_title_word_and_escapes_the_query(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/search", query_string={"q": "nouvelle france"})
    page = Page(resp.get_data(as_text=True))
    results = [link for link in page.links if link.startswith("/item/gallica-")]
    assert results, page.text
    resp = client.get("/search", query_string={"q": '<script>alert(1)</script>" }'})
    assert resp.status_code == 200
    assert b"<script>alert(1)" not in resp.data


@pytest.mark.parametrize("query", [{"q": "x", "page": "0"}, {"q": "x", "size": "1000"}, {"q": "x", "page": "abc"}])
def test_bad_search_parameters_are_400_with_a_message(client, query) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/search", query_string=query, headers={"Accept": "application/json"})
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["status"] == 400 and body["error"]


def test_unknown_item_is_404_in_html_and_json(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/item/nope-123", headers={"Accept": "text/html"})
    assert resp.status_code == 404 and b"Traceback" not in resp.data
    assert Page(resp.get_data(as_text=True)).text["h1"] == ["404"]
    resp = client.get("/item/nope-123", headers={"Accept": "application/json"})
    assert resp.status_code == 404 and resp.get_json() == {"error": "no object with id 'nope-123'", "status": 404}


def test_unknown_route_and_wrong_method_use_the_error_shape(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/nothing").get_json()["status"] == 404
    resp = client.post("/healthz")
    assert resp.status_code == 405 and resp.get_json()["status"] == 405


def test_healthz_answers_when_the_store_answers(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "ok"
