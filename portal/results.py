"""Index hits as the contract's result items, in the reader's language, for `/search` and `/api/search`."""
from __future__ import annotations

from typing import Any

from flask import g, request

from ontology.record import Text
from sparql.objects import best_text

from .search import Hit, SearchIndex


def reader_languages() -> list[str]:
    """Metadata languages in order of preference: the interface language, Accept-Language, English."""
    langs = [g.get("lang") or "en"]
    langs += [lang.split("-")[0].lower() for lang in request.accept_languages.values() if lang and lang != "*"]
    langs.append("en")
    return list(dict.fromkeys(langs))


def hit_title(hit: Hit, langs: list[str]) -> str:
    texts = [Text(v, lang) for v, lang in hit.data.get("titles", [])]
    return best_text(texts, langs) or hit.id


def hit_title_lang(hit: Hit, langs: list[str]) -> str | None:
    """The language tag of the title `hit_title` chose (for `lang=` on the element)."""
    title = hit_title(hit, langs)
    for value, lang in hit.data.get("titles", []):
        if value == title:
            return lang
    return None


def result_item(hit: Hit, langs: list[str], base: str) -> dict[str, Any]:
    """One result in the contract's shape."""
    d = hit.data
    creators = d.get("creators") or []
    return {
        "id": hit.id,
        "uri": f"{base}/id/{hit.id}",
        "title": hit_title(hit, langs),
        "creator": creators[0] if creators else None,
        "date": d.get("date"),
        "type": d.get("type"),
        "provider": hit.id.split("-", 1)[0],
        "rights": d.get("rights"),
        "rights_statement": d.get("rights_statement"),
        "thumbnail": d.get("thumbnail"),
        "manifest": f"{base}/iiif/{hit.id}/manifest",
    }


def search_index() -> SearchIndex:
    from flask import current_app

    return current_app.extensions["meros.search"]  # type: ignore[no-any-return]
