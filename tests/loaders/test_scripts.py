"""Script detection, which decides the language tags of titles and names (`lang_tag`)."""
from __future__ import annotations

import pytest

from loaders.scripts import lang_tag, script_of


@pytest.mark.parametrize("text, script", [
    ("Le Petit journal illustré", "Latn"),  # Gallica: one letter outside ASCII
    ("Abay Qunanbaıuly", "Latn"),  # Kazakh, 2021 Latin alphabet
    ("Қара сөздер", "Cyrl"),
    ("Очерки истории Казахской ССР. Т. 1", "Cyrl"),  # Latin-looking "Т" is Cyrillic here
    ("محاكمة اللغتين", "Arab"),
    ("Muhakemet'ül lûgateyn / محاكمة اللغتين", "Latn"),  # more Latin letters than Arabic ones
    ("ab аб", "Latn"),  # a tie: the script met first
    ("аб ab", "Cyrl"),
    ("1898", None), ("[s.n.], 1898. —", "Latn"), ("", None), (None, None), ("— 1898 —", None),
])
def test_script_of(text: str | None, script: str | None) -> None:
    assert script_of(text) == script


def test_ascii_text_is_latin_for_every_language() -> None:
    assert lang_tag("ru", "Ocherki istorii") == "ru-Latn"
    assert lang_tag("kk", "Qara sozder") == "kk-Latn"
    assert lang_tag("fr", "Le Petit journal") == "fr"
    assert lang_tag("ru", "1941") == "ru"
