"""Shared cleaning of what sources write: names with life years, vague dates, language codes, genres.

Every loader uses these so that the same source habit is read one way.
"""
from __future__ import annotations

import functools
import html
import re
import unicodedata

from lxml import etree

from ontology.errors import RecordError
from ontology.record import Agent

# ISO 639-2/B and /T codes to ISO 639-1 where one exists; others stay 639-2/3 (chg, ota…).
_LANG_639_1 = {
    "fre": "fr", "fra": "fr", "eng": "en", "rus": "ru", "kaz": "kk", "uzb": "uz", "ger": "de",
    "deu": "de", "dut": "nl", "nld": "nl", "per": "fa", "fas": "fa", "ara": "ar", "tur": "tr",
    "lat": "la", "ita": "it", "spa": "es", "tgk": "tg", "kir": "ky", "tat": "tt", "tuk": "tk",
    "ukr": "uk", "pol": "pl", "chi": "zh", "zho": "zh", "jpn": "ja", "grc": "grc", "heb": "he",
    "urd": "ur", "swe": "sv", "por": "pt", "gre": "el", "ell": "el", "hin": "hi", "mon": "mn",
    "bel": "be", "aze": "az", "arm": "hy", "hye": "hy", "geo": "ka", "kat": "ka", "pus": "ps",
}
_LANG_NAMES = {
    "french": "fr", "français": "fr", "english": "en", "russian": "ru", "kazakh": "kk",
    "uzbek": "uz", "german": "de", "dutch": "nl", "persian": "fa", "arabic": "ar", "turkish": "tr",
    "chagatai": "chg", "ottoman turkish": "ota", "latin": "la", "swedish": "sv",
    "turkish, ottoman (1500-1928)": "ota", "turkish, ottoman": "ota",  # loc.gov facet names
}


def nfc(text: str | None) -> str:
    """NFC, whitespace folded, trimmed; '' for None."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):  # the common case needs no copy
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # str.split's whitespace is re's \s: every Unicode space


def language_code(value: str | None) -> str | None:
    """ISO 639-1 where one exists, else the 639-2/3 code; None when unrecognisable.

    >>> language_code("fre"), language_code("chg Chagatai"), language_code("Russian"), language_code("kk")
    ('fr', 'chg', 'ru', 'kk')
    >>> language_code("en_US"), language_code("und"), language_code("other")
    ('en', None, None)
    """
    v = nfc(value).lower()
    if not v:
        return None
    if v in _LANG_NAMES:
        return _LANG_NAMES[v]
    head = re.split(r"[\s_-]", v)[0].strip(".;,")  # "en_US", "en-GB" → "en"
    if head in ("und", "zxx"):  # undetermined / no linguistic content: not a language
        return None
    if len(head) == 2 and head.isalpha():
        return head
    if len(head) == 3 and head.isalpha():
        return _LANG_639_1.get(head, head)
    return None


_YEAR = r"(\d{2}\.\.|\d{3}\.|\d{2}\?\?|\d{3}\?|\d{2}--|\d{3}-(?!\d)|\d{1,4})"
_LIFE = re.compile(rf"\(?\s*(?:ca\.?\s*)?{_YEAR}\s*\??\s*-\s*(?:ca\.?\s*)?{_YEAR}?\s*\??\s*\)?")


def _exact_year(token: str | None) -> int | None:
    if token and token.isdigit():
        return int(token)
    return None


def parse_life_years(text: str | None) -> tuple[int | None, int | None]:
    """Birth and death years from the forms sources use; vague ones ('17..') give None.

    >>> parse_life_years("1727-1804"), parse_life_years("(1650-17..)"), parse_life_years("1895-1967.")
    ((1727, 1804), (1650, None), (1895, 1967))
    >>> parse_life_years("16..-1703"), parse_life_years("1441-1501"), parse_life_years("b. 1900")
    ((None, 1703), (1441, 1501), (None, None))
    >>> parse_life_years("d. 1501 or 2."), parse_life_years("1758 или 1763-1848")  # MARC "died"; unsure birth
    ((None, 1501), (None, 1848))
    """
    if not text:
        return None, None
    m = _LIFE.search(text)
    if not m:
        died = re.search(r"\bd\.\s*(\d{3,4})(?!\d)", text)
        return None, (int(died.group(1)) if died else None)
    birth = _exact_year(m.group(1))
    if re.search(r"\d\s*(?:or|или|ou|oder)\s*$", text[:m.start()]):
        birth = None
    return birth, _exact_year(m.group(2))


_NAME_WITH_DATES = re.compile(r"^(?P<name>.*?)\s*\((?P<dates>[^()]*\d[^()]*)\)\s*\.?\s*(?P<role>.*)$")
_NAME_COMMA_DATES = re.compile(r"^(?P<name>.*?),\s*(?P<dates>(?:ca\.\s*)?\d{3,4}\??-(?:ca\.\s*)?(?:\d{3,4}\??)?)\.?$")


def _name_end(name: str) -> str:
    """A name without the ISBD full stop, keeping an initial's ("Edwards, A.R.")."""
    name = name.rstrip(" ,;:")
    if name.endswith(".") and not re.search(r"(^|[\s.,(-])\w\.$", name):
        name = name[:-1].rstrip(" ,")
    return name


# Gallica's "Name. Role" without dates: the role is one of BnF's relator terms.
_GALLICA_ROLE = re.compile(
    r"^(?P<name>.+?)\.\s+(?P<role>(?:Auteur|Cartographe|Éditeur|Editeur|Illustrateur|Graveur|Traducteur|"
    r"Commanditaire|Dessinateur|Imprimeur|Libraire|Photographe|Compositeur|Préfacier|Postfacier|Rédacteur|"
    r"Directeur|Collaborateur|Commentateur|Lithographe|Destinataire|Annotateur|Copiste|Enlumineur|Relieur|"
    r"Ancien possesseur|Possesseur|Donateur|Interprète|Parolier|Librettiste|Arrangeur|Contributeur|"
    r"Fondateur|Architecte|Peintre|Sculpteur|Calligraphe|Arpenteur|Ingénieur|Organisateur|Signataire)\b.*)$")


def parse_agent(text: str, role: str | None = None) -> Agent:
    """An agent from 'Name (birth-death). Role' as Gallica writes it, or a bare name.

    >>> a = parse_agent("Verniquet, Edme (1727-1804). Cartographe")
    >>> (a.name, a.birth, a.death, a.role)
    ('Verniquet, Edme', 1727, 1804, 'Cartographe')
    >>> a = parse_agent("Riocreux, Alfred, 1820-1912")  # heading with dates after a comma (MODS, MARC)
    >>> (a.name, a.birth, a.death)
    ('Riocreux, Alfred', 1820, 1912)
    >>> a = parse_agent("Auxais, Maur d'. Cartographe")  # Gallica, no dates
    >>> (a.name, a.role), parse_agent("Edwards, A.R.").name, parse_agent("Faḍl Allāh Khān.").name
    (("Auxais, Maur d'", 'Cartographe'), 'Edwards, A.R.', 'Faḍl Allāh Khān')
    """
    text = nfc(text)
    m = _NAME_WITH_DATES.match(text)
    if m:
        birth, death = parse_life_years(m.group("dates"))
        return Agent(name=_name_end(m.group("name")), birth=birth, death=death,
                     role=m.group("role").strip(" .") or role)
    m = _NAME_COMMA_DATES.match(text)
    if m:
        birth, death = parse_life_years(m.group("dates"))
        if birth is not None or death is not None:
            return Agent(name=_name_end(m.group("name")), birth=birth, death=death, role=role)
    m = _GALLICA_ROLE.match(text)
    if m:
        return Agent(name=_name_end(m.group("name")), role=m.group("role").strip(" .") or role)
    return Agent(name=_name_end(text), role=role)


def parse_date(text: str | None) -> tuple[str | None, int | None, int | None]:
    """(EDTF, first year, last year) from what catalogues write.

    >>> parse_date("1686"), parse_date("[179.]"), parse_date("18..")
    (('1686', 1686, 1686), ('179X', 1790, 1799), ('18XX', 1800, 1899))
    >>> parse_date("1804-1807"), parse_date("ca. 1850"), parse_date("1879-07-15")
    (('1804/1807', 1804, 1807), ('1850~', 1850, 1850), ('1879-07-15', 1879, 1879))
    >>> parse_date("[1769?]"), parse_date("19th century"), parse_date("A.H. 830 (1427)")
    (('1769?', 1769, 1769), ('18XX', 1800, 1899), ('1427', 1427, 1427))
    >>> parse_date("1315 [1898]"), parse_date("no date")
    (('1898', 1898, 1898), (None, None, None))
    >>> parse_date("1913-????"), parse_date("1860-186."), parse_date("1964-1964")
    (('1913/', 1913, None), ('1860/186X', 1860, 1869), ('1964', 1964, 1964))
    >>> parse_date("~1530"), parse_date("18uu"), parse_date("[1703-[1708.]"), parse_date("1301 [1884 or 1885]")
    (('1530~', 1530, 1530), ('18XX', 1800, 1899), ('1703/1708', 1703, 1708), ('1884/1885', 1884, 1885))
    """
    t = nfc(text)
    if not t:
        return None, None, None
    low = t.lower()
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\s+(?:century|c\.)", low) or re.search(r"\b(\d{1,2})e\s+siècle", low)
    if m:
        c = int(m.group(1))
        return f"{c - 1:02d}XX", (c - 1) * 100, (c - 1) * 100 + 99
    # A bracketed Gregorian year after a year in another calendar: "1315 [1898]", "A.H. 830 (1427)".
    m = re.search(r"\d{3,4}\s*[\[(](\d{4})(?:\s*(?:or|или|ou)\s*(\d{4}))?[\])]", t)
    if m:
        y, z = int(m.group(1)), int(m.group(2) or m.group(1))
        return (str(y) if y == z else f"{y}/{z}"), y, z
    approx = bool(re.search(r"\b(ca\.?|circa|vers|env\.?|около)|~", low))
    uncertain = "?" in t
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        y = int(m.group(1))
        return m.group(0), y, y
    m = re.search(r"(\d{4})\]?\s*[-/–]\s*\[?(\d{4})", t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        return (str(a) if a == b else f"{a}/{b}"), a, b
    # A range whose end is vague ("1860-186.", "1827-18??") or unknown ("1913-????", Gallica).
    m = re.fullmatch(r"\[?(\d{4})\s*-\s*(\d{2}[\d.?X-]{2}|[?.]{4})\]?\.?", t)
    if m:
        a, end = int(m.group(1)), m.group(2)
        if not end.strip("?."):
            return f"{a}/", a, None  # EDTF: unknown end
        _, _, last = parse_date(end)
        edtf = re.sub(r"[.?-]", "X", end)
        return f"{a}/{edtf}", a, last
    m = re.search(r"(?<!\d)(\d{2})(\d|\.|-|X|\?|u)(\.|-|X|\?|u)(?!\d)", t)  # MARC 008 writes "18uu"
    if m and not m.group(2).isdigit():
        c = int(m.group(1))
        return f"{c:02d}XX", c * 100, c * 100 + 99
    if m:
        d = int(m.group(1) + m.group(2))
        return f"{d:03d}X", d * 10, d * 10 + 9
    m = re.search(r"(?<!\d)(\d{4})(?!\d)", t)
    if m:
        y = int(m.group(1))
        suffix = "~" if approx else ("?" if uncertain else "")
        return f"{y}{suffix}", y, y
    return None, None, None


@functools.lru_cache(maxsize=1024)
def split_tag(tag: str) -> tuple[str | None, str]:
    """(namespace, local name) of an lxml tag "{ns}name": the hot loops' cheaper `etree.QName`.

    >>> split_tag("{http://purl.org/dc/elements/1.1/}title"), split_tag("record")
    (('http://purl.org/dc/elements/1.1/', 'title'), (None, 'record'))
    """
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return None, tag


def local_name(el: etree._Element) -> str:
    """An element's local name; "" for comments and processing instructions."""
    return split_tag(el.tag)[1] if isinstance(el.tag, str) else ""


_XML_DECL = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)


def parse_xml(data: bytes, what: str = "document") -> etree._Element:
    """The root of a source's XML, parsed safely (no entities, no network); RecordError if it is not XML.

    Catches what sources really send: an HTML error page instead of XML, a
    truncated response, and a declaration naming an 8-bit charset over UTF-8
    bytes (then read as UTF-8, since such bytes are almost never Latin-1 text).

    >>> parse_xml(b"<?xml version='1.0' encoding='ISO-8859-1'?><t>\\xc3\\xa9t\\xc3\\xa9</t>").text
    'été'
    >>> parse_xml(b"<!DOCTYPE html><html><title>503</title></html>", "SRU response")
    Traceback (most recent call last):
    ontology.errors.RecordError: SRU response is an HTML page, not XML (an error page?): 503
    """
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise RecordError(f"{what} is empty")
    if _HTML.match(body[:2048]):
        title = re.search(rb"<title[^>]*>(.*?)</title>", body, re.I | re.S)
        shown = nfc(title.group(1).decode("utf-8", "replace")) if title else "no title"
        raise RecordError(f"{what} is an HTML page, not XML (an error page?): {shown}")
    encoding = None
    declared = _XML_DECL.match(body)
    name = declared.group(1).decode().lower().replace("_", "-") if declared else "utf-8"
    if name not in ("utf-8", "utf8"):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if name.startswith(("utf-16", "utf-32", "ucs")) or re.search(rb"[\x80-\xff]", body):
                encoding = "utf-8"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, encoding=encoding)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise RecordError(f"{what} is not well-formed XML: {exc}") from None


# --- Catalogue headings, HTML and imprints (MARC, loc.gov, IIIF) ---------------------------------

_ISBD_END = re.compile(r"[\s/:;,=]+$")
_KEEP_STOP = re.compile(r"(?:(?:^|[\s.,(])\w|\.\.|\b(?:etc|Co|Inc|Jr|Sr|St|ca|cm|vol|no|ed|ill|pub|cent|s\.n))\.$",
                        re.I)  # an initial, an ellipsis or an abbreviation keeps its full stop


def strip_isbd(text: str | None) -> str:
    """A catalogue value without the ISBD punctuation that ends it ('Title /', 'Place :', 'Name,').

    >>> strip_isbd("Muhakemet'ül lûgateyn /"), strip_isbd("Hazine-yi evrak."), strip_isbd("Vi͡atkin, M. P.,")
    ("Muhakemet'ül lûgateyn", 'Hazine-yi evrak', 'Vi͡atkin, M. P.')
    >>> strip_isbd("Екатерина II, имп.")  # a short lower-case word before the stop is an abbreviation
    'Екатерина II, имп.'
    """
    t = _ISBD_END.sub("", nfc(text))
    last = t.split()[-1] if t else ""
    if t.endswith(".") and not _KEEP_STOP.search(t) and not (len(last) <= 4 and last[:-1].isalpha() and last.islower()):
        t = _ISBD_END.sub("", t[:-1])
    return t


def strip_html(text: str | None) -> str:
    """The text of an HTML fragment (loc.gov rights, IIIF metadata): tags dropped, entities decoded.

    >>> strip_html("<p>Credit Line: Library of Congress &amp; <i>Maps</i>.</p>\\r<p>Next</p>")
    'Credit Line: Library of Congress & Maps. Next'
    """
    if not text:
        return ""
    t = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
    t = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|h\d)\s*>", " ", t)
    t = re.sub(r"<[^<>]+>", "", t)
    return nfc(html.unescape(t))


def unbracket(text: str) -> str:
    """'[Samarqand, Uzbekistan]' → 'Samarqand, Uzbekistan' (and ISBD punctuation, the Arabic comma or '?' at the
    ends dropped); brackets inside ('Dersaadet [İstanbul]') stay. A bracket the catalogue opens in one field and
    closes in another ('[Istanbul : s.n., 1872]' split into place, publisher and date) goes too.

    >>> unbracket("[Samarqand, Uzbekistan] :"), unbracket("Dersaadet [İstanbul]"), unbracket("[s.n.?]")
    ('Samarqand, Uzbekistan', 'Dersaadet [İstanbul]', 's.n.')
    >>> unbracket("[د.م.]،"), unbracket("[Istanbul"), unbracket("s.n.]")
    ('د.م.', 'Istanbul', 's.n.')
    """
    t = text.strip(" ,:;،")
    if t.startswith("[") and "]" not in t:
        t = t[1:]
    elif t.endswith("]") and "[" not in t:
        t = t[:-1]
    elif t.startswith("[") and t.endswith("]") and "]" not in t[1:-1]:
        t = t[1:-1]
    return t.strip(" ,:;،?")


def split_imprint(text: str | None) -> tuple[str | None, str | None, str | None]:
    """(place, publisher, date text) of an imprint as catalogues write it ('Place : Publisher, date').

    >>> split_imprint("[Istanbul] : Ceride-i Askeriye Matbaası, 1301 [1884 or 1885]")
    ('Istanbul', 'Ceride-i Askeriye Matbaası', '1301 [1884 or 1885]')
    >>> split_imprint("[Washington, D.C.? : s.n., 1894?]"), split_imprint("Samarqand, [1507]")
    (('Washington, D.C.', None, '1894?'), ('Samarqand', None, '[1507]'))
    """
    t = nfc(text)
    if t.startswith("[") and t.endswith("]") and "[" not in t[1:-1]:
        t = t[1:-1]
    place, colon, rest = t.partition(":")
    if not colon:
        place, rest = "", t
    parts = rest.split(",")
    date = (parts.pop().strip(" .") or None) if re.search(r"\d", parts[-1]) else None
    if not colon:
        place, parts = ",".join(parts), []
    return known(unbracket(place)), known(unbracket(",".join(parts))), date


# The cataloguers' "none given": Latin (sine loco, sine nomine), English (no place / no publisher), Russian
# (без места, без издательства), Arabic (دون مكان, دون ناشر); RDA writes "[publisher not identified]" and the like.
_UNKNOWN = frozenset({"", "s.l", "s. l", "s.n", "s. n", "n.p", "n. p", "б.м", "б. м", "б.и", "б. и", "د.م", "د. م",
                      "د.ن", "د. ن"})


def known(text: str) -> str | None:
    """An imprint's place or publisher (brackets already dropped), or None for the cataloguers' "none given".

    >>> known("S.l."), known("б. и."), known("n.p."), known("د.م."), known("publisher not identified")
    (None, None, None, None, None)
    >>> known(""), known("Samarqand"), known("Plon")
    (None, 'Samarqand', 'Plon')
    """
    t = text.lower().rstrip(".")
    return None if t in _UNKNOWN or t.endswith(" not identified") else text


_RELATORS = ("author", "cartographer", "contributor", "creator", "artist", "photographer", "engraver", "editor",
             "translator", "publisher", "printer", "illustrator", "compiler", "lithographer", "draftsman",
             "surveyor", "donor", "dedicatee", "former owner", "scribe", "calligrapher", "composer")
_PAREN_ROLE = re.compile(r"\s*\((?P<role>" + "|".join(_RELATORS) + r")\)\.?$", re.I)
_DATES_PART = re.compile(r"^(?:(?:ca|b|d|fl)\.\s*)?\d{1,4}.*$|^\d{1,2}(?:st|nd|rd|th) cent", re.I)


def parse_heading(text: str, role: str | None = None) -> Agent:
    """An agent from a catalogue heading: 'Name, dates, role.', 'Name, dates (Role)', 'Name, d. 1501 or 2.'.

    Falls back to `parse_agent` for the other forms ('Name (1727-1804). Role').

    >>> a = parse_heading("Hewitt, Abram S. (Abram Stevens), 1822-1903, donor.")
    >>> a.name, a.birth, a.death, a.role
    ('Hewitt, Abram S. (Abram Stevens)', 1822, 1903, 'donor')
    >>> a = parse_heading("Comey, Arthur C. (Arthur Coleman), 1886-1954 (Cartographer)")
    >>> a.name, a.death, a.role, parse_heading("Muʻīn al-Dīn Farāhī, d. 1501 or 2.").death
    ('Comey, Arthur C. (Arthur Coleman)', 1954, 'Cartographer', 1501)
    """
    t = nfc(text)
    m = _PAREN_ROLE.search(t)
    if m:
        t, role = t[:m.start()], m.group("role")
    parts = [p.strip() for p in t.split(",")]
    if len(parts) > 1 and re.fullmatch(r"[a-z][a-z .]*", parts[-1]) and parts[-1].strip(" .") in _RELATORS:
        role = parts.pop().strip(" .")
    if len(parts) > 1 and _DATES_PART.match(parts[-1]):
        dates = parts.pop()
        birth, death = parse_life_years(dates)
        return Agent(name=_name_end(", ".join(parts)), birth=birth, death=death, role=role)
    agent = parse_agent(", ".join(parts), role)
    return agent
