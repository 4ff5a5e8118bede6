"""Search through /api/search and /search on the sample collection: cross-script, facets, filters, sort, paging, errors.

The cross-script cases use the real Kazakh and Uzbek records of the sample
collection (loaders/sample_collection/central_asia/curated/works_kk_uz.csv).
"""
from __future__ import annotations

import doctest
from html.parser import HTMLParser

import pytest

FACETS = {"type", "genre", "provider", "language", "rights", "century"}
ITEM_KEYS = {"id", "uri", "title", "creator", "date", "type", "provider", "rights", "rights_statement", "thumbnail",
             "manifest"}


def api(client, **params):  # type: ignore[no-untyped-def]
    resp = client.get("/api/search", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def ids(client, **params) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["id"] for item in api(client, size=100, **params)["items"]]


@pytest.mark.parametrize("query, expected", [
    ("Qara sözder", "curated-abai-qara-sozder"),  # Kazakh 2021 Latin finds Cyrillic «Қара сөздер»
    ("Qara sozder", "curated-abai-qara-sozder"),  # … typed without the diacritic
    ("qara söz*", "curated-abai-qara-sozder"),  # … and as a prefix
    ("Ўткан кунлар", "curated-qodiriy-otkan-kunlar"),  # Uzbek Cyrillic finds Latin «O‘tkan kunlar»
    ("O'tkan kunlar", "curated-qodiriy-otkan-kunlar"),  # ASCII apostrophe
    ("Oʻtkan kunlar", "curated-qodiriy-otkan-kunlar"),  # U+02BB, the official letter
    ("O’tkan kunlar", "curated-qodiriy-otkan-kunlar"),  # typographic apostrophe
    ("Kecha va kunduz", "curated-cholpon-kecha-va-kunduz"),  # Uzbek Latin finds Cyrillic «Кеча ва кундуз»
    ("Şolpan", "curated-zhumabaev-sholpan"),  # Kazakh 2021 Ş for Cyrillic Ш
    ("Sholpan", "curated-zhumabaev-sholpan"),  # 2018 Latin sh
    ("Abai joly", "curated-auezov-abai-zholy"),  # 2021: ы → y
    ("Abaı joly", "curated-auezov-abai-zholy"),  # 2018: и/й → ı
    ("Mūhtar Äuezov", "curated-auezov-abai-zholy"),  # creator, 2021 Latin
    ("Muhtar Áýezov", "curated-auezov-abai-zholy"),  # creator, 2018 Latin (ý for у)
    ("Öleñder", "curated-makataev-olender"),
    ("Ғафур Ғулом", "curated-gulom-shum-bola"),
    ("G‘afur G‘ulom", "curated-gulom-shum-bola"),  # gʻ is one letter
    ("Gʻafur Gʻulom", "curated-gulom-shum-bola"),
    ("Хамса", "curated-navoiy-xamsa"),  # Uzbek x = Cyrillic х
    ("Абдулҳамид Чўлпон", "curated-cholpon-kecha-va-kunduz"),  # Cyrillic creator for a Cyrillic record, ҳ and ў
    ("Очерки по истории", "loc-43037890"),  # Cyrillic finds the Library of Congress romanisation
    ("Ocherki po istorii Kazakhskoĭ", "loc-43037890"),
])
def test_a_query_in_one_script_finds_the_record_written_in_the_other(client, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert expected in ids(client, q=query)


def test_kazakh_letters_match_case_insensitively(client) -> None:  # type: ignore[no-untyped-def]
    assert ids(client, q="ҚАРА СӨЗДЕР") == ids(client, q="қара сөздер") == ["curated-abai-qara-sozder"]
    assert "curated-zhansugurov-kulager" in ids(client, q="ҚҰЛАГЕР")
    assert "curated-zhansugurov-kulager" in ids(client, q="Qūlager")


def test_french_diacritics_fold_and_words_are_stemmed(client) -> None:  # type: ignore[no-untyped-def]
    accented = set(ids(client, q="générale"))
    assert accented and accented == set(ids(client, q="generale"))
    assert "gallica-btv1b55012939c" in ids(client, q="Carte generalle du voyage")
    assert set(ids(client, q="journal")) <= set(ids(client, q="journaux"))  # French stemmer: journaux → journal


def test_russian_words_are_stemmed(client) -> None:  # type: ignore[no-untyped-def]
    assert "rsl-002988236" in ids(client, q="истории")  # «История XVIII столетия»
    assert "rsl-002988236" in ids(client, q="столетие")  # «столетия»
    assert "rsl-002988236" not in ids(client, q="столица")


def test_each_text_is_stemmed_by_the_stemmer_of_its_script() -> None:
    """A French record's Cyrillic title goes to the Russian stemmer only, its French texts to the French one."""
    from portal.search.documents import SearchDocument
    from portal.search.schema import index_fields

    doc = SearchDocument("x", titles=[("Le Petit journal", "fr"), ("Қара сөздер", "kk")],
                         values={"description": ["Journaux illustrés"], "language": ["fr"]})
    fields = index_fields(doc)
    assert fields["text_fr"] == "Le Petit journal\nJournaux illustrés"
    assert fields["text_ru"] == "Қара сөздер"
    english = index_fields(SearchDocument("y", titles=[("Map of Tashkent", "en")], values={"language": ["en"]}))
    assert "text_fr" not in english and "text_ru" not in english


def test_phrases_prefixes_and_exclusions(client) -> None:  # type: ignore[no-untyped-def]
    petit = set(ids(client, q='"petit journal"'))
    assert petit and all(i.startswith("gallica-") for i in petit)
    assert not set(ids(client, q='"journal petit"'))  # a phrase keeps its order
    burl = set(ids(client, q="burlesq*"))
    assert burl and burl == set(ids(client, q="burlesque")) | set(ids(client, q="burlesques"))
    cartes = set(ids(client, q="carte"))
    assert set(ids(client, q="carte -france")) == cartes - set(ids(client, q="france"))


def test_api_answers_in_the_contract_shape(client) -> None:  # type: ignore[no-untyped-def]
    body = api(client, q="carte")
    assert set(body) == {"total", "page", "items", "facets"}
    assert body["page"] == 1 and body["total"] >= len(body["items"]) > 0
    for item in body["items"]:
        assert set(item) == ITEM_KEYS
        assert item["uri"] == f"http://127.0.0.1:5000/id/{item['id']}"
        assert item["manifest"] == f"http://127.0.0.1:5000/iiif/{item['id']}/manifest"
        assert item["provider"] == item["id"].split("-", 1)[0]
        assert item["rights"] in ("open", "restricted")
        assert item["rights_statement"].startswith(("http://rightsstatements.org/", "http://creativecommons.org/"))
    assert set(body["facets"]) == FACETS
    for counts in body["facets"].values():
        assert all(isinstance(k, str) and isinstance(n, int) and n > 0 for k, n in counts.items())


def test_every_facet_key_is_a_filter_with_that_count(client) -> None:  # type: ignore[no-untyped-def]
    everything = api(client)
    assert everything["total"] > 150
    facets = everything["facets"]
    assert facets["provider"]["gallica"] > 10 and facets["provider"]["curated"] == 14
    assert {"open", "restricted"} == set(facets["rights"])
    assert sum(facets["rights"].values()) == everything["total"] == sum(facets["type"].values())
    for name, counts in facets.items():
        for key, n in counts.items():
            assert api(client, **{name: key, "size": 1})["total"] == n, (name, key)


def test_filters_combine_with_the_query(client) -> None:  # type: ignore[no-untyped-def]
    kk = api(client, language="kk", size=100)
    assert kk["total"] == 9 and all(i["id"].startswith("curated-") for i in kk["items"])
    assert api(client, q="Абай", language="kk")["total"] == 2
    assert api(client, q="Абай", language="uz")["total"] == 0
    either = api(client, type=["IMAGE", "SOUND"], size=1)["total"]
    assert either == api(client, type="IMAGE", size=1)["total"] + api(client, type="SOUND", size=1)["total"]
    maps = api(client, genre="map", rights="open", size=100)
    assert maps["items"] and all(i["rights"] == "open" for i in maps["items"])


def test_creator_subject_and_place_filters_work_across_scripts(client) -> None:  # type: ignore[no-untyped-def]
    assert ids(client, creator="Абай Құнанбайұлы") == ["curated-abai-qara-sozder"]
    assert ids(client, creator="Abai Qūnanbaiūly") == ["curated-abai-qara-sozder"]
    assert "curated-navoiy-xamsa" in ids(client, place="Hirot")
    assert set(ids(client, place="Алматы")) >= {"curated-auezov-abai-zholy", "curated-makataev-olender"}


def test_years_filter_overlapping_dates(client) -> None:  # type: ignore[no-untyped-def]
    body = api(client, **{"from": "1890", "to": "1899", "size": 100})
    assert "curated-abai-qara-sozder" in {i["id"] for i in body["items"]}  # 1890/1898
    assert "curated-altynsarin-khrestomatiya" not in {i["id"] for i in body["items"]}  # 1879
    assert api(client, **{"from": "-500", "to": "-1"})["total"] == 0  # negative years are valid


def test_sorting_by_date_and_title(client, app) -> None:  # type: ignore[no-untyped-def]
    index = app.extensions["meros.search"]

    def years(sort: str) -> list[int | None]:
        return [index.get(i).data["year"] for i in ids(client, sort=sort)]

    oldest = years("date")
    dated = [y for y in oldest if y is not None]
    assert dated == sorted(dated) and dated[0] == 1427  # the Samarkand manuscript of 1427
    assert oldest[: len(dated)] == dated  # undated objects come last
    newest = [y for y in years("-date") if y is not None]
    assert newest == sorted(newest, reverse=True)
    titles = [i["title"] for i in api(client, q="petit journal", sort="title", size=100)["items"]]
    assert titles == sorted(titles, key=lambda t: t.lower().lstrip("[. "))


def test_paging_is_stable_and_a_page_past_the_end_is_empty(client) -> None:  # type: ignore[no-untyped-def]
    first = ids(client, sort="title")
    paged = [i for p in (1, 2, 3) for i in (x["id"] for x in api(client, sort="title", size=20, page=p)["items"])]
    assert paged == first[:60]
    past = client.get("/api/search", query_string={"q": "carte", "page": 50})
    assert past.status_code == 200 and past.get_json()["items"] == [] and past.get_json()["page"] == 50


@pytest.mark.parametrize("params, fragment", [
    ({"size": "0"}, "size"), ({"size": "1000"}, "size"), ({"page": "0"}, "page"), ({"page": "abc"}, "page"),
    ({"from": "abc"}, "from"), ({"to": "1.5"}, "to"), ({"sort": "random"}, "sort"), ({"rights": "free"}, "rights"),
    ({"type": "BOOK"}, "type"), ({"from": "1900", "to": "1800"}, "from"), ({"century": "1850"}, "century"),
    ({"page": "600", "size": "100"}, "page"), ({"q": "x" * 600}, "q"),
])
def test_bad_parameters_are_400_with_a_message_naming_them(client, params, fragment: str) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/api/search", query_string=params)
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["status"] == 400 and fragment in body["error"]
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    html = client.get("/search", query_string=params, headers={"Accept": "text/html"})
    assert html.status_code == 400 and b"Traceback" not in html.data and fragment.encode() in html.data


@pytest.mark.parametrize("q", ['"unclosed phrase', "*", "-", "a:b (c", "[x TO y]", "+++", "\\", 'AND OR NOT "'])
def test_any_query_text_is_answered_never_an_error(client, q: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/search", query_string={"q": q}).status_code == 200
    assert client.get("/search", query_string={"q": q}).status_code == 200


def test_api_allows_other_origins_and_names_the_interface_language(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/api/search", query_string={"q": "Xamsa"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert resp.get_json()["items"][0]["title"] == "Xamsa"


class _Search(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.results: list[str] = []
        self.facet_links: list[str] = []
        self.status: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self._in_status = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and "result-title" in (a.get("class") or ""):
            self.results.append(a.get("href") or "")
        if tag == "a" and (a.get("href") or "").startswith("/search?"):
            self.facet_links.append(a.get("href") or "")
        if tag == "img":
            self.images.append(a)
        self._in_status = a.get("role") == "status"

    def handle_data(self, data: str) -> None:
        if self._in_status and data.strip():
            self.status.append(data.strip())


def test_search_page_has_results_counts_facet_links_thumbnails_and_paging(client) -> None:  # type: ignore[no-untyped-def]
    page = _Search(client.get("/search", query_string={"q": "journal", "size": 10}).get_data(as_text=True))
    assert len(page.results) == 10
    total = api(client, q="journal")["total"]
    assert page.status == [f"{total} objects found"]
    assert any("provider=gallica" in link for link in page.facet_links)
    assert any("page=2" in link for link in page.facet_links)
    assert page.images and all(img.get("alt") for img in page.images)
    link = next(link for link in page.facet_links if "genre=periodical" in link)
    narrowed = _Search(client.get(link).get_data(as_text=True))
    periodicals = api(client, q="journal", genre="periodical", size=10)
    assert narrowed.results == [f"/item/{item['id']}" for item in periodicals["items"]]
    assert set(periodicals["facets"]["genre"]) == {"periodical"} and periodicals["total"] <= total


def test_search_page_in_russian(client) -> None:  # type: ignore[no-untyped-def]
    page = _Search(client.get("/search", query_string={"q": "Qara sözder", "lang": "ru"}).get_data(as_text=True))
    assert page.results == ["/item/curated-abai-qara-sozder"]
    assert page.status == ["Найден 1 объект"]


def test_the_normalisation_examples_hold() -> None:
    from portal.search import documents, query, schema, scripts

    for module in (scripts, query, schema, documents):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
