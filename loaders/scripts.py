"""Which script a text is written in, and the language tag that says so ("kk-Cyrl", "uz-Latn", "chg-Arab").

Kazakh and Uzbek are written in Cyrillic and Latin (and Chagatai in Arabic
script) in our sources, so titles and names carry a script subtag whenever
it is not the language's usual one.
"""
from __future__ import annotations

import functools
import re

_SCRIPT_RANGES = (
    ("Arab", ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    ("Cyrl", ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F))),
    ("Grek", ((0x0370, 0x03FF), (0x1F00, 0x1FFF))),
    ("Hebr", ((0x0590, 0x05FF),)),
    ("Armn", ((0x0530, 0x058F),)),
    ("Geor", ((0x10A0, 0x10FF),)),
    ("Ethi", ((0x1200, 0x139F),)),
    ("Hani", ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))),
    ("Latn", ((0x0041, 0x024F), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF))),
)
# The usual script of a language; a title in another script gets a script subtag ("ru-Latn").
# Languages written in several scripts in our sources (uz, kk, az, tk) always get one: Kazakh moves from
# Cyrillic to the 2021 Latin alphabet, so "kk-Cyrl" and "kk-Latn" both occur.
_USUAL_SCRIPT = {
    "ru": "Cyrl", "uk": "Cyrl", "be": "Cyrl", "bg": "Cyrl", "kk": "", "ky": "Cyrl", "tg": "Cyrl",
    "mn": "Cyrl", "tt": "Cyrl", "sr": "Cyrl", "ar": "Arab", "fa": "Arab", "ur": "Arab", "ps": "Arab",
    "ota": "Arab", "chg": "Arab", "he": "Hebr", "el": "Grek", "grc": "Grek", "hy": "Armn", "ka": "Geor",
    "am": "Ethi", "gez": "Ethi", "zh": "Hani", "uz": "", "az": "", "tk": "",
}


def script_of(text: str | None) -> str | None:
    """The ISO 15924 code of the script most letters of `text` are written in.

    >>> script_of("مير على شير نوائ"), script_of("Қара сөздер"), script_of("Xamsa"), script_of("1898")
    ('Arab', 'Cyrl', 'Latn', None)
    """
    if not text:
        return None
    if text.isascii():  # the common case, decided without looking at each letter
        return "Latn" if _ASCII_LETTER.search(text) else None
    counts: dict[str, int] = {}  # in order of first use: a tie goes to the script met first
    for ch in text:
        if ch.isalpha() and (name := _char_script(ch)) is not None:
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


_ASCII_LETTER = re.compile("[A-Za-z]")


@functools.lru_cache(maxsize=8192)
def _char_script(ch: str) -> str | None:
    """The script of one letter (cached: a catalogue uses a few hundred letters, millions of times)."""
    o = ord(ch)
    for name, ranges in _SCRIPT_RANGES:
        if any(a <= o <= b for a, b in ranges):
            return name
    return None


def lang_tag(lang: str | None, text: str | None, *, always_script: bool = False) -> str | None:
    """The BCP 47 tag of `text` in `lang`: a script subtag when the text is not in the language's usual script.

    >>> lang_tag("ru", "История"), lang_tag("ru", "Ocherki po istorii"), lang_tag("uz", "Xamsa")
    ('ru', 'ru-Latn', 'uz-Latn')
    >>> lang_tag("kk", "Қара сөздер"), lang_tag("kk", "Qara sózder")
    ('kk-Cyrl', 'kk-Latn')
    >>> lang_tag("chg", "محاكمت اللغتين", always_script=True), lang_tag(None, "كنز شرحي"), lang_tag(None, "Map")
    ('chg-Arab', 'und-Arab', None)
    """
    script = script_of(text)
    if not lang:
        return f"und-{script}" if script and script != "Latn" else None
    if script and (always_script or script != (_USUAL_SCRIPT.get(lang, "Latn") or None)):
        return f"{lang}-{script}"
    return lang
