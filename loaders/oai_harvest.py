"""Harvest any OAI-PMH 2.0 repository: ListRecords page by page, resumable, incremental.

- Formats: `oai_dc` (default), `mods`, `marc21`/`marcxml`, `edm` (Europeana's
  OAI-PMH); each page is read by that format's parser (`loaders.oai`,
  `loaders.marc`, `loaders.edm`).
- `set`, `from`, `until` as the protocol defines them. Without `from`, a
  repository harvested completely before is harvested from the day its last
  complete harvest began (the repository's own `responseDate`, at day
  granularity, which every repository supports): records changed since then,
  and nothing else, are fetched again.
- The resumption token is the checkpoint's cursor: a killed harvest resumes at
  the page it was reading. Tokens expire; a repository that no longer knows
  one answers badResumptionToken, and the message says to run with --restart.
- Error codes (OAI-PMH 2.0 §3.6): noRecordsMatch ends the harvest with nothing
  to do; every other code stops it with the repository's own message.
- Records with status="deleted" are removed from the store.
- A page that is not readable OAI-PMH (an HTML error page, truncated XML, bytes
  in another encoding than declared) is kept raw in the rejects file and stops
  the harvest: without the page, its resumption token is unknown. The
  checkpoint stays on that page, so the same command retries it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from lxml import etree

from ontology.errors import RecordError
from ontology.record import Record, make_id

from .base import Rejected
from .checkpoint import Deleted, Mark
from .edm import parse_edm
from .harvest import Harvest, HarvestError, Item, page_rejected, rebase
from .http import HttpError
from .marc import parse_marc
from .normalise import parse_xml
from .oai import OAI, deleted_identifiers, hollis_id, local_id_of, oai_error, parse_oai_dc, parse_oai_mods, \
    provider_from_host, resumption_token

Parser = Callable[..., Iterator[Record | Rejected]]
PARSERS: dict[str, Parser] = {
    "oai_dc": parse_oai_dc,
    "mods": parse_oai_mods,
    "marc21": parse_marc,
    "marcxml": parse_marc,
    "edm": parse_edm,
}


def harvest(source: str, h: Harvest) -> Iterator[Item]:
    """Records of the repository at `source` (or the mirror `--base-url`), page by page."""
    base = (h.options.base_url or source).split("?")[0]
    if h.options.base_url and "verb=GetRecord" in source:
        base = source.split("?")[0]
    if not re.match(r"https?://", base):
        raise HarvestError(f"OAI-PMH source {source!r} is not an http(s) URL of a repository's base")
    prefix = h.options.prefix or "oai_dc"
    parser = PARSERS.get(prefix)
    if parser is None:
        raise HarvestError(f"metadata format {prefix!r} has no parser; valid: {', '.join(PARSERS)}")
    cursor = h.cursor or {}
    if cursor.get("done"):
        return
    if "verb=GetRecord" in source:
        yield from _get_record(source, parser, h)
        return
    since = h.checkpoint.setdefault("from", h.options.from_ or h.checkpoint.last_datestamp)
    if since and not h.options.from_:
        h.note(f"incremental harvest: records changed since {since} (the last complete harvest)")
    token = cursor.get("token")
    while True:
        params = {"verb": "ListRecords", "resumptionToken": token} if token else \
            {k: v for k, v in (("verb", "ListRecords"), ("metadataPrefix", prefix), ("set", h.options.set),
                               ("from", since), ("until", h.options.until)) if v}
        here = {"token": token}
        try:
            body, url = h.fetch(base, params=params, source="oai", accept="text/xml, application/xml")
        except HttpError as exc:
            raise HarvestError(f"OAI-PMH repository {base}: {exc}") from None
        try:
            error = oai_error(body)
            root = parse_xml(body, "OAI-PMH response")
            items = list(parser(body, url, provider=h.options.provider)) if error is None else []
        except RecordError as exc:
            yield page_rejected(url, exc, body)
            yield Mark(here)  # the rejected page is written; the checkpoint stays on this page
            raise HarvestError(f"{url}: {exc}; the page is in the rejects file and the checkpoint stays on it: "
                               "run the same command again to retry it") from None
        if error is not None:
            code, message = error
            if code == "noRecordsMatch":
                yield Mark({"token": None, "done": True})
                return
            if code == "badResumptionToken":
                raise HarvestError(f"{base} no longer knows resumption token {token!r} ({message}); tokens "
                                   "expire: run the command again with --restart to harvest from the beginning")
            raise HarvestError(f"{base} answered OAI-PMH error {code}: {message or 'no message'}")
        stamp = root.findtext(f"{{{OAI}}}responseDate")
        if stamp:
            h.checkpoint.setdefault("high_water", stamp.strip()[:10])
        repository = root.findtext(f"{{{OAI}}}request") or base
        yield from items
        for oai_id in deleted_identifiers(body):
            yield Deleted(_object_id(oai_id, h.options.provider, repository), url)
        token = resumption_token(body)
        newest = _newest_datestamp(root)
        if not token:
            yield Mark({"token": None, "done": True}, newest)
            return
        yield Mark({"token": token}, newest)


def _get_record(source: str, parser: Parser, h: Harvest) -> Iterator[Item]:
    """One record by its GetRecord URL (as a repository's landing page links it)."""
    url = rebase(source, h.options.base_url)
    try:
        body, final = h.fetch(url, source="oai", accept="text/xml, application/xml")
    except HttpError as exc:
        raise HarvestError(f"OAI-PMH GetRecord: {exc}") from None
    try:
        error = oai_error(body)
    except RecordError as exc:
        yield page_rejected(final, exc, body)
        yield Mark({"done": True})
        return
    if error is not None:
        raise HarvestError(f"{source} answered OAI-PMH error {error[0]}: {error[1] or 'no message'}")
    yield from parser(body, final, provider=h.options.provider)
    yield Mark({"done": True})


def _newest_datestamp(root: etree._Element) -> str | None:
    stamps = [d.text.strip() for d in root.iterfind(f"{{{OAI}}}*/{{{OAI}}}record/{{{OAI}}}header/{{{OAI}}}datestamp")
              if d.text]
    return max(stamps) if stamps else None


def _object_id(oai_id: str, provider: str | None, repository: str) -> str:
    """Our id for a deleted record, made the way `loaders.oai` makes the id of a live one."""
    repo = re.match(r"oai:([^:]+):", oai_id)
    key = provider or provider_from_host(repo.group(1) if repo else urlsplit(repository.strip()).hostname) or "oai"
    local = local_id_of(oai_id)
    return make_id(key, hollis_id(local) if key == "harvard" else local)
