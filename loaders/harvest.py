"""What every harvester shares: its options, the context it runs in, and the table of sources.

A harvester is a generator `harvest(source, h)` yielding `Record`s, `Rejected`s,
`Deleted`s and, after each page, a `Mark` with the cursor of the next page. It
fetches only through `h.get` (the injected `HttpClient`, with the source's rate
limit) and starts from `h.cursor` (the checkpoint of an interrupted run). The
load command drives it through the runner; nothing here writes.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from ontology.errors import MerosError, RecordError

from .base import Rejected
from .checkpoint import Checkpoint
from .http import HttpClient, HttpError, RateLimit
from .mapped import MapSpec
from .runner import Item



class HarvestError(MerosError):
    """The harvest cannot go on (a page unreadable with no way past it, a refused request); the checkpoint
    keeps the place, so the same command retries from there."""

    status = 502


@dataclass
class HarvestOptions:
    base_url: str | None = None  # a mirror or a recorded copy instead of the production host
    set: str | None = None  # OAI-PMH set, loc.gov collection, Gallica document type
    from_: str | None = None  # OAI-PMH from (default: the last complete harvest's high-water mark)
    until: str | None = None
    prefix: str | None = None  # OAI-PMH metadataPrefix
    provider: str | None = None  # the id prefix, when the source cannot tell
    details: bool = True  # per-record detail requests (Gallica OAIRecord/Pagination, loc.gov item JSON)
    limit: int | None = None


@dataclass
class HarvestStats:
    requests: int = 0  # sent, retries included
    pages: int = 0  # documents received (search pages, notices, files)
    skipped: int = 0  # entries that are not objects (loc.gov web pages, kazneb ids without a page)
    notes: list[str] = field(default_factory=list)  # what the operator should know (limits reached…)

    def summary(self) -> str:
        text = f"{_n(self.pages, 'page')}, {_n(self.requests, 'request')}"
        return text + (f", {self.skipped} skipped" if self.skipped else "")


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass
class Harvest:
    """The context a harvester runs in."""

    client: HttpClient
    options: HarvestOptions
    checkpoint: Checkpoint
    stats: HarvestStats = field(default_factory=HarvestStats)
    mapping: MapSpec | None = None  # how the load maps records, so worker processes can map them ahead

    @property
    def cursor(self) -> dict[str, Any] | None:
        return self.checkpoint.cursor

    def base(self, default: str) -> str:
        return (self.options.base_url or default).rstrip("/")

    def get(self, url: str, *, params: Mapping[str, str | int] | None = None, source: str,
            accept: str | None = None) -> requests.Response:
        before = self.client.requests_sent
        try:
            return self.client.get(url, params=params, source=source, accept=accept)
        finally:
            self.stats.requests += self.client.requests_sent - before

    def fetch(self, url: str, *, params: Mapping[str, str | int] | None = None, source: str,
              accept: str | None = None) -> tuple[bytes, str]:
        """(body, final URL) of a 2xx answer; HttpError naming the status otherwise."""
        resp = self.get(url, params=params, source=source, accept=accept)
        with resp:
            if not 200 <= resp.status_code < 300:
                raise HttpError(f"GET {resp.url}: {resp.status_code} {resp.reason}", url=resp.url,
                                status_code=resp.status_code)
            self.stats.pages += 1
            return resp.content, resp.url

    def note(self, text: str) -> None:
        self.stats.notes.append(text)


def page_rejected(url: str, exc: RecordError | HttpError, body: bytes) -> Rejected:
    """A whole page that could not be read: kept raw with its reason, so nothing is lost."""
    return Rejected(url, f"page not readable: {exc}", body.decode("utf-8", "replace"))


def rebase(url: str, base: str | None) -> str:
    """A source URL pointed at the mirror `base` (same path and query), or unchanged without one.

    >>> rebase("https://www.loc.gov/item/73691632/?fo=json", "http://127.0.0.1:8000")
    'http://127.0.0.1:8000/item/73691632/?fo=json'
    >>> rebase("//tile.loc.gov/x", None)
    '//tile.loc.gov/x'
    """
    if not base:
        return url
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return urljoin(base.rstrip("/") + "/", path.lstrip("/"))


@dataclass(frozen=True)
class Source:
    """One `meros load` kind: its harvester and how politely to treat its host."""

    harvester: str  # "module:function"
    rate: str | None  # default rate limit 'N/S[,N/S]' per endpoint group; None for local files
    help: str
    endpoint_rates: tuple[tuple[str, str], ...] = ()  # extra limits by endpoint name (loc.gov items)
    batch: int = 500  # records per write: a harvest's pages are smaller; files go in bulk

    def load(self) -> Callable[[str, Harvest], Iterator[Item]]:
        module, name = self.harvester.split(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]

    def limits(self, kind: str, override: str | None) -> dict[str, RateLimit]:
        """Rate limits by endpoint name (the kind, plus e.g. 'loc-item'): the source's published ones, or
        one operator override for all (a mirror you run yourself is not bound by the source's limits)."""
        names = {kind: self.rate, **dict(self.endpoint_rates)}
        return {name: RateLimit.parse(str(override or rate)) for name, rate in names.items() if override or rate}


FILE_BATCH = 2000  # records per write for files (as loaders.file_sources marks them): the bulk loader's size

# The kinds of `meros load`, with the rate limits their hosts publish or ask for (docs/loaders.md).
SOURCES: dict[str, Source] = {
    "gallica": Source("loaders.gallica_harvest:harvest", "2/1,60/60",
                      "Gallica (BnF): a CQL query for SRU, an ark, a periodical's ark …/date, or a IIIF manifest URL"),
    "loc": Source("loaders.loc_harvest:harvest", "20/10,80/60",
                  "loc.gov: a search or collection URL, an item id or URL, a IIIF manifest URL, or words to search",
                  endpoint_rates=(("loc-item", "10/10,200/60"),)),
    "kazneb": Source("loaders.kazneb:harvest", "1/1,30/60",
                     "kazneb.kz: catalogue ids ('123456', '1000-1050', '12,15') or catalogue/viewer URLs"),
    "oai": Source("loaders.oai_harvest:harvest", "2/1",
                  "any OAI-PMH 2.0 repository: its base URL"),
    "marc": Source("loaders.file_sources:harvest_marc", None,
                   "MARC 21 / UNIMARC / RUSMARC files (ISO 2709 or MARCXML), a folder of them, or a URL",
                   batch=FILE_BATCH),
    "mods": Source("loaders.file_sources:harvest_mods", None, "MODS files, a folder of them, or a URL",
                   batch=FILE_BATCH),
    "edm": Source("loaders.file_sources:harvest_edm", None, "EDM RDF/XML files, a folder of them, or a URL",
                  batch=FILE_BATCH),
    "csv": Source("loaders.file_sources:harvest_csv", None, "a curated CSV file (columns in docs/loaders.md) or a URL",
                  batch=FILE_BATCH),
    "iiif": Source("loaders.file_sources:harvest_iiif", None,
                   "IIIF Presentation 2 or 3 manifests: files, a folder of them, or URLs", batch=FILE_BATCH),
    "images": Source("loaders.file_sources:harvest_images", None,
                     "a folder of scans: one sub-folder per object with a metadata.json sidecar"),
}
