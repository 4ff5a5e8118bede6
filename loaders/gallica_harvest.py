"""Harvest Gallica (BnF): SRU searches, single arks, periodicals issue by issue, IIIF manifests.

`meros load gallica SOURCE` where SOURCE is

- a CQL query (`dc.type all "carte"`, `gallica all "Samarkand"`): SRU 1.2
  searchRetrieve, 50 records a page (Gallica's maximum), `startRecord` as the
  checkpoint's cursor; `--set T` narrows it to `dc.type all "T"`;
- an ark (`ark:/12148/btv1b10870266z`, or a Gallica URL holding one): its
  OAIRecord notice;
- a periodical's ark (`ark:/12148/cb328261098/date`): the Issues service, year
  by year, and each issue's OAIRecord notice;
- a IIIF manifest URL (`…/iiif/ark:/12148/…/manifest.json`): the Presentation
  2.0 manifest, one image per canvas with its Image API 1.1 service.

Per document (unless `--metadata-only`): the Pagination service gives every
view with its size, so the object gets one image per page, each referencing
Gallica's own image service; and when an SRU record carries no `dc:rights`, its
OAIRecord notice (where Gallica states them) supplies them. Periodical *title*
records get neither: they often state no rights, and stay "unknown", never
"open". Stored URLs are always Gallica's own, even when harvested from a
mirror given by `--base-url`.

SRU quirks handled: `nextRecordPosition` may point past the end (even on an
empty result); the harvest stops when a page holds no record or the count is
reached. An unreadable SRU page is kept raw in the rejects file and the
harvest moves on to the next page (its position is known).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ontology.errors import RecordError
from ontology.record import Image, Record

from .base import Rejected
from .checkpoint import Mark
from .gallica import GALLICA, SRW, image_service, parse_issues, parse_manifest, parse_oairecord, parse_pagination, \
    parse_sru
from .harvest import Harvest, HarvestError, Item, page_rejected, rebase
from .http import HttpError
from .normalise import parse_xml

SRU_PAGE = 50
_ARK = re.compile(r"ark:/12148/([a-z0-9]+)(/date)?", re.I)


def harvest(source: str, h: Harvest) -> Iterator[Item]:
    text = source.strip()
    ark = _ARK.search(text)
    if re.match(r"https?://", text) and "/iiif/" in text and text.rstrip("/").endswith("manifest.json"):
        yield from _manifest(text, h)
    elif ark and ark.group(2):
        yield from _periodical(ark.group(1), h)
    elif ark and (text.startswith("ark:") or re.match(r"https?://", text)):
        yield from _document(ark.group(1), h, h.cursor or {})
    else:
        yield from _sru(text, h)


# --- SRU ------------------------------------------------------------------------------------------

def _sru_counts(data: bytes) -> int | None:
    root = parse_xml(data, "Gallica SRU response")
    total = root.findtext(f"{{{SRW}}}numberOfRecords")
    return int(total) if total and total.strip().isdigit() else None


def _sru(query: str, h: Harvest) -> Iterator[Item]:
    if not query:
        raise HarvestError("give Gallica a CQL query (e.g. 'dc.type all \"carte\"'), an ark or a manifest URL")
    cql = f'({query}) and dc.type all "{h.options.set}"' if h.options.set else query
    cursor = h.cursor or {}
    start, total = int(cursor.get("start", 1)), cursor.get("total")
    size = min(SRU_PAGE, h.options.limit) if h.options.limit else SRU_PAGE
    while total is None or start <= total:
        params: dict[str, str | int] = {"operation": "searchRetrieve", "version": "1.2", "query": cql,
                                        "startRecord": start, "maximumRecords": size}
        try:
            body, url = h.fetch(f"{h.base(GALLICA)}/SRU", params=params, source="gallica")
        except HttpError as exc:
            raise HarvestError(f"Gallica SRU: {exc}") from None
        try:
            items = list(parse_sru(body, url))
            total = _sru_counts(body)
        except RecordError as exc:
            yield page_rejected(url, exc, body)
            if total is None:  # the first page: without a count there is no way on
                yield Mark({"start": start, "total": None})
                raise HarvestError(f"{url}: {exc}; the page is in the rejects file") from None
            h.note(f"SRU page at record {start} was unreadable ({exc}); it is in the rejects file")
            start += size
            yield Mark({"start": start, "total": total})
            continue
        for item in items:
            yield _details(item, h) if isinstance(item, Record) else item
        if not items:
            break
        start += len(items)
        yield Mark({"start": start, "total": total})
    yield Mark({"start": start, "total": total, "done": True})


# --- single documents, periodicals, manifests -------------------------------------------------------

def _oairecord(ark: str, h: Harvest) -> list[Record | Rejected]:
    body, url = h.fetch(f"{h.base(GALLICA)}/services/OAIRecord", params={"ark": ark}, source="gallica")
    return list(parse_oairecord(body, url))


def _document(ark: str, h: Harvest, cursor: dict[str, object]) -> Iterator[Item]:
    if cursor.get("done"):
        return
    try:
        items = _oairecord(ark, h)
    except (HttpError, RecordError) as exc:
        yield Rejected(f"{GALLICA}/services/OAIRecord?ark={ark}", f"Gallica notice of {ark}: {exc}", ark)
        items = []
    for item in items:
        yield _details(item, h, rights=False) if isinstance(item, Record) else item
    yield Mark({"done": True})


def _periodical(ark: str, h: Harvest) -> Iterator[Item]:
    """Every issue of a periodical: its years, each year's issues, each issue's notice."""
    cursor = h.cursor or {}
    if cursor.get("done"):
        return
    title = f"ark:/12148/{ark}/date"
    try:
        body, url = h.fetch(f"{h.base(GALLICA)}/services/Issues", params={"ark": title}, source="gallica")
        years = [y["year"] for y in parse_issues(body)]
    except (HttpError, RecordError) as exc:
        raise HarvestError(f"Gallica Issues service for {title}: {exc}") from None
    year_at, issue_at = int(cursor.get("year", 0)), int(cursor.get("issue", 0))
    for yi in range(year_at, len(years)):
        try:
            body, url = h.fetch(f"{h.base(GALLICA)}/services/Issues", params={"ark": title, "date": years[yi]},
                                source="gallica")
            issues = parse_issues(body)
            if any("ark" not in issue for issue in issues):
                raise RecordError(f"the Issues service answered a list of years, not the issues of {years[yi]}")
        except (HttpError, RecordError) as exc:
            yield Rejected(f"{GALLICA}/services/Issues?ark={title}&date={years[yi]}",
                           f"issues of {years[yi]}: {exc}", "")
            yield Mark({"year": yi + 1, "issue": 0})
            continue
        for ii in range(issue_at if yi == year_at else 0, len(issues)):
            issue = issues[ii]
            if issue.get("ark"):
                yield from (i for i in _document(issue["ark"], h, {}) if not isinstance(i, Mark))
            else:
                yield Rejected(url, f"an issue of {years[yi]} without an ark", repr(issue))
            yield Mark({"year": yi, "issue": ii + 1})
        yield Mark({"year": yi + 1, "issue": 0})
    yield Mark({"done": True})


def _manifest(url: str, h: Harvest) -> Iterator[Item]:
    if (h.cursor or {}).get("done"):
        return
    try:
        body, _ = h.fetch(rebase(url, h.options.base_url), source="gallica", accept="application/json")
    except HttpError as exc:
        raise HarvestError(f"Gallica manifest: {exc}") from None
    try:
        items = list(parse_manifest(body, url))
    except RecordError as exc:
        yield page_rejected(url, exc, body)
        items = []
    for item in items:
        yield _details(item, h, pages=False) if isinstance(item, Record) else item
    yield Mark({"done": True})


def _details(record: Record, h: Harvest, *, rights: bool = True, pages: bool = True) -> Record:
    """Rights from the OAIRecord notice when the record has none; every page from the Pagination service."""
    if not h.options.details or (record.is_shown_at or "").endswith("/date"):
        return record  # a periodical's title record: no notice of its own, its rights stay unknown
    ark = record.local_id
    if rights and not record.rights_text:
        try:
            notice = next((r for r in _oairecord(ark, h) if isinstance(r, Record)), None)
        except (HttpError, RecordError) as exc:
            h.note(f"{ark}: no OAIRecord notice for its rights ({exc}); they stay unknown")
            notice = None
        if notice is not None and notice.rights_text:
            record.rights_text = notice.rights_text
    if pages:
        try:
            body, _ = h.fetch(f"{h.base(GALLICA)}/services/Pagination", params={"ark": ark}, source="gallica")
            views = parse_pagination(body)
        except (HttpError, RecordError) as exc:
            h.note(f"{ark}: Pagination service unavailable ({exc}); only its first view is listed")
            views = []
        if views:
            thumb = record.images[0].thumbnail if record.images else None
            record.images = [Image(service=image_service(ark, n), service_type="ImageService1",
                                   service_profile="http://library.stanford.edu/iiif/image-api/1.1/compliance.html"
                                                   "#level2",
                                   width=w, height=hgt, label=None if label in ("", "NP") else label,
                                   thumbnail=thumb if n == 1 else None)
                             for n, (label, w, hgt) in enumerate(views, start=1)]
    return record
