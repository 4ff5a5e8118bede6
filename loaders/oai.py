"""OAI-PMH 2.0 pages (ListRecords, GetRecord) with oai_dc or MODS records, and bare oai_dc elements.

Besides the parsers, the readers a harvester needs between pages:
`resumption_token`, `oai_error` and `deleted_identifiers`. The Dublin Core
reading (`read_dc`, `record_from_dc`) is shared with the Gallica loader, whose
SRU and OAIRecord answers carry the same oai_dc records.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from urllib.parse import quote, urlsplit

from lxml import etree

from ontology.errors import RecordError
from ontology.record import Agent, Concept, Place, Record, Text

from .base import Rejected
from .genres import edm_type_of, object_genre
from .mods import record_from_mods
from .normalise import (known, language_code, local_name, nfc, parse_agent, parse_date, parse_xml, split_tag,
                        unbracket)
from .scripts import lang_tag, script_of

LOADER = "loaders.oai"
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NAMESPACES = ("http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The protocol's error codes (OAI-PMH 2.0 §3.6), reused by our own /oai endpoint.
ERROR_CODES = ("badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat",
               "idDoesNotExist", "noRecordsMatch", "noMetadataFormats", "noSetHierarchy")

# A repository's provider key is its host's registrable name ("dspace.ubib.eur.nl" → "eur"),
# unless an institution is known by another name here.
_KNOWN_NAMES = {"bnf": "gallica"}
_RESOLVERS = ("handle.net", "doi.org", "purl.org", "worldcat.org", "viaf.org", "oclc.org")
_SECOND_LEVEL = ("ac", "co", "com", "edu", "gov", "net", "org")
_LANDING = re.compile(r"hdl\.handle\.net/|doi\.org/|/digital_collections/|/ark:/")
_IMAGE_URL = re.compile(r"\.(jpe?g|png|gif|tiff?)$|thumbnail|/ids/view/|[?&](width|height)=", re.I)
_HARVARD_ALMA = re.compile(r"id\.lib\.harvard\.edu/(?:alma|digital_collections)/(\d+)")


def provider_from_host(host: str | None) -> str | None:
    """The provider key for a repository host: its registrable name, or the institution's known key.

    >>> [provider_from_host(h) for h in ("dspace.ubib.eur.nl", "api.lib.harvard.edu", "oai.bnf.fr")]
    ['eur', 'harvard', 'gallica']
    """
    labels = (host or "").lower().split(":")[0].strip(".").split(".")
    if len(labels) < 2:
        return None
    rest = labels[:-1]
    if len(rest) >= 2 and rest[-1] in _SECOND_LEVEL and len(labels[-1]) == 2:
        rest = rest[:-1]
    return _KNOWN_NAMES.get(rest[-1], rest[-1])


def local_id_of(oai_identifier: str) -> str:
    """The local part of an OAI identifier ("oai:host:123" → "123", "hdl:1765/315" → "1765/315")."""
    m = re.match(r"oai:[^:]+:(.+)$", oai_identifier) or re.match(r"(?:hdl|doi|urn):(.+)$", oai_identifier)
    local = m.group(1) if m else oai_identifier
    ark = re.search(r"ark:/\d+/([^/?#]+)", local)
    return ark.group(1) if ark else local


def _raw(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode")


# --- the envelope -------------------------------------------------------------------------

def _envelope(data: bytes) -> etree._Element:
    root = parse_xml(data, "OAI-PMH response")
    if root.tag != f"{{{OAI}}}OAI-PMH" and root.tag != f"{{{OAI_DC}}}dc":
        raise RecordError(f"not an OAI-PMH response: the root element is <{local_name(root)}>")
    return root


def oai_error(data: bytes) -> tuple[str, str] | None:
    """The OAI-PMH error (code, message) of a response, or None; the harvester decides what it means."""
    err = _envelope(data).find(f"{{{OAI}}}error")
    if err is None:
        return None
    return err.get("code", "") or "badResponse", nfc(err.text)


def resumption_token(data: bytes) -> str | None:
    """The token for the next page; None on the last page (an empty token ends the list)."""
    token = _envelope(data).find(f"{{{OAI}}}*/{{{OAI}}}resumptionToken")
    return nfc(token.text) or None if token is not None else None


def deleted_identifiers(data: bytes) -> list[str]:
    """Identifiers the repository reports deleted: the parsers skip them, the harvester removes them."""
    root = _envelope(data)
    return [nfc(h.findtext(f"{{{OAI}}}identifier"))
            for h in root.iterfind(f"{{{OAI}}}*/{{{OAI}}}record/{{{OAI}}}header[@status='deleted']")]


Mapper = Callable[[etree._Element, dict[str, str | None]], Record]


def _harvest(data: bytes, source_url: str, provider: str | None, prefix: str, mapper: Mapper,
             ) -> Iterator[Record | Rejected]:
    """Each live record of a page through `mapper`; one bad record is rejected, the page goes on."""
    root = _envelope(data)
    if root.tag == f"{{{OAI_DC}}}dc":  # a bare metadata element, no envelope
        yield _mapped(mapper, root, root, {"oai_id": None, "url": source_url, "provider": provider}, source_url)
        return
    err = root.find(f"{{{OAI}}}error")
    if err is not None:
        if err.get("code") == "noRecordsMatch":
            return
        raise RecordError(f"OAI-PMH error {err.get('code')}: {nfc(err.text)}")
    request = root.find(f"{{{OAI}}}request")
    base = nfc(request.text) if request is not None and request.text else None
    prefix = request.get("metadataPrefix", prefix) if request is not None else prefix
    for rec in root.iterfind(f"{{{OAI}}}*/{{{OAI}}}record"):
        header = rec.find(f"{{{OAI}}}header")
        if header is not None and header.get("status") == "deleted":
            continue
        oai_id = nfc(header.findtext(f"{{{OAI}}}identifier")) if header is not None else ""
        url = f"{base}?verb=GetRecord&metadataPrefix={prefix}&identifier={quote(oai_id, safe=':/')}" \
            if base and oai_id else source_url
        repo = re.match(r"oai:([^:]+):", oai_id)
        ctx = {"oai_id": oai_id or None, "url": url,
               "provider": provider or provider_from_host(repo.group(1) if repo else urlsplit(base or "").hostname)}
        meta = next((c for c in rec.iterfind(f"{{{OAI}}}metadata/*")), None)
        if meta is None:
            yield Rejected(url, "record has no metadata", _raw(rec))
            continue
        yield _mapped(mapper, meta, rec, ctx, url)


def _mapped(mapper: Mapper, meta: etree._Element, raw: etree._Element, ctx: dict[str, str | None],
            url: str) -> Record | Rejected:
    try:
        record = mapper(meta, ctx)
        record.check()
        return record
    except RecordError as exc:
        return Rejected(url, str(exc), _raw(raw))


def parse_oai_dc(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """Records of an OAI-PMH page (or one bare oai_dc element) in oai_dc; deleted ones are skipped."""
    yield from _harvest(data, source_url, provider, "oai_dc", _map_dc)


def parse_oai_mods(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """Records of an OAI-PMH page whose metadata is MODS, each read by the MODS mapping."""
    def mapper(meta: etree._Element, ctx: dict[str, str | None]) -> Record:
        if local_name(meta) != "mods":
            raise RecordError(f"metadata is <{local_name(meta)}>, not MODS")
        record = record_from_mods(meta, source_url=ctx["url"] or source_url, provider=ctx["provider"],
                                  local_id=local_id_of(ctx["oai_id"]) if ctx["oai_id"] else None,
                                  loader=LOADER, source_format="oai-pmh-mods")
        if ctx["oai_id"] and ctx["oai_id"] not in record.identifiers:
            record.identifiers.append(ctx["oai_id"])
        return record

    yield from _harvest(data, source_url, provider, "mods", mapper)


# --- Dublin Core ----------------------------------------------------------------------------

def read_dc(el: etree._Element) -> dict[str, list[Text]]:
    """Dublin Core values by element name, in document order, NFC, with their xml:lang as ISO 639."""
    out: dict[str, list[Text]] = {}
    for child in el:
        if not isinstance(child.tag, str):
            continue
        ns, name = split_tag(child.tag)
        if ns not in DC_NAMESPACES:
            continue
        value = nfc(child.text if len(child) == 0 else "".join(child.itertext()))
        if value:
            lang = child.get(XML_LANG)
            out.setdefault(name, []).append(Text(value, language_code(lang) if lang else None))
    return out


def _unique(items: list[Text]) -> list[Text]:
    return list(dict.fromkeys(items))


def _is_latin(text: str) -> bool:
    return script_of(text) in (None, "Latn")


def _agents(dc: dict[str, list[Text]], pair_scripts: bool) -> tuple[list[Agent], list[Agent]]:
    """Creators and contributors; with `pair_scripts`, other-script forms join their Latin agent.

    Harvard LibraryCloud appends the MARC 880 (Arabic-script) forms of names as
    extra dc:contributor values, in the order of the romanised names: when the
    counts match they are the same people, not new contributors.
    """
    creators = [parse_agent(t.value) for t in _unique(dc.get("creator", []))]
    contributors = [parse_agent(t.value) for t in _unique(dc.get("contributor", []))]
    latin = [a for a in creators + contributors if _is_latin(a.name)]
    other = [a for a in contributors if not _is_latin(a.name)]
    if pair_scripts and other and len(other) == len(latin):
        for agent, form in zip(latin, other):
            agent.names.append(Text(form.name))
        contributors = [a for a in contributors if all(a is not o for o in other)]
    return creators, contributors


def _extent(formats: list[Text]) -> str | None:
    for f in formats:
        v = f.value
        if re.search(r"\d", v) and "/" not in v and not re.fullmatch(r"[\d\s]+(bytes)?", v) \
                and not v.lower().startswith("nombre total de vues"):
            return v
    return None


def _relations(record: Record, relations: list[Text]) -> None:
    """Catalogue records of the same object → same_as; collections, series, parents → is_part_of."""
    for rel in relations:
        url = re.search(r"https?://\S+", rel.value)
        if url and re.match(r"(Notice du catalogue\s*:|https?://\S*catalog)", rel.value, re.I):
            record.same_as.append(url.group(0))
        elif url and rel.value.startswith(url.group(0)):
            record.is_part_of.append(Text(url.group(0)))
        else:
            record.is_part_of.append(rel)


def record_from_dc(dc: dict[str, list[Text]], *, provider: str, local_id: str, source_url: str,
                   source_format: str, loader: str, pair_scripts: bool = False) -> Record:
    """The shared Dublin Core → Record mapping; sources refine it (Gallica, Harvard)."""
    types = [t.value for t in dc.get("type", [])]
    genre = object_genre(*types)
    creators, contributors = _agents(dc, pair_scripts)
    record = Record(
        provider=provider, local_id=local_id, source_url=source_url,
        titles=_unique([Text(t.value, t.lang or lang_tag(None, t.value)) for t in dc.get("title", [])]),
        source_format=source_format, loader=loader, genre=genre,
        edm_type=edm_type_of(genre) if genre else _dcmi_type(types),
        creators=creators, contributors=contributors,
        languages=list(dict.fromkeys(c for t in dc.get("language", []) if (c := language_code(t.value)))),
        subjects=[Concept(t.value, t.lang) for t in _unique(dc.get("subject", []))],
        descriptions=_unique(dc.get("description", [])),
        publisher=next((t.value for t in dc.get("publisher", []) if known(unbracket(t.value))), None),
        identifiers=list(dict.fromkeys(t.value for t in dc.get("identifier", []))),
        extent=_extent(dc.get("format", []) + dc.get("extent", [])),
        rights_text=_unique(dc.get("rights", [])),
    )
    for cov in _unique(dc.get("coverage", []) + dc.get("spatial", [])):
        if re.search(r"\d", cov.value):  # "1914-1918", "19th century": a period, not a place
            record.subjects.append(Concept(cov.value, cov.lang))
        else:
            record.places.append(Place(cov.value))
    for when in dc.get("date", []) + dc.get("created", []) + dc.get("issued", []):
        edtf, first, last = parse_date(when.value)
        if first is not None:
            record.date, record.year_from, record.year_to, record.date_display = edtf, first, last, when.value
            break
    _relations(record, _unique(dc.get("relation", []) + dc.get("isPartOf", [])))
    urls = [i for i in record.identifiers if i.startswith(("http://", "https://"))]
    record.is_shown_at = next((u for u in urls if _LANDING.search(u)), None) or \
        next((u for u in urls if not _IMAGE_URL.search(u)), None)
    return record


_DCMI_TYPES = {"image": "IMAGE", "stillimage": "IMAGE", "still image": "IMAGE", "sound": "SOUND",
               "movingimage": "VIDEO", "moving image": "VIDEO", "physicalobject": "3D", "physical object": "3D"}


def _dcmi_type(types: list[str]) -> str:
    return next((_DCMI_TYPES[t.lower()] for t in types if t.lower() in _DCMI_TYPES), "TEXT")


def _harvard(record: Record, dc: dict[str, list[Text]]) -> None:
    """LibraryCloud habits: holdings written as dc:publisher; Alma ids that embed the HOLLIS number."""
    holdings = [t.value for t in dc.get("publisher", []) if "Harvard University" in t.value]
    if holdings:
        libraries = Counter(nfc(p).strip(" ,") + ", Harvard University"
                            for h in holdings for p in h.split("Harvard University") if nfc(p).strip(" ,"))
        record.data_provider = libraries.most_common(1)[0][0] if libraries else "Harvard University"
        record.publisher = next((t.value for t in dc.get("publisher", [])
                                 if t.value not in holdings and known(unbracket(t.value))), None)


def hollis_id(alma_id: str) -> str:
    """Harvard's HOLLIS number inside an Alma MMS id (99 + HOLLIS + 0203941), so MODS and DC agree.

    >>> hollis_id("990037477160203941"), hollis_id("12345")
    ('003747716', '12345')
    """
    m = re.fullmatch(r"99(\d{9})0203941", alma_id)
    return m.group(1) if m else alma_id


def _own_id(identifiers: list[str]) -> str | None:
    """A bare record's own id: Harvard's catalogue number, a handle, else the first identifier."""
    for ident in identifiers:
        if m := _HARVARD_ALMA.search(ident):
            return hollis_id(m.group(1))
    for ident in identifiers:
        if m := re.search(r"hdl\.handle\.net/(.+)", ident):
            return m.group(1)
    return identifiers[0] if identifiers else None


def _map_dc(meta: etree._Element, ctx: dict[str, str | None]) -> Record:
    if meta.tag != f"{{{OAI_DC}}}dc":
        raise RecordError(f"metadata is <{local_name(meta)}>, not oai_dc")
    dc = read_dc(meta)
    identifiers = [t.value for t in dc.get("identifier", [])]
    hosts = [urlsplit(i).hostname for i in identifiers if i.startswith("http")]
    provider = ctx["provider"] or next(
        (p for h in hosts if h and not h.endswith(_RESOLVERS) and (p := provider_from_host(h))), None)
    if not provider:
        raise RecordError("cannot tell the provider of this record: pass provider=")
    local = local_id_of(ctx["oai_id"]) if ctx["oai_id"] else _own_id(identifiers)
    if provider == "harvard" and local:
        local = hollis_id(local)
    if not local:
        raise RecordError("record has no identifier")
    record = record_from_dc(dc, provider=provider, local_id=local, source_url=ctx["url"] or "",
                            source_format="oai_dc", loader=LOADER, pair_scripts=provider == "harvard")
    if ctx["oai_id"] and ctx["oai_id"] not in record.identifiers:
        record.identifiers.insert(0, ctx["oai_id"])
    if provider == "harvard":
        _harvard(record, dc)
    return record
