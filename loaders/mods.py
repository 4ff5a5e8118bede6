"""MODS 3.x records (Library of Congress schema) as Harvard, Stanford and others publish them.

Records come with or without the MODS namespace and XML declaration (the DLME
copies of Harvard records have neither), alone, in a modsCollection, or inside
an OAI-PMH page (`loaders.oai.parse_oai_mods` calls `record_from_mods`).
Only the record's own elements are read as its description; a host item
(relatedItem type="host", e.g. the collection a botanical plate belongs to)
supplies creators, dates and the repository only where the record has none.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ontology.errors import RecordError
from ontology.record import Agent, Concept, Image, Place, Record, Text

from .base import Rejected
from .genres import edm_type_of, object_genre
from .normalise import (known, language_code, local_name, nfc, parse_agent, parse_date, parse_life_years, parse_xml,
                        unbracket)
from .scripts import lang_tag

LOADER = "loaders.mods"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# typeOfResource → edm:type (genre words decide first when they name one).
_RESOURCE_TYPES = {"text": "TEXT", "cartographic": "IMAGE", "notated music": "TEXT", "still image": "IMAGE",
                   "sound recording": "SOUND", "sound recording-musical": "SOUND",
                   "sound recording-nonmusical": "SOUND", "moving image": "VIDEO",
                   "three dimensional object": "3D", "mixed material": "TEXT"}
_CREATOR_ROLES = {"creator", "cre", "author", "aut", "cartographer", "ctg", "originator", "org", "artist", "art",
                  "composer", "cmp", "photographer", "pht", "illustrator", "ill", "engraver", "egr"}
# recordContentSource / recordIdentifier@source / MARC organisation codes → provider key.
_SOURCES = {"hls": "harvard", "mh": "harvard", "hollis": "harvard", "mh:oasis": "harvard", "harvard": "harvard",
            "stanford": "stanford", "cst": "stanford", "dlc": "loc", "princeton": "princeton", "njp": "princeton"}


def _kids(el: etree._Element | None, name: str) -> list[etree._Element]:
    """Child elements by local name, whatever the namespace (MODS comes with and without one)."""
    if el is None:
        return []
    return list(el.iterchildren("{*}" + name))  # "{*}": any namespace or none, matched in C


def _kid(el: etree._Element | None, name: str) -> etree._Element | None:
    return next(el.iterchildren("{*}" + name), None) if el is not None else None


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return nfc(el.text) if len(el) == 0 else nfc("".join(el.itertext()))  # most have no children: no iterator


def _tag(lang: str | None, script: str | None) -> str | None:
    """A BCP 47 tag from MODS @lang (ISO 639-2) and @script (ISO 15924), when the record gives them."""
    code = language_code(lang) if lang else None
    if script and re.fullmatch(r"[A-Za-z]{4}", script):
        return f"{code or 'und'}-{script.title()}"
    return code


def parse_mods(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """Records of a MODS document: one <mods>, or each <mods> of a <modsCollection>."""
    root = parse_xml(data, "MODS document")
    name = etree.QName(root).localname
    if name == "mods":
        records = [root]
    elif name == "modsCollection":
        records = _kids(root, "mods")
    else:
        raise RecordError(f"not a MODS document: the root element is <{name}>")
    for el in records:
        try:
            record = record_from_mods(el, source_url=source_url, provider=provider)
            record.check()
            yield record
        except RecordError as exc:
            yield Rejected(source_url, str(exc), etree.tostring(el, encoding="unicode"))


def _title(info: etree._Element) -> str:
    article, title = _text(_kid(info, "nonSort")), _text(_kid(info, "title"))
    if article:  # "The" + " " + title, but "L'" + title
        title = article + ("" if article.endswith(("'", "’", "-")) else " ") + title
    if sub := _text(_kid(info, "subTitle")):
        title = f"{title} : {sub}"
    for part in _kids(info, "partNumber") + _kids(info, "partName"):
        if (value := _text(part)) and value not in title:
            title = f"{title}. {value}"
    return nfc(title)


def _titles(mods: etree._Element) -> list[Text]:
    """The main title first, then alternative, translated, uniform and other-script forms."""
    infos = sorted(_kids(mods, "titleInfo"), key=lambda t: t.get("type") is not None)
    out = [Text(t, _tag(i.get("lang"), i.get("script")) or lang_tag(None, t)) for i in infos if (t := _title(i))]
    return list(dict.fromkeys(out))


def _agent(name: etree._Element) -> Agent:
    parts = _kids(name, "namePart")
    plain = [_text(p) for p in parts if p.get("type") not in ("date", "termsOfAddress", "family", "given")]
    family = [_text(p) for p in parts if p.get("type") == "family"]
    given = [_text(p) for p in parts if p.get("type") == "given"]
    full = ", ".join(filter(None, [" ".join(family), " ".join(given)] + plain)) or _text(_kid(name, "displayForm"))
    if address := ", ".join(_text(p) for p in parts if p.get("type") == "termsOfAddress"):
        full = f"{full}, {address}"
    roles = [r for r in _kids(name, "role") for r in _kids(r, "roleTerm")]
    role = next((_text(r) for r in roles if r.get("type") == "text"), None) or next((_text(r) for r in roles), None)
    agent = parse_agent(full, role=role or None)  # also reads "Riocreux, Alfred, 1820-1912" in one namePart
    if dates := " ".join(_text(p) for p in parts if p.get("type") == "date"):
        agent.birth, agent.death = parse_life_years(dates)
    agent.is_organisation = name.get("type") in ("corporate", "conference")
    agent.same_as = _uris(name)
    return agent


def _agents(names: list[etree._Element]) -> list[tuple[etree._Element, Agent]]:
    """Names with their agents; a name in another script (same altRepGroup) is a form of the first."""
    out: list[tuple[etree._Element, Agent]] = []
    groups: dict[str, Agent] = {}
    for name in names:
        agent, group = _agent(name), name.get("altRepGroup")
        if group and group in groups:
            tag = _tag(name.get("lang"), name.get("script")) or lang_tag(None, agent.name)
            groups[group].names.append(Text(agent.name, tag))
            continue
        if group:
            groups[group] = agent
        out.append((name, agent))
    return out


def _uris(el: etree._Element | None) -> list[str]:
    uri = el.get("valueURI") if el is not None else None
    return [uri] if uri and uri.startswith(("http://", "https://")) else []


def _is_creator(name: etree._Element) -> bool:
    roles = {_text(t).lower().rstrip(".") for r in _kids(name, "role") for t in _kids(r, "roleTerm")}
    return name.get("usage") == "primary" or bool(roles & _CREATOR_ROLES)


def _date(origin: list[etree._Element]) -> tuple[str | None, str | None, int | None, int | None]:
    """(display, EDTF, first, last): the keyDate, else the first issued/created date, with its range end."""
    dates = [d for o in origin for d in o if isinstance(d.tag, str) and local_name(d) in
             ("dateIssued", "dateCreated", "dateOther", "copyrightDate", "dateCaptured") and _text(d)]
    if not dates:
        return None, None, None, None
    key = next((d for d in dates if d.get("keyDate") == "yes"), None)
    if key is None:
        key = next((d for d in dates if local_name(d) in ("dateIssued", "dateCreated")), dates[0])
    value = _text(key)
    if key.get("point") == "start":
        end = next((d for d in dates if d.get("point") == "end" and d.tag == key.tag), None)
        value = f"{value}-{_text(end)}" if end is not None else value
    display = next((_text(d) for d in dates if local_name(d) in ("dateIssued", "dateCreated")
                    and not d.get("encoding") and not d.get("point")), value)  # as transcribed: "1289 [1872]]"
    return (display, *parse_date(value))


_DMS = re.compile(r"([NSEW])\s*(\d{1,3})°\s*(?:(\d{1,2})[ʹ′'])?\s*(?:(\d{1,2}(?:\.\d+)?)[ʺ″\"])?")


def _coordinates(text: str) -> tuple[float, float] | None:
    """The centre (lat, lon) of MODS cartographic coordinates, degrees with hemispheres.

    >>> _coordinates("(E 29°20ʹ38ʺ--E 33°6ʹ52ʺ/N 31°41ʹ18ʺ--N 28°45ʹ51ʺ)")
    (30.2263, 31.2292)
    """
    lats: list[float] = []
    lons: list[float] = []
    for hemi, deg, mins, secs in _DMS.findall(text):
        value = int(deg) + int(mins or 0) / 60 + float(secs or 0) / 3600
        value = -value if hemi in "SW" else value
        (lats if hemi in "NS" else lons).append(value)
    if not lats or not lons or any(abs(v) > 90 for v in lats) or any(abs(v) > 180 for v in lons):
        return None
    return round(sum(lats) / len(lats), 4), round(sum(lons) / len(lons), 4)


def _subjects(mods: etree._Element, record: Record) -> None:
    """Topics (an LCSH heading's parts joined by ' -- ') → concepts; geographic terms → places."""
    for subject in _kids(mods, "subject"):
        parts: list[str] = []
        only_places = True
        for child in subject:
            kind = local_name(child)
            only_places = only_places and kind in ("geographic", "hierarchicalGeographic", "cartographics")
            if kind in ("topic", "temporal", "genre", "occupation", "titleInfo"):
                parts.append(_text(child))
            elif kind == "name":
                agent = _agent(child)
                dates = " ".join(_text(p) for p in _kids(child, "namePart") if p.get("type") == "date")
                parts.append(f"{agent.name}, {dates}" if dates else agent.name)
            elif kind == "geographic" and (name := _text(child)):
                parts.append(name)
                record.places.append(Place(name, same_as=_uris(child)))
            elif kind == "hierarchicalGeographic":
                levels = [_text(c) for c in child if isinstance(c.tag, str) and _text(c)]
                if levels:
                    record.places.append(Place(", ".join(reversed(levels))))
            elif kind == "cartographics":
                for coords in _kids(child, "coordinates"):
                    point = _coordinates(_text(coords))
                    if point and not any(p.lat is not None and p.lon is not None and abs(p.lat - point[0]) < 0.01
                                         and abs(p.lon - point[1]) < 0.01 for p in record.places):
                        record.places.append(Place(_text(coords).strip("()"), lat=point[0], lon=point[1]))
        if (label := " -- ".join(p for p in parts if p)) and not only_places:
            first = next((c for c in subject if isinstance(c.tag, str)), None)
            lang = _tag(subject.get("lang") or (first.get("lang") if first is not None else None), None)
            same = _uris(subject) or (_uris(first) if len(parts) == 1 else [])
            record.subjects.append(Concept(label, lang, same_as=same))


def _provider(mods: etree._Element, urls: list[str]) -> str | None:
    info = _kid(mods, "recordInfo")
    keys = [_text(s).lower() for s in _kids(info, "recordContentSource")]
    keys += [(i.get("source") or "").lower() for i in _kids(info, "recordIdentifier")]
    for key in keys:
        if key in _SOURCES:
            return _SOURCES[key]
    for url in urls:
        if m := re.search(r"[./](harvard|stanford|princeton|loc)\.(edu|gov)\b", url):
            return m.group(1)
    return None


def _locations(mods: etree._Element, record: Record) -> None:
    """location/url by its @access: object in context → the page, raw object → the image, preview → thumbnail."""
    urls = [u for loc in _kids(mods, "location") for u in _kids(loc, "url") if _text(u)]
    by_access: dict[str, list[etree._Element]] = {}
    for u in urls:
        by_access.setdefault(u.get("access") or "", []).append(u)
    pages = sorted(by_access.get("object in context", []), key=lambda u: u.get("usage") != "primary display")
    record.is_shown_at = _text(pages[0]) if pages else next((_text(u) for u in by_access.get("", [])), None)
    raw = next((_text(u) for u in by_access.get("raw object", [])), None)
    preview = next((_text(u) for u in by_access.get("preview", [])), None)
    if raw or preview:
        record.images.append(Image(url=raw, thumbnail=preview))
    repos = [_text(p) for loc in _kids(mods, "location") for p in _kids(loc, "physicalLocation")
             if p.get("type") == "repository" and _text(p)]
    sources = [_text(s) for s in _kids(_kid(mods, "recordInfo"), "recordContentSource") if not s.get("authority")]
    record.data_provider = repos[0] if repos else next(iter(sources), None)


def record_from_mods(mods: etree._Element, *, source_url: str, provider: str | None = None,
                     local_id: str | None = None, loader: str = LOADER, source_format: str = "mods") -> Record:
    """One <mods> element as a Record; RecordError when it has no id or no provider can be told."""
    info = _kid(mods, "recordInfo")
    if local_id is None:
        ident = next((_text(i) for i in _kids(info, "recordIdentifier") if _text(i)), "")
        local_id = ident.rsplit(":", 1)[-1] if re.match(r"[a-z]+(\.[a-z]+)+:", ident) else ident
    if not local_id:
        raise RecordError("MODS record has no recordInfo/recordIdentifier")
    urls = [_text(u) for loc in _kids(mods, "location") for u in _kids(loc, "url")]
    provider = provider or _provider(mods, urls)
    if not provider:
        raise RecordError(f"MODS record {local_id}: cannot tell the provider (no known recordContentSource): "
                          "pass provider=")
    resource_types = [_text(t) for t in _kids(mods, "typeOfResource") if _text(t)]
    genres = [_text(g) for g in _kids(mods, "genre")]
    manuscript = any(t.get("manuscript") == "yes" for t in _kids(mods, "typeOfResource"))
    genre = object_genre(*resource_types, *genres) if not manuscript else \
        object_genre(*resource_types, "manuscript")
    edm_type = edm_type_of(genre) if genre else next(
        (_RESOURCE_TYPES[t.lower()] for t in resource_types if t.lower() in _RESOURCE_TYPES), "TEXT")
    agents = _agents(_kids(mods, "name"))
    record = Record(
        provider=provider, local_id=local_id, titles=_titles(mods), source_url=source_url,
        source_format=source_format, loader=loader, genre=genre, edm_type=edm_type,
        creators=[a for n, a in agents if _is_creator(n)],
        contributors=[a for n, a in agents if not _is_creator(n)],
        extent=next((_text(e) for p in _kids(mods, "physicalDescription") for e in _kids(p, "extent")), None),
        identifiers=[_text(i) for i in _kids(mods, "identifier") if _text(i)],
        rights_text=[Text(_text(a), _tag(a.get("lang"), None)) for a in _kids(mods, "accessCondition") if _text(a)],
    )
    if local_id not in record.identifiers:
        record.identifiers.append(local_id)
    record.rights_uri = next((a.get(XLINK_HREF) for a in _kids(mods, "accessCondition") if a.get(XLINK_HREF)), None)
    for lang in _kids(mods, "language"):
        terms = _kids(lang, "languageTerm")
        term = next((t for t in terms if t.get("type") == "code"), terms[0] if terms else None)
        if term is not None and (code := language_code(_text(term))) and code not in record.languages:
            record.languages.append(code)
    origin = _kids(mods, "originInfo")
    record.date_display, record.date, record.year_from, record.year_to = _date(origin)
    record.publisher = next((text for o in origin for p in _kids(o, "publisher")
                             if known(unbracket(text := _text(p)))), None)
    place = next((name for o in origin for p in _kids(o, "place") for t in _kids(p, "placeTerm")
                  if t.get("type") != "code" and (name := known(unbracket(_text(t))))), None)
    record.place_of_origin = Place(place) if place else None
    record.descriptions = [Text(_text(d), _tag(d.get("lang"), None))
                           for d in _kids(mods, "abstract") + _kids(mods, "note") if _text(d)]
    _subjects(mods, record)
    _locations(mods, record)
    for related in _kids(mods, "relatedItem"):
        title = next((_title(t) for t in _kids(related, "titleInfo")), "")
        if related.get("type") in ("host", "series") and title:
            record.is_part_of.append(Text(title))
        if related.get("type") == "host":
            _inherit(record, related)
    return record


def _inherit(record: Record, host: etree._Element) -> None:
    """A component (a plate of an archival collection) takes its host's creators, date and repository
    only where it has none of its own — archival description states them once, at the collection."""
    if not record.creators and not record.contributors:
        agents = _agents(_kids(host, "name"))
        record.creators = [a for n, a in agents if _is_creator(n)]
        record.contributors = [a for n, a in agents if not _is_creator(n)]
    if record.year_from is None:
        record.date_display, record.date, record.year_from, record.year_to = _date(_kids(host, "originInfo"))
    if record.data_provider is None:
        repos = [_text(p) for loc in _kids(host, "location") for p in _kids(loc, "physicalLocation")
                 if p.get("type") == "repository" and _text(p)]
        record.data_provider = repos[0] if repos else None
