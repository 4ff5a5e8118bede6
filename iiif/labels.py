"""Language maps for IIIF resources: our labels in the five interface languages, source texts as tagged.

Presentation 3 wants every label as `{"lang": ["text"]}`; an untagged source
text goes under `none`, never under a language we would be guessing.
"""
from __future__ import annotations

import re

from ontology.record import Text

LANGS = ("en", "fr", "ru", "kk", "uz")

# Our own metadata labels: English, French, Russian, Kazakh (Cyrillic), Uzbek (Latin).
LABELS: dict[str, tuple[str, str, str, str, str]] = {
    "title": ("Title", "Titre", "Заглавие", "Атауы", "Nomi"),
    "creator": ("Creator", "Créateur", "Автор", "Авторы", "Muallif"),
    "contributor": ("Contributor", "Contributeur", "Участник", "Қатысушы", "Ishtirokchi"),
    "date": ("Date", "Date", "Дата", "Күні", "Sana"),
    "type": ("Type", "Type", "Тип", "Түрі", "Turi"),
    "genre": ("Genre", "Genre", "Жанр", "Жанр", "Janr"),
    "language": ("Language", "Langue", "Язык", "Тілі", "Til"),
    "place": ("Place", "Lieu", "Место", "Орны", "Joy"),
    "subject": ("Subject", "Sujet", "Тема", "Тақырыбы", "Mavzu"),
    "publisher": ("Publisher", "Éditeur", "Издатель", "Баспагер", "Nashriyot"),
    "identifier": ("Identifier", "Identifiant", "Идентификатор", "Идентификатор", "Identifikator"),
    "provider": ("Provider", "Fournisseur", "Поставщик", "Жеткізуші", "Taqdim etuvchi"),
    "source": ("At the source", "À la source", "В источнике", "Дереккөзде", "Manbada"),
    "rights": ("Rights", "Droits", "Права", "Құқықтар", "Huquqlar"),
    "attribution": ("Attribution", "Attribution", "Атрибуция", "Атрибуция", "Atributsiya"),
    "page": ("Page", "Page", "Страница", "Бет", "Sahifa"),
    "item_page": ("Item page", "Page de la notice", "Страница объекта", "Нысан беті", "Obyekt sahifasi"),
    "collections": ("Collections", "Collections", "Коллекции", "Топтамалар", "To'plamlar"),
}


def ours(key: str) -> dict[str, list[str]]:
    """One of our labels in all five interface languages."""
    return {lang: [text] for lang, text in zip(LANGS, LABELS[key])}


def ours_with(key: str, value: str, sep: str = " ") -> dict[str, list[str]]:
    """Our label followed by a value that is the same in every language (a number, a code, a name)."""
    return {lang: [f"{text}{sep}{value}"] for lang, text in zip(LANGS, LABELS[key])}


_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$")


def lang_key(tag: str | None) -> str:
    """A BCP 47 tag as given, or `none` for untagged (or unusable) tags."""
    return tag if tag and _TAG.match(tag) else "none"


def texts_map(texts: list[Text]) -> dict[str, list[str]]:
    """Source texts grouped by their language tag, order kept, duplicates dropped."""
    out: dict[str, list[str]] = {}
    for t in texts:
        value = t.value.strip()
        if value and value not in out.setdefault(lang_key(t.lang), []):
            out[lang_key(t.lang)].append(value)
    return {k: v for k, v in out.items() if v}


def plain(*values: str | None) -> dict[str, list[str]]:
    """Values that belong to no language (names, dates, codes)."""
    return {"none": [v for v in dict.fromkeys(values) if v]}
