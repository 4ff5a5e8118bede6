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
    assert any("map" in t for t in page.text["dd.type"])  # the genre is a link to its search
    assert "Bibliothèque nationale de France" in page.text["dd.provider"][0]
    assert any("gallica.bnf.fr/" in (img.get("src") or "") for img in page.images)
    assert "Free to use" in page.text["strong.status-open"]


def test_item_page_of_a_kazakh_work_keeps_its_script(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/item/curated-abai-qara-sozder")
    page = Page(resp.get_data(as_text=True))
    assert page.text["h1"] == ["Қара сөздер"]
    creator = " ".join(page.text["dd.creator"])  # the name is a link to the creator's search, the years follow
    assert "Абай Құнанбайұлы" in creator and "1845" in creator and "1904" in creator


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


# --- item page: structured data, sharing, citing ------------------------------------------------------------

def _head(html: str) -> tuple[dict[str, str], list[dict], list[dict[str, str | None]]]:  # type: ignore[type-arg]
    """OpenGraph/meta properties, JSON-LD blocks and <link>s of a page."""
    import json

    class Head(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.meta: dict[str, str] = {}
            self.jsonld: list[dict] = []  # type: ignore[type-arg]
            self.links: list[dict[str, str | None]] = []
            self._script = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "meta" and (a.get("property") or a.get("name")):
                self.meta[a.get("property") or a.get("name") or ""] = a.get("content") or ""
            if tag == "link":
                self.links.append(a)
            self._script = tag == "script" and a.get("type") == "application/ld+json"

        def handle_data(self, data: str) -> None:
            if self._script:
                self.jsonld.append(json.loads(data))
                self._script = False

    h = Head()
    h.feed(html)
    return h.meta, h.jsonld, h.links


def test_item_page_has_schema_org_json_ld_and_opengraph(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/item/gallica-btv1b55012939c").get_data(as_text=True)
    meta, jsonld, links = _head(html)
    (data,) = jsonld
    assert data["@context"] == "https://schema.org" and data["@type"] == "Map"
    assert data["@id"] == "http://127.0.0.1:5000/id/gallica-btv1b55012939c"
    assert data["name"].startswith("Carte gé[né]ralle du voyage")
    assert any("Franquelin" in c["name"] for c in data["creator"])
    assert data["license"] == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert data["dateCreated"] == "1686"
    assert meta["og:title"] == data["name"] and meta["og:url"] == "http://127.0.0.1:5000/item/gallica-btv1b55012939c"
    assert meta["og:image"].startswith("https://gallica.bnf.fr/")
    alternates = {link.get("type"): link.get("href") for link in links if link.get("rel") == "alternate"}
    assert alternates["text/turtle"] == "/item/gallica-btv1b55012939c.ttl"
    assert alternates["application/ld+json"] == "/item/gallica-btv1b55012939c.jsonld"
    page = Page(html)
    assert "/item/gallica-btv1b55012939c.rdf" in page.links and "/item/gallica-btv1b55012939c.nt" in page.links
    assert "http://127.0.0.1:5000/iiif/gallica-btv1b55012939c/manifest" in page.links


def test_item_json_ld_is_valid_rdf_about_the_persistent_uri(client) -> None:  # type: ignore[no-untyped-def]
    import json

    from pyoxigraph import NamedNode, RdfFormat, parse

    html = client.get("/item/curated-abai-qara-sozder").get_data(as_text=True)
    (data,) = _head(html)[1]
    data["@context"] = {"@vocab": "https://schema.org/"}  # the same terms, without fetching schema.org's context
    triples = list(parse(json.dumps(data).encode(), format=RdfFormat.JSON_LD))
    subject = NamedNode("http://127.0.0.1:5000/id/curated-abai-qara-sozder")
    names = [t.object.value for t in triples if t.subject == subject and t.predicate == NamedNode("https://schema.org/name")]
    assert names == ["Қара сөздер"]


def test_qr_code_is_an_svg_of_the_persistent_uri(client) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    import segno

    page = Page(client.get("/item/curated-abai-qara-sozder").get_data(as_text=True))
    qr = next(img for img in page.images if "qr.svg" in (img.get("src") or ""))
    assert "http://127.0.0.1:5000/id/curated-abai-qara-sozder" in (qr.get("alt") or "")
    resp = client.get(qr["src"])
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    svg = ET.fromstring(resp.data)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.tag == f"{ns}svg"
    assert svg.find(f"{ns}title").text == "http://127.0.0.1:5000/id/curated-abai-qara-sozder"  # type: ignore[union-attr]
    expected = segno.make("http://127.0.0.1:5000/id/curated-abai-qara-sozder", error="m")
    assert int(svg.get("width") or 0) == (expected.symbol_size(scale=4, border=2)[0])
    assert client.get("/item/nope-1/qr.svg").status_code == 404


def test_cite_this_in_plain_text_bibtex_and_csl_json(client) -> None:  # type: ignore[no-untyped-def]
    page = Page(client.get("/item/curated-qodiriy-otkan-kunlar").get_data(as_text=True))
    plain = page.text["p.cite-plain"][0]
    assert plain.startswith("Abdulla Qodiriy. O‘tkan kunlar. 1926.")
    assert "http://127.0.0.1:5000/id/curated-qodiriy-otkan-kunlar" in plain
    bib = client.get("/item/curated-qodiriy-otkan-kunlar/cite.bib").get_data(as_text=True)
    assert bib.startswith("@misc{curated-qodiriy-otkan-kunlar,")
    assert "title = {{O‘tkan kunlar}}" in bib and "author = {{Abdulla Qodiriy}}" in bib and "year = {1926}" in bib
    assert bib.count("{") == bib.count("}")
    csl = client.get("/item/curated-qodiriy-otkan-kunlar/cite.json").get_json()
    assert csl[0]["type"] == "book" and csl[0]["title"] == "O‘tkan kunlar"
    assert csl[0]["author"] == [{"literal": "Abdulla Qodiriy"}] and csl[0]["issued"] == {"date-parts": [[1926]]}
    assert csl[0]["URL"] == "http://127.0.0.1:5000/id/curated-qodiriy-otkan-kunlar"


def test_similar_items_share_a_creator_subject_place_or_collection(client) -> None:  # type: ignore[no-untyped-def]
    page = Page(client.get("/item/curated-auezov-abai-zholy").get_data(as_text=True))
    similar = [link for link in page.links if link.startswith("/item/") and "abai-zholy" not in link]
    assert "/item/curated-makataev-olender" in similar  # also published in Алматы
    assert "/item/curated-zhansugurov-kulager" in similar


def test_item_metadata_follows_the_interface_language_with_fallbacks(client) -> None:  # type: ignore[no-untyped-def]
    ru = Page(client.get("/item/curated-abai-qara-sozder", query_string={"lang": "ru"}).get_data(as_text=True))
    assert ru.lang == "ru" and ru.text["h1"] == ["Қара сөздер"]  # the only title: shown whatever the language
    assert "Автор" in ru.text["dt"] and "Дата" in ru.text["dt"]
    fresh = client.application.test_client()  # no language cookie
    fr = Page(fresh.get("/item/gallica-btv1b55012939c", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True))
    assert fr.lang == "fr" and "Auteur" in fr.text["dt"]


# --- home, browse, exhibitions, sitemaps --------------------------------------------------------------------

def test_home_has_a_search_box_counts_and_new_public_domain_section(client) -> None:  # type: ignore[no-untyped-def]
    page = Page(client.get("/").get_data(as_text=True))
    headings = page.text["h2"]
    assert any("public domain" in h for h in headings)
    assert "/search?provider=gallica" in page.links and "/search?type=TEXT" in page.links


def test_browse_pages_list_collections_genres_centuries_and_places(client) -> None:  # type: ignore[no-untyped-def]
    assert {"/browse/provider", "/browse/genre", "/browse/century", "/browse/place"} <= set(
        Page(client.get("/browse").get_data(as_text=True)).links)
    providers = Page(client.get("/browse/provider").get_data(as_text=True))
    assert "/search?provider=gallica" in providers.links
    genres = Page(client.get("/browse/genre").get_data(as_text=True))
    assert "/search?genre=map" in genres.links
    timeline = Page(client.get("/browse/century").get_data(as_text=True))
    centuries = [link for link in timeline.links if "century=" in link]
    assert centuries[0].startswith("/search?century=1400") and len(centuries) >= 6
    places = Page(client.get("/browse/place").get_data(as_text=True))
    assert "/search?place=Geneva" in places.links  # a place with coordinates (Europeana record)
    assert "/vendor/leaflet.js" in client.get("/browse/place").get_data(as_text=True)
    assert "/vendor/leaflet.js" not in client.get("/browse/genre").get_data(as_text=True)  # the map loads only there


def test_the_shipped_exhibition_renders_with_its_objects_and_iiif_collection(client) -> None:  # type: ignore[no-untyped-def]
    import json
    from pathlib import Path

    import jsonschema

    listing = Page(client.get("/exhibitions").get_data(as_text=True))
    assert "/exhibitions/books-of-central-asia" in listing.links
    page = Page(client.get("/exhibitions/books-of-central-asia").get_data(as_text=True))
    assert page.text["h1"][0].startswith("From Samarkand to the steppe")
    assert "/item/curated-abai-qara-sozder" in page.links and "/item/penn-4826279" in page.links
    assert "Ulugh Beg" in " ".join(page.text["strong"])  # Markdown rendered
    ru = Page(client.get("/exhibitions/books-of-central-asia", query_string={"lang": "ru"}).get_data(as_text=True))
    assert ru.text["h1"][0].startswith("От Самарканда до степи")
    resp = client.get("/exhibitions/books-of-central-asia/collection.json")
    assert resp.status_code == 200 and 'profile="http://iiif.io/api/presentation/3/context.json"' in resp.content_type
    collection = resp.get_json()
    assert collection["type"] == "Collection" and len(collection["items"]) >= 20
    assert {"id": "http://127.0.0.1:5000/iiif/curated-abai-qara-sozder/manifest", "type": "Manifest",
            "label": {"kk": ["Қара сөздер"]}} in collection["items"]
    schema_file = Path(__file__).parents[1] / "fixtures" / "iiif_3_0.json"
    if not schema_file.exists():
        pytest.skip("the IIIF Presentation 3 JSON schema (tests/fixtures/iiif_3_0.json) is not in this tree")
    jsonschema.validate(collection, json.loads(schema_file.read_text(encoding="utf-8")))
    assert client.get("/exhibitions/nope").status_code == 404


def test_a_broken_exhibition_file_is_a_clear_error_and_the_list_still_works(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "good.yaml").write_text("title: Good\nsections:\n  - heading: One\n    objects: [loc-43037890]\n")
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n")
    (tmp_path / "empty.yaml").write_text("title: Nothing\n")
    old = app.extensions["meros"].settings["EXHIBITIONS"]
    app.extensions["meros"].settings["EXHIBITIONS"] = str(tmp_path)
    try:
        client = app.test_client()
        assert "/exhibitions/good" in Page(client.get("/exhibitions").get_data(as_text=True)).links
        resp = client.get("/exhibitions/broken", headers={"Accept": "application/json"})
        assert resp.status_code == 500 and "broken.yaml" in resp.get_json()["error"]
        resp = client.get("/exhibitions/empty", headers={"Accept": "application/json"})
        assert "empty.yaml" in resp.get_json()["error"] and "no sections" in resp.get_json()["error"]
    finally:
        app.extensions["meros"].settings["EXHIBITIONS"] = old


def test_sitemaps_and_robots(client) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(client.get("/sitemap.xml").data)
    files = [e.text for e in index.findall("s:sitemap/s:loc", ns)]
    assert files == ["http://127.0.0.1:5000/sitemap-pages.xml", "http://127.0.0.1:5000/sitemap-items-1.xml"]
    items = ET.fromstring(client.get("/sitemap-items-1.xml").data)
    urls = [e.text for e in items.findall("s:url/s:loc", ns)]
    assert len(urls) == len(set(urls)) > 150 and "http://127.0.0.1:5000/item/curated-abai-qara-sozder" in urls
    pages = [e.text for e in ET.fromstring(client.get("/sitemap-pages.xml").data).findall("s:url/s:loc", ns)]
    assert "http://127.0.0.1:5000/exhibitions/books-of-central-asia" in pages
    assert client.get("/sitemap-items-2.xml").status_code == 404
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in robots and "Disallow: /api/" in robots


# --- interface languages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, search_word", [("uz", "Qidiruv"), ("kk", "Іздеу"), ("ru", "Поиск"), ("en", "Search"),
                                               ("fr", "Recherche")])
def test_lang_parameter_sets_html_lang_the_texts_and_a_cookie(client, lang: str, search_word: str) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/", query_string={"lang": lang})
    page = Page(resp.get_data(as_text=True))
    assert page.lang == lang and search_word in page.text["button"]
    assert f"meros_lang={lang}" in resp.headers["Set-Cookie"]
    assert Page(client.get("/browse").get_data(as_text=True)).lang == lang  # the cookie keeps it
    switcher = [link for link in page.links if "lang=" in link]
    assert {f"/?lang={code}" for code in ("uz", "kk", "ru", "en", "fr")} <= set(switcher)


def test_accept_language_chooses_when_nothing_else_does(client) -> None:  # type: ignore[no-untyped-def]
    for header, lang in (("kk-KZ", "kk"), ("ru-RU,ru;q=0.9,en;q=0.5", "ru"), ("uz", "uz"), ("de-DE", "en")):
        fresh = client.application.test_client()  # no cookie from an earlier request
        assert Page(fresh.get("/", headers={"Accept-Language": header}).get_data(as_text=True)).lang == lang, header


def test_every_interface_message_is_translated_in_every_language() -> None:
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).parents[2]
    method_map = [("portal/**.py", "python"), ("iiif/**.py", "python"), ("portal/templates/**.html", "jinja2")]
    keywords = {"_": None, "_l": None, "lazy_gettext": None, "gettext": None, "ngettext": (1, 2)}
    wanted = {msg[2] if isinstance(msg[2], str) else msg[2][0]
              for msg in extract_from_dir(str(root), method_map=method_map, keywords=keywords)}
    assert len(wanted) > 80
    for lang in ("uz", "kk", "ru", "en", "fr"):
        folder = root / "portal" / "translations" / lang / "LC_MESSAGES"
        with open(folder / "messages.po", "rb") as fh:
            po = read_po(fh, locale=lang)
        with open(folder / "messages.mo", "rb") as fh:
            mo = read_mo(fh)
        translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in po if m.id}
        missing = sorted(w for w in wanted if not translated.get(w) or (
            isinstance(translated[w], tuple) and not all(translated[w])))
        assert not missing, f"{lang}: untranslated {missing}"
        fuzzy = [m.id for m in po if m.id and m.fuzzy]
        assert not fuzzy, f"{lang}: fuzzy {fuzzy}"
        def flat(catalog):  # type: ignore[no-untyped-def]
            return {(m.id if isinstance(m.id, str) else tuple(m.id)): (m.string if isinstance(m.string, str)
                    else tuple(m.string)) for m in catalog if m.id}

        assert flat(mo) == flat(po), f"{lang}: messages.mo is older than messages.po (run pybabel compile)"
