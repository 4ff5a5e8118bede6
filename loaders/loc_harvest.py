"""Harvest loc.gov through its JSON API: searches and collections page by page, items, IIIF manifests.

`meros load loc SOURCE` where SOURCE is

- a loc.gov search or collection URL (`https://www.loc.gov/collections/
  abdul-hamid-ii-books/?q=…`), or words to search for (`--set SLUG` searches
  within that collection): `fo=json`, `c=100` results a page, `sp` as the
  checkpoint's cursor. loc.gov does not page past 100 000 results: the harvest
  stops there and says so (narrow the query, e.g. by date or collection);
- an item (`https://www.loc.gov/item/2017498321/`, `item/2017498321` or a bare
  LCCN such as `73691632`);
- a IIIF manifest URL (`…/manifest.json`): Presentation 2, its `seeAlso`
  MARCXML/MODS giving the LCCN.

Search results carry no rights statement; unless `--metadata-only`, each result
is read from its item JSON (`item.rights`, `rights_advisory`,
`access_restricted`), under the item endpoint's own published limit (burst 10
requests / 10 s, crawl 200 / min) while searches keep theirs (burst 20 / 10 s,
crawl 80 / min); a 429 is waited out as its `Retry-After` asks. An item that
cannot be fetched is read from its search entry (its rights then stay
unknown). Results that are not items (web pages, collections) are skipped and
counted. An unreadable search page is kept raw in the rejects file and the
harvest goes on with the next page.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from ontology.errors import RecordError
from ontology.record import Record

from .base import Rejected
from .checkpoint import Mark
from .harvest import Harvest, HarvestError, Item, page_rejected, rebase
from .http import HttpError
from .iiif_manifest import load_json
from .loc import parse_loc_json, parse_loc_manifest

LOC = "https://www.loc.gov"
PAGE = 100
MAX_RESULTS = 100_000
_ITEM = re.compile(r"(?:^|/)item/([^/?#]+)/?")


def harvest(source: str, h: Harvest) -> Iterator[Item]:
    text = source.strip()
    if (h.cursor or {}).get("done"):
        return
    if re.match(r"https?://", text) and urlsplit(text).path.endswith("manifest.json"):
        yield from _manifest(text, h)
    elif (m := _ITEM.search(text)) or re.fullmatch(r"[a-z]{0,3}\d{6,}", text):
        yield from _single(m.group(1) if m else text, h)
    else:
        yield from _search(text, h)


def item_url(item_id: str) -> str:
    return f"{LOC}/item/{item_id}/"


def _search_target(text: str, h: Harvest) -> tuple[str, dict[str, str]]:
    """The search URL (on the mirror if one is given) and its own query, without the paging parameters."""
    if re.match(r"https?://", text):
        parts = urlsplit(rebase(text, h.options.base_url))
        params = {k: v for k, v in parse_qsl(parts.query) if k not in ("fo", "c", "sp", "at")}
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), params
    base = h.base(LOC)
    where = f"{base}/collections/{h.options.set}/" if h.options.set else f"{base}/search/"
    return where, ({"q": text} if text else {})


def _search(text: str, h: Harvest) -> Iterator[Item]:
    url, query = _search_target(text, h)
    if not query and "/collections/" not in url and "/search" not in url:
        raise HarvestError(f"loc.gov source {text!r}: give a search or collection URL, an item, or words to search")
    cursor = h.cursor or {}
    sp, pages = int(cursor.get("sp", 1)), cursor.get("pages")  # pages: loc.gov's page count, once known
    per_page = min(PAGE, h.options.limit) if h.options.limit else PAGE
    while True:
        if (sp - 1) * per_page >= MAX_RESULTS:
            h.note(f"loc.gov does not page past {MAX_RESULTS} results: stopped at page {sp - 1}; "
                   "narrow the query (dates, a collection with --set, facets) to harvest the rest")
            break
        params: dict[str, str | int] = {**query, "fo": "json", "c": per_page, "sp": sp, "at": "results,pagination"}
        try:
            body, page_url = h.fetch(url, params=params, source="loc", accept="application/json")
        except HttpError as exc:
            raise HarvestError(f"loc.gov search: {exc}") from None
        try:
            doc = load_json(body, "loc.gov search page")
            if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
                raise RecordError("loc.gov search page has no results list")
        except RecordError as exc:
            yield page_rejected(page_url, exc, body)
            if not isinstance(pages, int) or sp >= pages:  # no page count to go on by
                yield Mark({"sp": sp, "pages": pages})
                raise HarvestError(f"{page_url}: {exc}; the page is in the rejects file") from None
            h.note(f"loc.gov search page {sp} was unreadable ({exc}); it is in the rejects file")
            sp += 1
            yield Mark({"sp": sp, "pages": pages})
            continue
        for entry in doc["results"]:
            yield from _entry(entry, page_url, h)
        pagination: dict[str, Any] = doc["pagination"] if isinstance(doc.get("pagination"), dict) else {}
        pages = pagination.get("total") if isinstance(pagination.get("total"), int) else pages
        sp += 1
        if not doc["results"] or not pagination.get("next"):
            break
        yield Mark({"sp": sp, "pages": pages})
    yield Mark({"sp": sp, "pages": pages, "done": True})


def _entry(entry: object, page_url: str, h: Harvest) -> Iterator[Record | Rejected]:
    """One search result: its item JSON (rights!) when we may fetch it, else the entry itself."""
    link = str(entry.get("url") or entry.get("id") or "") if isinstance(entry, dict) else ""
    m = _ITEM.search(urlsplit(link).path)
    if not m:
        h.stats.skipped += 1  # a web page, a collection, a resource: not an object
        return
    if h.options.details:
        items = _item(m.group(1), h)
        if items is not None:
            yield from items
            return
    yield from parse_loc_json(json.dumps(entry, ensure_ascii=False).encode(), page_url)


def _item(item_id: str, h: Harvest) -> list[Record | Rejected] | None:
    """The records of an item's JSON, or None when it cannot be fetched or read (the caller falls back)."""
    real = item_url(item_id)
    try:
        body, _ = h.fetch(rebase(real, h.options.base_url), params={"fo": "json"}, source="loc-item",
                          accept="application/json")
        return list(parse_loc_json(body, f"{real}?fo=json"))
    except (HttpError, RecordError) as exc:
        h.note(f"loc.gov item {item_id}: {exc}; read from its search entry instead")
        return None


def _single(item_id: str, h: Harvest) -> Iterator[Item]:
    items = _item(item_id, h)
    if items is None:
        yield Rejected(f"{item_url(item_id)}?fo=json", f"loc.gov item {item_id} could not be fetched or read "
                       f"({h.stats.notes[-1] if h.stats.notes else 'no answer'})", item_id)
    else:
        yield from items
    yield Mark({"done": True})


def _manifest(url: str, h: Harvest) -> Iterator[Item]:
    try:
        body, _ = h.fetch(rebase(url, h.options.base_url), source="loc-item", accept="application/json")
    except HttpError as exc:
        raise HarvestError(f"loc.gov manifest: {exc}") from None
    try:
        yield from parse_loc_manifest(body, url)
    except RecordError as exc:
        yield page_rejected(url, exc, body)
    yield Mark({"done": True})
