"""The index's fields and analyzers, and how one store document becomes one index document.

Text is indexed twice: as its cross-script skeleton (`scripts.fold`, split by
the simple tokenizer) for every language, in three fields (titles, names, the
rest; each text in one of them), and stemmed: Cyrillic texts with tantivy's
Russian stemmer, the other texts of French records with its French one. Facet
and filter values are raw (untokenised) fast fields; years are integer fast
fields.
"""
from __future__ import annotations

import base64
import re
from functools import lru_cache

import orjson
import tantivy

from .documents import SearchDocument
from .scripts import fold, normalise, sort_key

SCHEMA_VERSION = "4"  # bump when fields change: `meros index` then rebuilds from scratch
FACETS: tuple[str, ...] = ("type", "genre", "provider", "language", "rights", "century")
KEY_FIELDS: tuple[str, ...] = ("creator_key", "subject_key", "place_key", "collection_key", "title_key")
SKELETON_FIELDS: tuple[tuple[str, float], ...] = (("title", 3.0), ("creator", 2.0), ("text", 1.0))
STEMMED_FIELDS: tuple[str, ...] = ("text_fr", "text_ru")
NO_YEAR = 1_000_000  # sorts objects without a date after all dated ones, in both directions
MAX_CENTURIES = 10
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name, _ in SKELETON_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="skeleton")
    sb.add_text_field("text_fr", stored=False, tokenizer_name="meros_fr")
    sb.add_text_field("text_ru", stored=False, tokenizer_name="meros_ru")
    for name in (*FACETS, "geo"):
        sb.add_text_field(name, stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    for name in KEY_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title_sort", stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("year_from", "year_to"):
        sb.add_integer_field(name, stored=False, indexed=True, fast=True)
    for name in ("date_asc", "date_desc", "public_domain_from"):
        sb.add_integer_field(name, stored=False, indexed=True, fast=True)
    sb.add_integer_field("quality", stored=False, fast=True)
    sb.add_bytes_field("data", stored=True, indexed=False, fast=False)
    return sb.build()


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """Tokenizers registered on every open of the index (they are not stored in it)."""
    def build(*filters: tantivy.Filter) -> tantivy.TextAnalyzer:
        b = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        for f in filters:
            b = b.filter(f)
        return b.build()

    return {
        "skeleton": build(tantivy.Filter.remove_long(60), tantivy.Filter.lowercase()),
        "meros_fr": build(tantivy.Filter.remove_long(60), tantivy.Filter.lowercase(), tantivy.Filter.ascii_fold(),
                          tantivy.Filter.stemmer("french")),
        "meros_ru": build(tantivy.Filter.remove_long(60), tantivy.Filter.lowercase(), tantivy.Filter.stemmer("russian")),
    }


@lru_cache(maxsize=262_144)
def key(label: str) -> str:
    """A creator/subject/place filter value: the label's skeleton, so any script finds it (cached: labels repeat)."""
    return " ".join(fold(label).split())


def centuries(year_from: int | None, year_to: int | None) -> list[str]:
    """Facet keys: the first year of each century the object's dates touch ("1800" = 1800–1899).

    >>> centuries(1890, 1898), centuries(1690, 1810), centuries(-450, None), centuries(None, None)
    (['1800'], ['1600', '1700', '1800'], ['-500'], [])
    """
    if year_from is None:
        return []
    lo = year_from // 100
    hi = max(lo, (year_to if year_to is not None else year_from) // 100)
    return [str(c * 100) for c in range(lo, min(hi, lo + MAX_CENTURIES - 1) + 1)]


def to_index_document(doc: SearchDocument) -> tantivy.Document:
    """The index document; `data` keeps what a result line shows, so results never touch the store."""
    return tantivy.Document(**index_fields(doc))


def index_json(doc: SearchDocument) -> str:
    """`index_fields` as tantivy's JSON document (bytes in base64): one string to hand over, parsed in Rust."""
    fields = index_fields(doc)
    fields["data"] = base64.b64encode(fields["data"]).decode("ascii")  # type: ignore[arg-type]
    return orjson.dumps(fields).decode()


def index_fields(doc: SearchDocument) -> dict[str, object]:
    """`to_index_document`'s fields as plain values: what index-build workers hand to the writing process."""
    values = doc.values
    empty: list[str] = []
    titles = [v for v, _ in doc.titles]
    creators = values.get("creator", empty) + values.get("contributor", empty)
    creator_alt = values.get("creator_alt", empty)
    subjects, places, parts = values.get("subject", empty), values.get("place", empty), values.get("part_of", empty)
    descriptions, fulltext = values.get("description", empty), values.get("fulltext", empty)
    # everything but titles and names, which have their own fields (every clause searches all three)
    texts = [*subjects, *places, *descriptions, *values.get("identifier", empty), *parts,
             *values.get("publisher", empty), *fulltext]
    languages = sorted(set(values.get("language", empty)))
    year_from = doc.year("year_from")
    year_to = doc.year("year_to") or year_from
    rights = doc.first("rights") or "restricted"
    thumbnail = doc.first("thumbnail")
    all_creators = creators + creator_alt
    fields: dict[str, object] = {
        "id": doc.id,
        "title": "\n".join(map(fold, titles)),
        "creator": "\n".join(map(fold, all_creators)),
        "text": "\n".join(map(fold, texts)),  # each piece folded once (and cached: pieces repeat)
        "type": doc.first("type") or "TEXT",
        "provider": doc.id.split("-", 1)[0],
        "rights": rights,
        "title_sort": sort_key(titles[0]) if titles else doc.id,
        "date_asc": year_from if year_from is not None else NO_YEAR,
        "date_desc": year_from if year_from is not None else -NO_YEAR,
        "quality": (2 if thumbnail else 0) + (1 if rights == "open" else 0),
        "creator_key": list(map(key, all_creators)),
        "subject_key": list(map(key, subjects)),
        "place_key": list(map(key, places)),
        "collection_key": list(map(key, parts)),
        "title_key": list(map(key, titles)),
    }
    # Each piece goes to the stemmer of its script: a stemmer leaves the other script's words as they are,
    # and the skeleton fields already match those exactly.
    stemmable = [*titles, *subjects, *descriptions, *parts, *fulltext]
    cyrillic = [t for t in stemmable if _CYRILLIC.search(t)]
    if cyrillic:
        fields["text_ru"] = normalise("\n".join(cyrillic))
    if "fr" in languages or any((lang or "").startswith("fr") for _, lang in doc.titles):
        latin = [t for t in stemmable if not _CYRILLIC.search(t)] if cyrillic else stemmable
        if latin:
            fields["text_fr"] = normalise("\n".join(latin))
    if genre := doc.first("genre"):
        fields["genre"] = genre.strip().lower()
    if languages:
        fields["language"] = languages
    if cs := centuries(year_from, year_to):
        fields["century"] = cs
    if year_from is not None:
        fields["year_from"] = year_from
        fields["year_to"] = year_to
    if (pd := doc.year("public_domain_from")) is not None:
        fields["public_domain_from"] = pd
    geo = sorted(set(values.get("geo", empty)))
    if geo:
        fields["geo"] = geo
    data = {
        "titles": doc.titles, "creators": creators, "date": doc.first("date"), "year": year_from,
        "type": fields["type"], "genre": fields.get("genre"), "rights": rights,
        "rights_statement": doc.first("rights_statement"), "thumbnail": thumbnail,
        "data_provider": doc.first("data_provider"), "languages": languages,
        "keys": {k: fields[k] for k in KEY_FIELDS},
    }
    fields["data"] = orjson.dumps(data)
    return fields
