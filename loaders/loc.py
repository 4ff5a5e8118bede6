"""loc.gov JSON API and loc.gov IIIF manifests → `Record`s (provider "loc", local id = the LCCN, else the item id).

loc.gov answers in three shapes: an item response (`{"item": {...}, ...}`,
sometimes saved as the bare item section), a search or collection page
(`{"results": [...]}`) and, inside it, result entries that carry a catalogue
`item` section next to their own facet fields. An entry is read as the union
of both, the catalogue section winning because its values keep their case and
their full headings.

Rights: loc.gov gives no rights URI, only HTML statements (`rights`,
`rights_advisory`, `access_advisory`): their text is kept verbatim in
`rights_text` (lang "en"). `access_restricted: true` adds the rights text
"loc.gov: access_restricted" so the rights decision can see it (false adds
nothing). Images: `image_url` lists derivatives of one IIIF image
(`//tile.loc.gov/image-services/iiif/service:…/full/pct:25/0/default.jpg#h=…&w=…`);
the largest becomes the `Image` (its URL and the size in its fragment), with
the service base as its IIIF Image API 2 service.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ontology.errors import RecordError
from ontology.record import Agent, Concept, Image, Place, Record, Text

from .base import Rejected
from .genres import edm_type_of, object_genre
from .iiif_manifest import load_json, parse_manifest
from .normalise import language_code, nfc, parse_date, parse_heading, split_imprint, strip_html, strip_isbd
from .scripts import lang_tag

LOADER = "loaders.loc"
_TILE = re.compile(r"^(?:https?:)?//tile\.loc\.gov/image-services/iiif/(service:[^/]+)/full/([^/]+)/0/default\.\w+"
                   r"(?:#h=(\d+)&w=(\d+))?$")
_CREATOR_ROLES = {"author", "creator", "artist", "cartographer", "photographer", "illustrator", "composer"}
_NOT_COLLECTIONS = ("catalog", "american memory")


def parse_loc_json(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """One `Record` per loc.gov item in an item response, a search page or a single result entry."""
    doc = load_json(data, "loc.gov JSON")
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        entries = doc["results"]
    elif isinstance(doc, list):
        entries = doc
    elif isinstance(doc, dict) and ("item" in doc or "title" in doc):
        entries = [doc]
    else:
        raise RecordError("loc.gov JSON holds neither an item nor search results")
    for entry in entries:
        try:
            record = _record(entry, source_url, provider or "loc")
            record.check()
        except (RecordError, AttributeError, TypeError, ValueError) as exc:
            reason = exc.message if isinstance(exc, RecordError) else f"unexpected loc.gov entry: {exc}"
            yield Rejected(source_url, reason, json.dumps(entry, ensure_ascii=False))
            continue
        yield record


def parse_loc_manifest(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """A loc.gov IIIF v2 manifest through the generic parser; its seeAlso MARCXML/MODS name the LCCN record."""
    for record in parse_manifest(data, source_url, provider=provider or "loc"):
        if isinstance(record, Record):
            record.loader = LOADER
            for link in record.identifiers:
                m = re.match(r"https?://lccn\.loc\.gov/([^/]+)/", link)
                if m and f"https://lccn.loc.gov/{m.group(1)}" not in record.same_as:
                    record.same_as.append(f"https://lccn.loc.gov/{m.group(1)}")
        yield record


def _fields(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise RecordError(f"loc.gov entry is a {type(entry).__name__}, not an object")
    item = entry.get("item")
    return {**entry, **item} if isinstance(item, dict) else dict(entry)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value in (None, "") else [value]


def _strings(value: Any) -> list[str]:
    """Strings of a loc.gov field: plain strings, or the keys of its {label: search-url} objects."""
    out = []
    for v in _list(value):
        if isinstance(v, dict):
            out += [k for k in v if isinstance(k, str)]
        elif isinstance(v, (str, int)):
            out.append(str(v))
    return [s for s in (nfc(x) for x in out) if s]


def _https(url: str | None) -> str | None:
    return re.sub(r"^(?:https?:)?//", "https://", url) if url else None


def _ids(f: dict[str, Any]) -> tuple[str | None, str | None]:
    """(LCCN, loc.gov item id): the LCCN from its own fields or lccn.loc.gov links, the item id from the item URL."""
    lccns = _strings(f.get("library_of_congress_control_number")) + _strings(f.get("number_lccn"))
    lccns += [m.group(1) for u in _strings(f.get("aka")) if (m := re.search(r"lccn\.loc\.gov/([a-z]*\d+)", u))]
    item = re.search(r"loc\.gov/item/([^/?#]+)/?$", str(f.get("url") or f.get("id") or ""))
    lccn = next((x.replace(" ", "") for x in lccns if x.strip()), None)
    return lccn, item.group(1) if item else lccn


def _record(entry: Any, source_url: str, provider: str) -> Record:
    f = _fields(entry)
    lccn, item_id = _ids(f)
    if not item_id:
        raise RecordError("loc.gov entry without an LCCN or item URL (not an item?)")
    langs = list(dict.fromkeys(c for s in _strings(f.get("language")) for c in [language_code(s)] if c))
    lang = langs[0] if langs else None
    title = strip_isbd(_strings(f.get("title"))[0] if _strings(f.get("title")) else "")
    titles = [Text(title, lang_tag(lang, title))] if title else []
    for other in _strings(f.get("other_title")):
        other = strip_isbd(other.rstrip("\\ "))
        if other and other != title:
            titles.append(Text(other, lang_tag(lang, other)))

    creators, contributors, part_of = _agents(f)
    imprint = next(iter(_strings(f.get("created_published"))), "")
    place, publisher, date_text = split_imprint(imprint) if ":" in imprint else (None, None, imprint)
    date, year_from, year_to = parse_date(date_text)
    if date is None:
        date, year_from, year_to = parse_date(f.get("date") if isinstance(f.get("date"), str) else None)
    years = sorted({int(y[:4]) for y in _strings(f.get("dates")) if re.match(r"\d{4}", y)})
    if len(years) > 1 and year_from == years[0] and (year_to or 0) < years[-1]:
        date, year_to = f"{years[0]}/{years[-1]}", years[-1]

    genre = object_genre(*_strings(f.get("original_format")), *_strings(f.get("format")), *_strings(f.get("type")))
    online = " ".join(_strings(f.get("online_format")))
    edm_type = edm_type_of(genre, "SOUND" if "audio" in online else "VIDEO" if "video" in online else "TEXT")
    summary = _strings(f.get("summary")) or _strings(f.get("description"))
    item_url = _https(f.get("url") or f.get("id")) or f"https://www.loc.gov/item/{item_id}/"
    if not item_url.endswith("/"):
        item_url += "/"
    images = _images(f)
    digitised = bool(images) or f.get("digitized") is True or "image" in online
    identifiers = ([f"LCCN {lccn}"] if lccn else []) + [u for u in _strings(f.get("aka")) if "hdl.loc.gov" in u]
    identifiers += _strings(f.get("call_number")) or _strings(f.get("shelf_id"))
    return Record(
        provider=provider, local_id=lccn or item_id, titles=titles, source_url=source_url, source_format="loc-json",
        loader=LOADER, edm_type=edm_type, genre=genre, creators=creators, contributors=contributors,
        date=date, date_display=imprint or (f.get("date") if isinstance(f.get("date"), str) else None),
        year_from=year_from, year_to=year_to, languages=langs, subjects=_subjects(f),
        places=_places(f), place_of_origin=Place(place) if place else None,
        descriptions=[Text(d, "en") for d in dict.fromkeys(summary)], publisher=publisher,
        identifiers=list(dict.fromkeys(identifiers)), same_as=[f"https://lccn.loc.gov/{lccn}"] if lccn else [],
        is_part_of=part_of + _collections(f), extent="; ".join(_strings(f.get("medium"))) or None,
        data_provider="Library of Congress", is_shown_at=item_url,
        manifest_url=f"{item_url}manifest.json" if digitised and "/item/" in item_url else None,
        images=images, rights_text=_rights(f),
    )


def _agents(f: dict[str, Any]) -> tuple[list[Agent], list[Agent], list[Text]]:
    """Creators, contributors, and the named collections loc.gov lists among contributors."""
    names = _strings(f.get("contributor_names")) or _strings(f.get("contributors")) or \
        _strings(f.get("creator")) or [n.title() for n in _strings(f.get("contributor"))]
    creators: list[Agent] = []
    contributors: list[Agent] = []
    part_of: list[Text] = []
    for name in names:
        if re.search(r"\bcollection \(library of congress\)$", name, re.I):
            part_of.append(Text(name, "en"))
            continue
        agent = parse_heading(name)
        if agent.role is None or agent.role.lower() in _CREATOR_ROLES:
            creators.append(agent)
        else:
            contributors.append(agent)
    return creators, contributors, part_of


def _collections(f: dict[str, Any]) -> list[Text]:
    out = []
    for p in _list(f.get("partof")):
        if isinstance(p, dict) and "/collections/" in str(p.get("url")) and p.get("title"):
            out.append(Text(nfc(p["title"]), "en"))
        elif isinstance(p, str) and nfc(p) and p.lower() not in _NOT_COLLECTIONS and not p.lower().endswith("division"):
            out.append(Text(nfc(p), "en"))
    return list(dict.fromkeys(out))


def _subjects(f: dict[str, Any]) -> list[Concept]:
    headings = _strings(f.get("subject_headings")) or _strings(f.get("subjects")) or _strings(f.get("subject"))
    return [Concept(h, "en") for h in dict.fromkeys(headings)]


def _facet_name(value: str) -> str:
    """loc.gov facet values are lower case ("new york (state)"); give them back their capitals."""
    return value.title() if value == value.lower() else value


def _places(f: dict[str, Any]) -> list[Place]:
    names = [n for k in ("location_country", "location_state", "location_city") for n in _strings(f.get(k))]
    names = names or _strings(f.get("location"))
    places = [Place(_facet_name(n)) for n in dict.fromkeys(names)]
    for value in _list(f.get("latlong")) + _list(f.get("coordinates")):
        m = re.match(r"\s*(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)\s*$", str(value))
        if m:
            lat, lon = float(m.group(1)), float(m.group(2))
            city = _strings(f.get("location_city"))
            target = next((p for p in places if city and p.name == _facet_name(city[0])), None)
            if target is None:
                target = Place(f"{lat}, {lon}")
                places.append(target)
            target.lat, target.lon = lat, lon
            break
    return places


def _rights(f: dict[str, Any]) -> list[Text]:
    texts = [Text(t, "en") for k in ("rights", "rights_advisory", "rights_information", "access_advisory")
             for t in (strip_html(s) for s in _list(f.get(k)) if isinstance(s, str)) if t]
    if f.get("access_restricted") is True:
        texts.append(Text("loc.gov: access_restricted", "en"))
    return list(dict.fromkeys(texts))


def _images(f: dict[str, Any]) -> list[Image]:
    """One `Image` per IIIF image among the `image_url` derivatives: the largest, with its service."""
    best: dict[str, tuple[int, str, int | None, int | None]] = {}
    thumbnail = None
    for url in _strings(f.get("image_url")):
        m = _TILE.match(url)
        if not m:
            thumbnail = thumbnail or (_https(url.split("#")[0]) if "#" in url else None)
            continue
        h, w = (int(m.group(3)), int(m.group(4))) if m.group(3) else (None, None)
        area = (h or 0) * (w or 0)
        if m.group(1) not in best or area > best[m.group(1)][0]:
            best[m.group(1)] = (area, _https(url.split("#")[0]) or url, w, h)
    return [Image(url=url, service=f"https://tile.loc.gov/image-services/iiif/{service}", service_type="ImageService2",
                  service_profile="http://iiif.io/api/image/2/level2.json", width=w, height=h, thumbnail=thumbnail)
            for service, (_, url, w, h) in best.items()]
