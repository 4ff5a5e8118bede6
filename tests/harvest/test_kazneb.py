"""`meros load kazneb`: the HTML harvester for the Kazakhstan national e-library.

No recorded kazneb.kz page exists in the samples (SOURCES.md: none was found in
any public repository), so the pages under tests/fixtures/recorded/kazneb/
were built by hand from the documented patterns: catalogue pages at
`/{ru|kk|en}/catalogue/view/{id}` with the title in `.book-info__name` (or
only in `og:title`), fields as table rows, `dt`/`dd` pairs or label/value
spans, in Russian, Kazakh and Kazakh Latin; viewer pages at
`/{lang}/bookView/view?brId={id}&simple=true` listing page images with
`pages.push(…)` and the page count with `onNavigate(N)`. Their bibliographic
values are illustrations, not kazneb's records.
"""
from __future__ import annotations

import pytest

from lxml import etree

from loaders.kazneb import LABEL_MAX, _short_texts, _text, book_ids, parse_catalogue, parse_viewer, read_fields
from ontology.errors import RecordError
from sparql.store import open_store

from .conftest import RECORDED, Meros, ReplayServer, object_ids, select

PAGES = RECORDED / "kazneb"
CHO = "<http://127.0.0.1:5000/id/{}>"


def load(meros: Meros, replay: ReplayServer, source: str, *extra: str) -> str:
    code, out, err = meros("kazneb", source, "--base-url", replay.url("kazneb"), "--rate", "1000/1",
                           "--no-progress", *extra)
    assert code == 0, err
    return out


def test_a_range_loads_what_it_can_rejects_with_reasons_and_skips_missing_ids(replay: ReplayServer,
                                                                              meros: Meros) -> None:
    out = load(meros, replay, "1000001-1000006")
    assert "3 loaded, 0 replaced, 0 unchanged, 2 rejected" in out and "1 skipped" in out
    reasons = {r["source"].rsplit("/", 1)[1]: r["reason"] for r in meros.rejected()}
    assert "no title" in reasons["1000004"]
    assert "lists 2 page images but announces 4 pages" in reasons["1000005"]
    assert all("<html" in r["raw"] for r in meros.rejected())  # the page itself, so nothing is lost
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"kazneb-1000001", "kazneb-1000002", "kazneb-1000003"}


def test_a_book_with_its_pages_creator_and_kazakh_title(replay: ReplayServer, meros: Meros) -> None:
    load(meros, replay, "https://kazneb.kz/ru/catalogue/view/1000001")
    with open_store(str(meros.store_dir)) as store:
        cho = CHO.format("kazneb-1000001")
        rows = store.query(f"SELECT ?t WHERE {{ {cho} <http://purl.org/dc/elements/1.1/title> ?t }}")
        assert [(r["t"].value, r["t"].language) for r in rows] == [("Қара сөздер", "kk-cyrl")]
        assert select(store, f"{cho} dc:creator/rdaGr2:dateOfDeath ?v") == ["1904"]
        assert select(store, f"{cho} dc:language ?v") == ["kk"]
        assert select(store, f"{cho} dcterms:created ?v") == ["1993"]
        assert select(store, f"{cho} dc:type ?v") == ["book"]
        images = select(store, "?a edm:isShownBy|edm:hasView ?v")
        assert images == [f"https://kazneb.kz/FileStore/dataFiles/3e/a1/1000001/content/000{n}.png" for n in (1, 2, 3)]
        assert select(store, f"{cho} dc:identifier ?v") == ["5-605-01234-5"]


def test_the_same_book_through_another_interface_language_is_the_same_object(replay: ReplayServer,
                                                                             meros: Meros) -> None:
    load(meros, replay, "https://kazneb.kz/ru/catalogue/view/1000001")
    out = load(meros, replay, "https://kazneb.kz/kk/catalogue/view/1000001")
    assert "0 loaded, 1 replaced" in out  # its page link changed language, nothing else: one object
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"kazneb-1000001"}
        assert len(select(store, "?a edm:isShownBy|edm:hasView ?v")) == 3  # signed URLs differ, pages do not


def test_kazakh_in_latin_letters_is_tagged_kk_latn(replay: ReplayServer, meros: Meros) -> None:
    load(meros, replay, "https://kazneb.kz/la/catalogue/view/1000007")
    with open_store(str(meros.store_dir)) as store:
        rows = store.query("SELECT ?t WHERE { <http://127.0.0.1:5000/id/kazneb-1000007> "
                           "<http://purl.org/dc/elements/1.1/title> ?t }")
        assert [(r["t"].value, r["t"].language) for r in rows] == [("Qara sózder", "kk-latn")]
        assert select(store, "?a edm:isShownBy ?v") == []  # no viewer: metadata only, no invented images


def test_rights_stated_on_the_page_are_kept_verbatim() -> None:
    record = parse_catalogue((PAGES / "catalogue-ru-1000002.html").read_bytes(), "x", book_id=1000002)
    assert [(t.value, t.lang) for t in record.rights_text] == [("Только в читальном зале", "ru")]
    assert (record.creators[0].name, record.creators[0].birth, record.creators[0].death) == (
        "Вяткин, М. П.", 1895, 1967)
    assert (record.place_of_origin.name if record.place_of_origin else None, record.year_from) == ("Москва", 1941)


@pytest.mark.parametrize("page, field, value", [
    ("catalogue-ru-1000001.html", "creator", ["Абай Құнанбайұлы (1845-1904)"]),  # table rows
    ("catalogue-ru-1000002.html", "publisher", ["Издательство Академии наук СССР"]),  # dt/dd
    ("catalogue-ru-1000003.html", "place", ["Оренбург"]),  # <b>label:</b> value
    ("catalogue-ru-1000003.html", "type", ["Газета"]),  # label span + value span
    ("catalogue-kk-1000001.html", "date", ["1993"]),  # Kazakh labels
    ("catalogue-la-1000007.html", "language", ["Qazaq tili"]),  # Kazakh Latin labels
])
def test_fields_are_read_from_every_documented_layout(page: str, field: str, value: list[str]) -> None:
    doc = etree.fromstring((PAGES / page).read_text(encoding="utf-8"), etree.HTMLParser())
    assert read_fields(doc)[field] == value


_LONG = "Сборник статей о казахской литературе и языке, изданный к юбилею автора"  # longer than any label


@pytest.mark.parametrize("html", [
    f"<table><tr><td>Описание</td><td>{_LONG}</td></tr></table>",
    f"<dl><dt>Описание</dt><dd>{_LONG}</dd></dl>",
    f"<p><span>Описание</span><span><i>{_LONG}</i></span></p>",
    f"<table><tr><td>Описание{' ' * LABEL_MAX}:</td><td>{_LONG}</td></tr></table>",  # a label padded long
])
def test_values_longer_than_a_label_are_read_whole(html: str) -> None:
    assert read_fields(etree.fromstring(html, etree.HTMLParser())) == {"description": [_LONG]}


_AWKWARD = (  # what the one-pass label texts must get right: comments, scripts, spaces of every kind, NFC
    "<div><b>Ав<!-- x -->тор</b>:<i> Абай</i>\u00a0 <span>Е\u0308сенов</span><?pi y?> tail</div>",
    "<dl><dt> Год\n\t издания </dt><dd>1993</dd></dl><p><script>var a = 1;</script>Язык</p>",
    "<div>" + "<span>слово</span> " * 30 + "</div><p>Автор<br/>:</p>",
)


@pytest.mark.parametrize("html", [(PAGES / p).read_text(encoding="utf-8") for p in sorted(
    q.name for q in PAGES.glob("catalogue-*.html"))] + list(_AWKWARD))
def test_label_texts_made_in_one_pass_are_each_elements_own_text(html: str) -> None:
    doc = etree.fromstring(html, etree.HTMLParser())
    expected = {el: _text(el) for el in doc.iter() if isinstance(el.tag, str) and len(_text(el)) < LABEL_MAX}
    assert _short_texts(doc) == expected


def test_a_title_only_in_og_title_is_found() -> None:
    record = parse_catalogue((PAGES / "catalogue-ru-1000003.html").read_bytes(), "x", book_id=1000003)
    assert record.titles[0].value == "Газета «Қазақ», 1913, № 1"
    assert (record.genre, record.date) == ("periodical", "1913")


@pytest.mark.parametrize(("html", "title"), [
    ('<div class="x book-info__name\ty">Маса</div><h1>Menu</h1>', "Маса"),  # one token of several
    ('<p class="book-info__named">Not it</p><h1>Қара сөздер</h1>', "Қара сөздер"),  # a longer class is another
    ('<p class="BOOK-INFO__NAME">Not it</p><h1>Маса</h1>', "Маса"),  # classes are case-sensitive
    ('<p class="book-info__name"> </p><!-- c --><p class=" book-info__name ">Маса</p>', "Маса"),
    ('<head><meta property="og:title" content="Маса | КазНЭБ"></head><p class="book-info__name"></p>', "Маса"),
    ("<h1></h1><h1>Маса | КазНЭБ</h1>", "Маса"),
])
def test_the_title_is_the_first_non_empty_of_the_class_og_title_and_h1(html: str, title: str) -> None:
    record = parse_catalogue(f"<html>{html}<table><tr><td>Год издания</td><td>1993</td></tr></table></html>"
                             .encode(), "x", book_id=1)
    assert record.titles[0].value == title


def test_viewer_pages_are_decoded_and_made_stable() -> None:
    images = parse_viewer((PAGES / "viewer-ru-1000003.html").read_bytes(), 1000003)
    assert [i.url for i in images] == [
        "https://kazneb.kz/FileStore/dataFiles/7c/02/1000003/content/0001.png",
        "https://kazneb.kz/FileStore/dataFiles/7c/02/1000003/content/0002.png"]
    with pytest.raises(RecordError, match="announces 4 pages"):
        parse_viewer((PAGES / "viewer-ru-1000005.html").read_bytes(), 1000005)


@pytest.mark.parametrize("body", [b"", b"<html><body><p>maintenance</p></body></html>"])
def test_a_page_that_is_not_a_catalogue_page_is_refused_with_the_reason(body: bytes) -> None:
    with pytest.raises(RecordError, match="kazneb 5:"):
        parse_catalogue(body, "x", book_id=5)


def test_sources_name_ids_ranges_and_urls() -> None:
    assert book_ids("7,9-10") == ([7, 9, 10], "ru")
    from loaders.harvest import HarvestError

    for bad in ("abc", "10-5", "https://kazneb.kz/ru/about"):
        with pytest.raises(HarvestError):
            book_ids(bad)


def test_an_interrupted_range_resumes_after_the_last_book_stored(replay: ReplayServer, meros: Meros) -> None:
    replay.script("kazneb", "/ru/catalogue/view/1000003", {}, {"status": 500, "body": "down"})
    code, out, err = meros("kazneb", "1000001-1000003", "--base-url", replay.url("kazneb"), "--rate", "1000/1",
                           "--no-progress")
    assert code == 1 and "500" in err and "resumes" in err
    assert meros.checkpoints()[0]["run"]["cursor"] == {"index": 2}
    replay.reset()
    out = load(meros, replay, "1000001-1000003")
    assert "resuming" in out and "3 loaded" in out  # two from the first run, one now
    assert [h.path for h in replay.requests("kazneb")][0] == "/ru/catalogue/view/1000003"
