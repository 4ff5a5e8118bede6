"""Genres: the words sources use for what an object is ("carte", "рукопись", "notated music") → our genre keys
(the `genre` facet) and edm:type."""
from __future__ import annotations

import functools
import re

from .normalise import nfc


# Source words for genres → our genre keys (the `genre` facet) and edm:type.
GENRES = {
    "manuscript": "TEXT", "map": "IMAGE", "book": "TEXT", "periodical": "TEXT",
    "photograph": "IMAGE", "music score": "TEXT", "print": "IMAGE", "drawing": "IMAGE",
    "sound recording": "SOUND", "object": "3D", "video": "VIDEO", "newspaper": "TEXT",
}
_GENRE_WORDS = [
    ("manuscript", ("manuscrit", "manuscript", "рукопис", "ms,", "ms.", "qoʻlyozma", "қолжазба")),
    ("map", ("carte", "cartographic", "map", "plan de", "atlas", "карта", "kaart", "karta", "stadsplan")),
    ("periodical", ("périodique", "periodiques", "fascicule", "serial", "periodical", "journal",
                    "publication en série", "newspaper", "газета", "журнал")),
    ("photograph", ("photograph", "photographie", "фотограф")),
    ("music score", ("partition", "notated music", "score", "ноты")),
    ("sound recording", ("sound recording", "enregistrement sonore", "audio", "звукозапис")),
    ("print", ("estampe", "print", "gravure")),
    ("book", ("monographie", "book", "livre", "text", "texte", "printed", "книга")),
]

_GENRE_PATTERNS = [(key, re.compile("|".join(map(re.escape, needles)))) for key, needles in _GENRE_WORDS]


def genre_of(*words: str | None) -> str | None:
    """Our genre key from the first source word that names one (order of arguments is priority).

    >>> genre_of("carte"), genre_of("texte", "manuscrit"), genre_of("publication en série imprimée")
    ('map', 'manuscript', 'periodical')
    """
    found = [key for w in words if w and (key := _genre_word(w)) is not None]
    for key, _ in _GENRE_WORDS:  # the most specific genre wins, book is the fallback
        if key in found:
            return key
    return None


@functools.lru_cache(maxsize=4096)  # type words come from small vocabularies: each is read once per load
def _genre_word(word: str) -> str | None:
    low = nfc(word).lower()
    return next((key for key, needles in _GENRE_PATTERNS if needles.search(low)), None)


def object_genre(*words: str | None) -> str | None:
    """`genre_of` for an object's type words, except that a map stays a map when hand-drawn.

    Sources call a manuscript map both ("document cartographique manuscrit", MODS
    cartographic with manuscript="yes"); as an object it is a map (edm:type IMAGE).

    >>> object_genre("manuscript cartographic resource", "carte"), object_genre("texte", "manuscrit")
    ('map', 'manuscript')
    """
    if any(w and _genre_word(w) == "map" for w in words):
        return "map"
    return genre_of(*words)


def edm_type_of(genre: str | None, default: str = "TEXT") -> str:
    return GENRES.get(genre or "", default)
