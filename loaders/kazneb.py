"""The Kazakhstan national e-library (kazneb.kz): an HTML harvester, since it has no public API.

Two pages per book, both public:

- the catalogue page `https://kazneb.kz/{ru|kk|en}/catalogue/view/{id}`: the
  title (`.book-info__name`, else the `og:title` meta, else the first `<h1>`)
  and label/value pairs (a table row, a `dt`/`dd` pair, or a label element
  followed by its value), with labels in Russian, Kazakh or English;
- the viewer `https://kazneb.kz/{lang}/bookView/view?brId={id}&simple=true`,
  whose script lists the page images (`pages.push("/FileStore/…/0001.png?…")`)
  and announces the page count (`onNavigate(N)`).

The reading is tolerant of layout but never guesses: a page without a title is
rejected with the reason; a viewer whose image list disagrees with its own page
count is rejected (the list is cut); a field we cannot read is left out. A
book without a viewer (not digitised, or not public) is loaded without images.
Page image URLs are kept without the `time`/`key` parameters the viewer signs
them with on every visit, so a re-harvest does not see every book as changed.
Rights: only what the page states (kept verbatim for the rights engine);
kazneb's own statement is otherwise unknown.

SOURCE: an id (`123456`), a range (`1000-1050`), a list (`12,15,20`), or a
catalogue or viewer URL. Ids without a catalogue page (404) are skipped and
counted. The cursor is the position in the id list.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from ontology.errors import RecordError
from ontology.record import Concept, Image, Place, Record, Text

from .base import Rejected
from .checkpoint import Mark
from .genres import genre_of
from .harvest import Harvest, HarvestError, Item
from .http import HttpError
from .normalise import language_code, nfc, parse_agent, parse_date
from .scripts import lang_tag

LOADER = "loaders.kazneb"
KAZNEB = "https://kazneb.kz"
LANGS = ("ru", "kk", "en", "la")
MAX_IDS = 10_000_000

# Field → the labels kazneb writes for it (ru, kk, en, kk-Latn), compared without case and final colon.
LABELS: dict[str, tuple[str, ...]] = {
    "creator": ("автор", "авторы", "автор(ы)", "авторлар", "авторы/составители", "author", "authors", "avtor",
                "avtorlar"),
    "date": ("год издания", "год", "дата издания", "шыққан жылы", "басылған жылы", "жылы", "year",
             "year of publication", "publication year", "shyqqan jyly", "basylǵan jyly"),
    "language": ("язык", "язык издания", "язык текста", "тіл", "тілі", "басылым тілі", "language", "til", "tili"),
    "publisher": ("издательство", "издатель", "баспа", "баспасы", "publisher", "baspa"),
    "place": ("место издания", "город", "басылған жері", "шыққан жері", "қала", "place of publication",
              "place", "city", "qala"),
    "extent": ("количество страниц", "кол-во страниц", "объем", "объём", "беттер саны", "көлемі", "бет саны",
               "pages", "number of pages", "extent", "better sany"),
    "type": ("тип", "тип издания", "вид издания", "тип документа", "түрі", "басылым түрі", "құжат түрі",
             "type", "document type", "túri"),
    "subject": ("тематика", "рубрика", "ключевые слова", "тақырып", "тақырыбы", "кілт сөздер", "subject",
                "subjects", "keywords", "rubric"),
    "identifier": ("isbn", "issn", "ббк", "удк", "bbk", "udc", "шифр"),
    "rights": ("авторское право", "права", "доступ", "авторлық құқық", "құқықтар", "қолжетімділік", "copyright",
               "rights", "access"),
    "description": ("аннотация", "описание", "аңдатпа", "сипаттама", "annotation", "description", "abstract"),
    "collection": ("коллекция", "топтама", "collection", "серия", "series"),
}
_BY_LABEL = {label: key for key, labels in LABELS.items() for label in labels}
# Language names kazneb writes, in Russian and Kazakh (English ones `language_code` knows).
_LANGUAGE_NAMES = {"казахский": "kk", "қазақ": "kk", "қазақша": "kk", "қазақ тілі": "kk", "русский": "ru",
                   "орыс": "ru", "орыс тілі": "ru", "английский": "en", "ағылшын": "en", "узбекский": "uz",
                   "өзбек": "uz", "арабский": "ar", "араб": "ar", "персидский": "fa", "парсы": "fa",
                   "чагатайский": "chg", "татарский": "tt", "немецкий": "de", "французский": "fr",
                   "турецкий": "tr", "киргизский": "ky", "кыргызский": "ky", "qazaq": "kk", "qazaq tili": "kk",
                   "qazaqsha": "kk", "orys tili": "ru", "ózbek tili": "uz"}
_GENRES = {"книга": "book", "кітап": "book", "газета": "periodical", "журнал": "periodical",
           "рукопись": "manuscript", "қолжазба": "manuscript", "карта": "map", "ноты": "music score",
           "фотография": "photograph", "автореферат": "book", "диссертация": "book", "kitap": "book"}
_PUSH = re.compile(r"""pages\.push\(\s*(['"])(.*?)\1\s*\)""", re.S)
_NAVIGATE = re.compile(r"onNavigate\(\s*(\d+)\s*\)")
_VOLATILE = ("time", "key")
_HTML = etree.HTMLParser()  # plain elements: lxml.html's class lookup per element cost a third of a page's parse
LABEL_MAX = 60  # characters: longer text is a value, never a label


# --- the id list ---------------------------------------------------------------------------------

def book_ids(spec: str) -> tuple[list[int], str]:
    """The ids a SOURCE names, and the page language ('ru' unless a URL says otherwise).

    >>> book_ids("1000-1003"), book_ids("12, 15"), book_ids("https://kazneb.kz/kk/catalogue/view/1561103")
    (([1000, 1001, 1002, 1003], 'ru'), ([12, 15], 'ru'), ([1561103], 'kk'))
    >>> book_ids("https://kazneb.kz/en/bookView/view?brId=1597551&simple=true")
    ([1597551], 'en')
    """
    text = spec.strip()
    if re.match(r"https?://", text):
        parts = urlsplit(text)
        lang = next((p for p in parts.path.split("/") if p in LANGS), "ru")
        m = re.search(r"/catalogue/view/(\d+)", parts.path) or re.search(r"(?:^|&)brId=(\d+)", parts.query)
        if not m:
            raise HarvestError(f"{spec}: not a kazneb.kz catalogue or viewer URL")
        return [int(m.group(1))], lang
    ids: list[int] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        m = re.fullmatch(r"(\d+)\s*-\s*(\d+)|(\d+)", part)
        if not m:
            raise HarvestError(f"kazneb source {spec!r}: give ids ('123456'), ranges ('1000-1050') or URLs")
        a, b = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(3)), int(m.group(3)))
        if b < a or len(ids) + b - a + 1 > MAX_IDS:
            raise HarvestError(f"kazneb source {spec!r}: a range runs backwards or names over {MAX_IDS} ids")
        ids += range(a, b + 1)
    return ids, "ru"


def catalogue_url(book_id: int, lang: str = "ru") -> str:
    return f"{KAZNEB}/{lang}/catalogue/view/{book_id}"


def viewer_url(book_id: int, lang: str = "ru") -> str:
    return f"{KAZNEB}/{lang}/bookView/view?brId={book_id}&simple=true"


# --- parsing ---------------------------------------------------------------------------------------

def _text(el: etree._Element) -> str:
    return nfc(" ".join(el.itertext()))


def _label_key(text: str) -> str | None:
    return _BY_LABEL.get(nfc(text).rstrip(":：").strip().lower())


def _short_texts(root: etree._Element) -> dict[etree._Element, str]:
    """Each element's `_text`, for those short enough to be a label, in one pass up the tree.

    A parent's text holds each child's, so a child too long makes its parent too long, and a short parent is
    made from its short children's texts (folding and NFC do not reach across the space `_text` puts between
    pieces): no container's text is joined again for each element inside it.
    """
    out: dict[etree._Element, str] = {}

    def walk(el: etree._Element) -> str | None:
        pieces = [el.text] if el.text else []
        short = True
        for child in el:
            if isinstance(child.tag, str):  # comments and processing instructions: only their tail is text
                text = walk(child)
                if text is None:
                    short = False
                elif short:
                    pieces.append(text)
            if child.tail and short:
                pieces.append(child.tail)
        if not short:
            return None
        text = nfc(" ".join(pieces))
        if len(text) >= LABEL_MAX:
            return None
        out[el] = text
        return text

    walk(root)
    return out


def read_fields(doc: etree._Element) -> dict[str, list[str]]:
    """Label → values of a catalogue page, whatever the markup pairs them with."""
    out: dict[str, list[str]] = {}
    short = _short_texts(doc)

    def text(el: etree._Element) -> str:  # `_text`, made once already for the short ones
        found = short.get(el)
        return found if found is not None else _text(el)

    def add(key: str | None, value: str) -> None:
        value = nfc(value).strip(" :;")
        if key and value and value not in out.setdefault(key, []):
            out[key].append(value)

    for el in doc.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title", "option"):
            continue
        if el.tag in ("tr",):
            cells = [c for c in el if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if len(cells) >= 2:
                add(_label_key(text(cells[0])), " ".join(text(c) for c in cells[1:]))
            continue
        if el.tag in ("td", "th", "dd"):
            continue
        label = short.get(el)
        key = _label_key(label) if label is not None else None
        if key is None:
            continue
        if el.tag == "dt":
            dd = el.getnext()
            if dd is not None and dd.tag == "dd":
                add(key, text(dd))
            continue
        if el.tail and nfc(el.tail).strip(" :"):  # <b>Автор:</b> Абай Құнанбайұлы
            add(key, el.tail)
            continue
        sibling = el.getnext()
        if sibling is not None and isinstance(sibling.tag, str):  # <span class=label>…</span><span>value</span>
            add(key, text(sibling))
    return out


_TITLE_CLASS = re.compile(r"(?:^|[ \t\n\r])book-info__name(?:$|[ \t\n\r])")  # a token of the class
_TITLE_PATHS = tuple(etree.XPath(path) for path in ("//meta[@property='og:title']/@content", "//h1"))


def _title_candidates(doc: etree._Element) -> Iterator[etree._Element | str]:
    """`.book-info__name` elements, then the `og:title` meta, then the `<h1>`s, in document order, as read.

    The class is found by walking the elements, which stops at the title near the top of the page: an XPath
    for a class token reads every element's class with string functions (17 of a title's 20 µs).
    """
    for el in doc.iter(etree.Element):
        if (cls := el.get("class")) and _TITLE_CLASS.search(cls):
            yield el
    for path in _TITLE_PATHS:
        yield from path(doc)


def _title(doc: etree._Element) -> str:
    for found in _title_candidates(doc):
        text = nfc(found if isinstance(found, str) else _text(found)).split(" | ")[0].strip()
        if text:
            return text
    return ""


def parse_catalogue(data: bytes, source_url: str, *, book_id: int, lang: str = "ru",
                    provider: str | None = None) -> Record:
    """The record of one catalogue page; RecordError (with the reason) when it cannot make an object."""
    text = data.decode("utf-8", "replace")
    if not text.strip():
        raise RecordError(f"kazneb {book_id}: the catalogue page is empty")
    try:
        doc = etree.fromstring(text, _HTML)
    except (etree.LxmlError, ValueError) as exc:
        raise RecordError(f"kazneb {book_id}: the catalogue page is not readable HTML: {exc}") from None
    if doc is None:
        raise RecordError(f"kazneb {book_id}: the catalogue page is not readable HTML: it holds no element")
    title = _title(doc)
    if not title:
        raise RecordError(f"kazneb {book_id}: the catalogue page has no title (.book-info__name, og:title, h1)")
    f = read_fields(doc)
    langs = list(dict.fromkeys(c for v in f.get("language", []) for part in re.split(r"[,;/]", v)
                               if (c := _LANGUAGE_NAMES.get(nfc(part).lower()) or language_code(part))))
    lang_of_text = langs[0] if langs else None
    date_text = next(iter(f.get("date", [])), None)
    date, year_from, year_to = parse_date(date_text)
    kind = " ".join(f.get("type", []))
    genre = next((g for word, g in _GENRES.items() if word in kind.lower()), None) or genre_of(kind)
    page_lang = {"la": "kk"}.get(lang, lang)
    return Record(
        provider=provider or "kazneb", local_id=str(book_id),
        titles=[Text(title, lang_tag(lang_of_text, title))],
        source_url=source_url, source_format="kazneb-html", loader=LOADER, genre=genre or "book",
        edm_type="IMAGE" if genre in ("map", "photograph") else "TEXT",
        creators=[parse_agent(a) for v in f.get("creator", []) for a in re.split(r"\s*;\s*", v) if a],
        date=date, date_display=date_text, year_from=year_from, year_to=year_to, languages=langs,
        subjects=[Concept(s, page_lang) for v in f.get("subject", []) for s in re.split(r"\s*[;,]\s*", v) if s],
        place_of_origin=Place(f["place"][0]) if f.get("place") else None,
        descriptions=[Text(d, lang_tag(lang_of_text, d)) for d in f.get("description", [])],
        publisher=next(iter(f.get("publisher", [])), None), identifiers=f.get("identifier", []),
        is_part_of=[Text(c, page_lang) for c in f.get("collection", [])],
        extent=next(iter(f.get("extent", [])), None), data_provider="Kazakhstan National Electronic Library",
        provider_name="kazneb.kz", is_shown_at=catalogue_url(book_id, lang),
        rights_text=[Text(r, page_lang) for r in f.get("rights", [])],
    )


def stable_image_url(url: str) -> str:
    """A page image URL without the parameters the viewer signs per visit.

    >>> stable_image_url("https://kazneb.kz/FileStore/dataFiles/aa/bb/1/content/0001.png?time=1&key=a")
    'https://kazneb.kz/FileStore/dataFiles/aa/bb/1/content/0001.png'
    """
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in _VOLATILE]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))


def parse_viewer(data: bytes, book_id: int) -> list[Image]:
    """The page images the viewer lists; RecordError when the list disagrees with its own page count."""
    text = data.decode("utf-8", "replace")
    urls = list(dict.fromkeys(stable_image_url(urljoin(KAZNEB + "/", html.unescape(m.group(2)).strip()))
                              for m in _PUSH.finditer(text) if m.group(2).strip()))
    counts = [int(n) for n in _NAVIGATE.findall(text)]
    announced = max(counts) if counts else None
    if announced is not None and announced != len(urls):
        raise RecordError(f"kazneb {book_id}: the viewer lists {len(urls)} page images but announces "
                          f"{announced} pages (onNavigate): the list is incomplete")
    return [Image(url=u, label=str(n)) for n, u in enumerate(urls, start=1)]


# --- harvesting -------------------------------------------------------------------------------------

def harvest(source: str, h: Harvest) -> Iterator[Item]:
    """Each book of SOURCE: catalogue page, then viewer; one Mark per book."""
    ids, lang = book_ids(source)
    cursor = h.cursor or {}
    start = int(cursor.get("index", 0))
    base = h.base(KAZNEB)
    for index in range(start, len(ids)):
        yield from _book(ids[index], lang, base, h)
        yield Mark({"index": index + 1})


def _book(book_id: int, lang: str, base: str, h: Harvest) -> Iterator[Record | Rejected]:
    real = catalogue_url(book_id, lang)
    try:
        resp = h.get(f"{base}/{lang}/catalogue/view/{book_id}", source="kazneb", accept="text/html")
    except HttpError as exc:
        raise HarvestError(f"kazneb.kz catalogue page {book_id}: {exc}") from None
    with resp:
        if resp.status_code == 404:
            h.stats.skipped += 1
            return
        body = resp.content
        if resp.status_code != 200:
            yield Rejected(real, f"kazneb {book_id}: catalogue page answered {resp.status_code} {resp.reason}",
                           body.decode("utf-8", "replace"))
            return
    h.stats.pages += 1
    try:
        record = parse_catalogue(body, real, book_id=book_id, lang=lang, provider=h.options.provider)
        if h.options.details:
            vresp = h.get(f"{base}/{lang}/bookView/view", params={"brId": book_id, "simple": "true"},
                          source="kazneb", accept="text/html")
            with vresp:
                if vresp.status_code == 200:
                    record.images = parse_viewer(vresp.content, book_id)
                elif vresp.status_code != 404:
                    raise RecordError(f"kazneb {book_id}: the viewer answered {vresp.status_code} {vresp.reason}")
        record.check()
    except (RecordError, HttpError) as exc:
        yield Rejected(real, str(exc), body.decode("utf-8", "replace"))
        return
    yield record
