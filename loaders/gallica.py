"""Gallica (BnF): SRU search pages, OAIRecord notices, IIIF manifests, Pagination and Issues services.

Gallica's records are oai_dc with its own habits: creators as 'Name (dates).
Role', French/English pairs of dc:type and dc:rights, 'Notice du catalogue :
URL' relations, the holding department and shelfmark in dc:source. The shared
Dublin Core mapping (`loaders.oai`) reads them; this module adds what only
Gallica says: the ark, its pages, its images and its department. Images stay at
Gallica, referenced through its IIIF Image API 1.1 service. Rights stay the
words Gallica wrote (the rights engine reads them).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ontology.errors import RecordError
from ontology.record import Image, Place, Record, Text

from .base import Rejected
from .genres import edm_type_of, object_genre
from .normalise import known, nfc, parse_xml, split_tag, unbracket
from .oai import OAI_DC, read_dc, record_from_dc

LOADER = "loaders.gallica"
PROVIDER = "gallica"
PROVIDER_NAME = "Gallica (BnF)"
GALLICA = "https://gallica.bnf.fr"
SRW = "http://www.loc.gov/zing/srw/"
_ARK = re.compile(r"ark:/12148/([a-z0-9]+)(/date)?", re.I)
_ENGLISH_RIGHTS = ("public domain", "restricted use", "use restricted", "online", "reproduction restricted")
# Manifest metadata labels → the Dublin Core element Gallica exports them from.
_MANIFEST_DC = {"title": "title", "creator": "creator", "contributor": "contributor", "date": "date",
                "language": "language", "format": "format", "relation": "relation", "type": "type",
                "subject": "subject", "description": "description", "publisher": "publisher",
                "rights": "rights", "coverage": "coverage", "identifier": "identifier", "shelfmark": "source"}


def ark_url(ark: str) -> str:
    return f"{GALLICA}/ark:/12148/{ark}"


def manifest_url(ark: str) -> str:
    return f"{GALLICA}/iiif/ark:/12148/{ark}/manifest.json"


def image_service(ark: str, view: int = 1) -> str:
    return f"{GALLICA}/iiif/ark:/12148/{ark}/f{view}"


def oairecord_url(ark: str) -> str:
    return f"{GALLICA}/services/OAIRecord?ark={ark}"


def _raw(el: etree._Element) -> str:
    return etree.tostring(el, encoding="unicode")


# --- SRU and OAIRecord ----------------------------------------------------------------------

def parse_sru(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """Records of a Gallica SRU 1.2 searchRetrieveResponse page (oai_dc + Gallica's extraRecordData)."""
    root = parse_xml(data, "Gallica SRU response")
    if root.tag != f"{{{SRW}}}searchRetrieveResponse":
        raise RecordError(f"not a Gallica SRU response: the root element is <{etree.QName(root).localname}>")
    diagnostics = root.find(f"{{{SRW}}}diagnostics")
    if diagnostics is not None and len(diagnostics):
        raise RecordError(f"Gallica SRU diagnostic: {nfc(' '.join(diagnostics.itertext()))}")
    for rec in root.iterfind(f"{{{SRW}}}records/{{{SRW}}}record"):
        extra = {split_tag(e.tag)[1]: nfc(e.text)
                 for e in rec.iterfind(f"{{{SRW}}}extraRecordData/*") if isinstance(e.tag, str)}
        yield _record(rec.find(f"{{{SRW}}}recordData/{{{OAI_DC}}}dc"), rec, extra, source_url, provider, "gallica-sru")


def parse_oairecord(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """The record of a Gallica services/OAIRecord answer (results/notice/record)."""
    root = parse_xml(data, "Gallica OAIRecord response")
    if root.tag != "results":
        raise RecordError(f"not a Gallica OAIRecord response: the root element is <{root.tag}>")
    for rec in root.iterfind("notice/record"):
        extra = {"typedoc": nfc(root.findtext("typedoc")), "oai_id": nfc(rec.findtext("header/identifier"))}
        sets = [nfc(s.text) for s in rec.iterfind("header/setSpec")]
        extra["sets"] = " ".join(s.rsplit(":", 1)[-1] for s in sets if ":typedoc:" in s)
        yield _record(rec.find(f"metadata/{{{OAI_DC}}}dc"), rec, extra, source_url, provider, "gallica-oairecord")


def _ark_of(identifiers: list[str], extra: dict[str, str]) -> tuple[str | None, bool]:
    """The record's ark name, and whether it is a periodical title ('…/date') rather than a document."""
    for value in identifiers + [extra.get("link", ""), extra.get("oai_id", "")]:
        if m := _ARK.search(value):
            return m.group(1), bool(m.group(2))
    return None, False


def _record(dc: etree._Element | None, raw: etree._Element, extra: dict[str, str], source_url: str,
            provider: str | None, source_format: str) -> Record | Rejected:
    if dc is None:
        return Rejected(source_url, "record has no oai_dc metadata", _raw(raw))
    values = read_dc(dc)
    ark, is_title = _ark_of([t.value for t in values.get("identifier", [])], extra)
    if ark is None:
        return Rejected(source_url, "record has no Gallica ark", _raw(raw))
    own_url = source_url if is_title else oairecord_url(ark)
    try:
        record = record_from_dc(values, provider=provider or PROVIDER, local_id=ark, source_url=own_url,
                                source_format=source_format, loader=LOADER)
        _refine(record, values, ark, is_title, extra.get("typedoc"), extra.get("sets"))
        # The first view through Gallica's Image API 1.1 service (sizes unknown here: the manifest or the
        # Pagination service gives them); a periodical's title shows the issue Gallica picked for it.
        shown = extra.get("uri") or (None if is_title else ark)
        if shown and _ARK.fullmatch(f"ark:/12148/{shown}"):
            record.images.append(Image(service=image_service(shown), service_type="ImageService1",
                                       thumbnail=extra.get("thumbnail") or None))
        record.check()
    except RecordError as exc:
        return Rejected(own_url, str(exc), _raw(raw))
    return record


def _refine(record: Record, values: dict[str, list[Text]], ark: str, is_title: bool, *typedoc: str | None) -> None:
    """What only Gallica says, added to the Dublin Core mapping."""
    genre = object_genre(*[t.value for t in values.get("type", [])], *typedoc)
    if genre:
        record.genre, record.edm_type = genre, edm_type_of(genre)
    page = ark_url(ark) + ("/date" if is_title else "")
    record.is_shown_at = page
    record.manifest_url = None if is_title else manifest_url(ark)
    record.identifiers = list(dict.fromkeys([page, *(i.replace("http://", "https://", 1) if "gallica.bnf.fr" in i
                                                     else i for i in record.identifiers)]))
    record.provider_name = PROVIDER_NAME
    record.rights_text = _rights(values.get("rights", []))
    source = next((t.value for t in values.get("source", [])), None)
    if source:
        record.data_provider, shelfmark = _department(source)
        if shelfmark:
            record.identifiers.append(shelfmark)
    record.publisher, record.place_of_origin = _publisher(next((t.value for t in values.get("publisher", [])), None))
    for text in list(record.descriptions):  # "Appartient à l'ensemble documentaire : X" names a collection
        if text.value.startswith("Appartient à"):
            record.descriptions.remove(text)
            record.is_part_of.append(Text(text.value, text.lang or "fr"))


def _rights(texts: list[Text]) -> list[Text]:
    """dc:rights verbatim, tagged: Gallica writes the French statement, then its English pair."""
    if len(texts) == 2 and not any(t.lang for t in texts):
        return [Text(texts[0].value, "fr"), Text(texts[1].value, "en")]
    return [Text(t.value, t.lang or ("en" if t.value.lower() in _ENGLISH_RIGHTS else "fr")) for t in texts]


def _department(source: str) -> tuple[str, str | None]:
    """('Bibliothèque nationale de France, département X', shelfmark) from dc:source.

    >>> _department("Bibliothèque nationale de France, département Droit, économie, politique, JO-3094")
    ('Bibliothèque nationale de France, département Droit, économie, politique', 'JO-3094')
    """
    parts = [p.strip() for p in source.split(",")]
    start = next((i for i, p in enumerate(parts) if p.startswith("département")), None)
    if start is None:
        return source, None
    cut = next((i for i in range(start + 1, len(parts)) if re.search(r"\d", parts[i])), len(parts))
    return ", ".join(parts[:cut]), ", ".join(parts[cut:]) or None


def _publisher(value: str | None) -> tuple[str | None, Place | None]:
    """Gallica's 'Publisher (Place)', whose name it sometimes writes twice ('TerryTerry (Paris)').

    >>> _publisher("Lejai, libraireLejai, libraire (Paris)")
    ('Lejai, libraire', Place(name='Paris', lat=None, lon=None, same_as=[]))
    >>> _publisher("[s.n.][s.n.] (A Paris)")
    (None, Place(name='Paris', lat=None, lon=None, same_as=[]))
    """
    if not value:
        return None, None
    m = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", value)
    name, place = (m.group(1), m.group(2)) if m else (value, "")
    half = len(name) // 2
    if name and len(name) % 2 == 0 and name[:half] == name[half:]:
        name = name[:half]
    place = re.sub(r"^(A|À)\s+", "", unbracket(place))
    return (name if name and known(unbracket(name)) else None, Place(place) if known(place) else None)


# --- IIIF manifest -------------------------------------------------------------------------

def _texts(value: Any) -> list[Text]:
    """A Presentation 2 value (string, {'@value', '@language'}, or a list of them) as texts."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, str) and nfc(item):
            out.append(Text(nfc(item)))
        elif isinstance(item, dict) and isinstance(item.get("@value"), str) and nfc(item["@value"]):
            out.append(Text(nfc(item["@value"]), item.get("@language")))
    return out


def _service_type(service: dict[str, Any]) -> str | None:
    context, profile = str(service.get("@context", "")), str(service.get("profile", ""))
    for version in ("1", "2", "3"):
        if f"/image/{version}/" in context or f"image-api/{version}." in profile:
            return f"ImageService{version}"
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and value > 0 else None


def _image(canvas: dict[str, Any]) -> Image:
    """One canvas: its painting image and Image API service; sizes from the canvas, never guessed."""
    annos = canvas.get("images") or [{}]
    resource = annos[0].get("resource", {}) if isinstance(annos[0], dict) else {}
    service = resource.get("service") or {}
    service = service[0] if isinstance(service, list) and service else service
    profile = service.get("profile") if isinstance(service, dict) else None
    profile = next((p for p in profile if isinstance(p, str)), None) if isinstance(profile, list) else profile
    thumb = canvas.get("thumbnail")
    return Image(url=resource.get("@id"), service=service.get("@id") if isinstance(service, dict) else None,
                 service_type=_service_type(service) if isinstance(service, dict) else None,
                 service_profile=profile, width=_int(canvas.get("width")), height=_int(canvas.get("height")),
                 label=next((t.value for t in _texts(canvas.get("label"))), None),
                 thumbnail=thumb.get("@id") if isinstance(thumb, dict) else thumb if isinstance(thumb, str) else None)


def parse_manifest(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """A Gallica IIIF Presentation 2.0 manifest as one record with an image per canvas."""
    if data.lstrip()[:1] == b"<":
        parse_xml(data, "Gallica manifest")  # an HTML error page gets its own message
        raise RecordError("Gallica manifest is XML, not IIIF JSON")
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise RecordError(f"Gallica manifest is not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("sequences"), list):
        raise RecordError("not a IIIF Presentation 2 manifest (no sequences)")
    mid: str = doc["@id"] if isinstance(doc.get("@id"), str) else source_url
    raw = json.dumps({k: v for k, v in doc.items() if k != "sequences"}, ensure_ascii=False)
    values: dict[str, list[Text]] = {}
    for entry in doc.get("metadata") or []:
        key = _MANIFEST_DC.get(str(entry.get("label", "")).lower()) if isinstance(entry, dict) else None
        if key:
            values.setdefault(key, []).extend(_texts(entry.get("value")))
    if "title" not in values:  # Gallica's label is the shelfmark; the description repeats the title
        values["title"] = _texts(doc.get("description")) or _texts(doc.get("label"))
    ark, _ = _ark_of([mid, str(doc.get("related", ""))], {})
    if ark is None:
        yield Rejected(mid, "manifest has no Gallica ark", raw)
        return
    try:
        record = record_from_dc(values, provider=provider or PROVIDER, local_id=ark, source_url=mid,
                                source_format="iiif-manifest-2", loader=LOADER)
        _refine(record, values, ark, False)
        record.manifest_url = mid
        record.rights_uri = doc["license"] if isinstance(doc.get("license"), str) else None
        canvases = [c for s in doc["sequences"][:1] if isinstance(s, dict) for c in s.get("canvases", [])]
        record.images = [_image(c) for c in canvases if isinstance(c, dict)]
        record.check()
    except RecordError as exc:
        yield Rejected(mid, str(exc), raw)
        return
    yield record


# --- Pagination and Issues services ----------------------------------------------------------

def parse_pagination(data: bytes) -> list[tuple[str, int | None, int | None]]:
    """(page label, width, height) per view, in view order, from services/Pagination.

    The sizes let an image be placed on a canvas without fetching every info.json.
    """
    root = parse_xml(data, "Gallica Pagination response")
    if root.tag != "livre":
        raise RecordError(f"not a Gallica Pagination response: the root element is <{root.tag}>")

    def size(page: etree._Element, name: str) -> int | None:
        text = nfc(page.findtext(name))
        return int(text) if text.isdigit() and int(text) > 0 else None

    pages = sorted(root.iterfind("pages/page"), key=lambda p: int(nfc(p.findtext("ordre")) or 0))
    return [(nfc(p.findtext("numero")), size(p, "image_width"), size(p, "image_height")) for p in pages]


def parse_issues(data: bytes) -> list[dict[str, Any]]:
    """A periodical's years (listType="years") or one year's issues (ark, label, date) from services/Issues."""
    root = parse_xml(data, "Gallica Issues response")
    if root.tag != "issues":
        raise RecordError(f"not a Gallica Issues response: the root element is <{root.tag}>")
    parent = _ARK.search("ark:/12148/" + root.get("parentArk", "").replace("ark:/12148/", ""))
    parent_ark = parent.group(1) if parent else None
    if root.get("listType") == "years":
        return [{"year": int(y), "parent_ark": parent_ark}
                for y in (nfc(e.text) for e in root.iterfind("year")) if y.isdigit()]
    year = int(root.get("date", "0")) if root.get("date", "").isdigit() else None
    out = []
    for issue in root.iterfind("issue"):
        day = issue.get("dayOfYear", "")
        date = (dt.date(year, 1, 1) + dt.timedelta(days=int(day) - 1)).isoformat() if year and day.isdigit() else None
        out.append({"ark": issue.get("ark"), "label": nfc(issue.text), "date": date, "year": year,
                    "day_of_year": int(day) if day.isdigit() else None, "parent_ark": parent_ark,
                    "url": ark_url(issue.get("ark", ""))})
    return out
