""""Cite this": one object as a plain-text reference, BibTeX and CSL-JSON, all pointing to its persistent URI.

CSL-JSON is what Zotero, Mendeley and pandoc read; BibTeX what LaTeX users
paste. Names are kept literal (sources write "Surname, Forename" or a single
name in any script), so no citation processor reorders them wrongly.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from sparql.objects import ObjectView

# genre (dc:type) → CSL item type; anything else is "document"
CSL_TYPES = {"map": "map", "book": "book", "manuscript": "manuscript", "periodical": "periodical",
             "photograph": "graphic", "music score": "musical_score", "sound recording": "song"}
_BIBTEX_SPECIAL = re.compile(r"([{}\\&%$#_^~])")


def _year(obj: ObjectView) -> int | None:
    return obj.year_from


def csl_json(obj: ObjectView, title: str, accessed: date | None = None) -> dict[str, Any]:
    """One CSL-JSON item (a list of these is a CSL-JSON document)."""
    accessed = accessed or date.today()
    item: dict[str, Any] = {
        "id": obj.id,
        "type": CSL_TYPES.get((obj.genre or "").lower(), "document"),
        "title": title,
        "URL": obj.uri,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    if obj.creators:
        item["author"] = [{"literal": a.name} for a in obj.creators]
    if (year := _year(obj)) is not None:
        item["issued"] = {"date-parts": [[year]]}
        if obj.date and obj.date != str(year):
            item["issued"]["raw"] = obj.date
    if obj.publisher:
        item["publisher"] = obj.publisher
    if obj.data_provider:
        item["archive"] = obj.data_provider
    if obj.languages:
        item["language"] = obj.languages[0]
    return item


def _bib(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def bibtex(obj: ObjectView, title: str, accessed: date | None = None) -> str:
    """A BibTeX @misc entry (the type every style accepts for an archival object), UTF-8."""
    accessed = accessed or date.today()
    fields = [("title", "{" + _bib(title) + "}")]
    if obj.creators:
        fields.append(("author", " and ".join("{" + _bib(a.name) + "}" for a in obj.creators)))
    if (year := _year(obj)) is not None:
        fields.append(("year", str(year)))
    if obj.publisher:
        fields.append(("publisher", _bib(obj.publisher)))
    if obj.data_provider:
        fields.append(("organization", _bib(obj.data_provider)))
    fields.append(("howpublished", "\\url{" + obj.uri + "}"))
    fields.append(("url", obj.uri))
    fields.append(("urldate", accessed.isoformat()))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{obj.id},\n{body}\n}}\n"


def plain(obj: ObjectView, title: str, accessed: date | None = None) -> str:
    """A readable reference: Creator. Title. Date. Holding institution. URI (accessed …)."""
    accessed = accessed or date.today()
    parts = []
    if obj.creators:
        parts.append("; ".join(a.name for a in obj.creators))
    parts.append(title)
    if obj.date:
        parts.append(obj.date)
    if obj.data_provider:
        parts.append(obj.data_provider)
    text = ". ".join(p.rstrip(". ") for p in parts if p)
    return f"{text}. {obj.uri} ({accessed.isoformat()})."
