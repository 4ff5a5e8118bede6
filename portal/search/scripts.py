"""One search key for a word whatever script or orthography wrote it.

Kazakh is written in Cyrillic, in the 2021 Latin alphabet (Ä Ğ Q Ñ Ö Ū Ü I/İ Ş)
and in the 2018 one (á ǵ ń ó ú ý ı, sh ch); Uzbek in Cyrillic and the 1995 Latin
alphabet (oʻ gʻ sh ch, x for х, h for ҳ, ʼ for ъ); Russian records come in
Cyrillic or in library romanisation (kh, zh, ĭ); French in any mix of accents.
`fold` maps all of these onto one lossy Latin "skeleton" used only for matching,
at index time and at query time alike, so "Қара сөздер", "Qara sözder" and
"Qara sozder" meet, and so do "O‘tkan kunlar", "O'tkan kunlar" and "Ўткан кунлар".
Display always uses the original text.

>>> fold("Қара сөздер") == fold("Qara sözder") == fold("Qara sozder")
True
>>> fold("Ўткан кунлар") == fold("O‘tkan kunlar") == fold("Oʻtkan kunlar") == fold("O'tkan kunlar")
True
>>> fold("Кеча ва кундуз") == fold("Kecha va kunduz")
True
>>> fold("Мұхтар Әуезов") == fold("Mūhtar Äuezov") == fold("Muhtar Áýezov")
True
>>> fold("Очерки по истории Казахской ССР") == fold("Ocherki po istorii Kazakhskoĭ SSR")
True
>>> fold("Description de l'état présent"), fold("Ёлка"), fold("Carte gé[né]ralle")
('description de l etat present', 'elka', 'carte generalle')
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Every apostrophe-like mark people type for Uzbek oʻ/gʻ, the tutuq belgisi and French elision.
APOSTROPHES = "ʻʼ‘’'`´ʹ′ʽꞌ"

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "s", "ч": "ch", "ш": "sh", "щ": "shsh", "ъ": "", "ы": "i", "ь": "",
    "э": "e", "ю": "iu", "я": "ia",
    # Kazakh
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Uzbek, Ukrainian, Belarusian
    "ў": "o", "ҳ": "h", "ї": "i", "є": "e", "ґ": "g",
}
# Latin letters that would fold wrongly (or not at all) by stripping accents.
_LATIN_SPECIAL = {
    "ş": "sh", "ș": "sh", "ı": "i", "ý": "u", "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l",
    "đ": "d", "ð": "d", "þ": "th", "ŋ": "n",
}
# Cataloguers' square brackets mark supplied letters inside words ("gé[né]ralle"): the word is whole without them.
_BEFORE_MAP = str.maketrans({**_CYRILLIC, **_LATIN_SPECIAL, **{a: "'" for a in APOSTROPHES}, "[": None, "]": None})
# The same table as a list indexed by code point (twice as fast as a dict for str.translate); characters past
# its end raise IndexError, a LookupError, which str.translate takes as "leave unchanged".
_BEFORE = [_BEFORE_MAP.get(i, i) for i in range(0x3000)]
# After accents are gone (last step of `fold`): Uzbek x = Kazakh h = Russian kh; Kazakh/Uzbek q = Russian k;
# y ~ i (ы, й).
_DIGRAPHS = (("shch", "shsh"), ("kh", "h"), ("gh", "g"), ("zh", "j"), ("ts", "s"))
# Combining marks (Latin accents, Cyrillic titlos, Hebrew points, Arabic harakat).
_MARKS = re.compile("[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
# oʻ gʻ are one letter (apostrophe dropped); a French elision (l' d' qu' …) is a word break; any other
# apostrophe inside a word (Uzbek ʼ for ъ, "aujourd'hui") is dropped.
_UZ_APOSTROPHE = re.compile(r"(?<=[og])'")
_ELISION = re.compile(r"\b(l|d|j|c|s|n|m|t|qu|jusqu|lorsqu|puisqu)'", re.IGNORECASE)
_WORD_INITIAL_YE = re.compile(r"\bye")


def normalise(text: str) -> str:
    """Light normalisation kept for display-adjacent uses and stemming: NFC, one apostrophe, ё → е.

    >>> normalise("Oʻtkan kunlar — Ёлка")
    "O'tkan kunlar — Елка"
    """
    text = unicodedata.normalize("NFC", text)
    for a, b in _LIGHT:  # one character for another: a search and a replace in C beat str.translate's dict ten-fold
        if a in text:
            text = text.replace(a, b)
    return text


_LIGHT = (*((a, "'") for a in APOSTROPHES if a != "'"), ("ё", "е"), ("Ё", "Е"))


@lru_cache(maxsize=262_144)
def fold(text: str) -> str:
    """The search skeleton of `text`: lower case, Latin letters, no accents, one spelling per sound.

    Cached: creators, places, subjects and series titles repeat across many records.
    """
    s = unicodedata.normalize("NFC", text).lower() if not text.isascii() else text.lower()
    if s.isascii():
        if "'" in s or "`" in s or "[" in s or "]" in s:
            s = s.translate(_BEFORE)
    else:
        s = s.translate(_BEFORE)
    if "'" in s:
        s = _UZ_APOSTROPHE.sub("", s)
        s = _ELISION.sub(r"\1 ", s)
        s = s.replace("'", "")
    if not s.isascii():
        s = _MARKS.sub("", unicodedata.normalize("NFKD", s))
    for a, b in _DIGRAPHS:
        if a in s:
            s = s.replace(a, b)
    if "ye" in s:
        s = _WORD_INITIAL_YE.sub("e", s)
    return s.replace("x", "h").replace("y", "i").replace("q", "k")


def sort_key(text: str) -> str:
    """A title's sort key: its skeleton without leading punctuation, so "[Carte…]" files under C."""
    return re.sub(r"^[\W_]+", "", fold(text))[:80]
