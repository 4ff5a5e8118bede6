"""IIIF Presentation 2.0 and 3.0 manifests from any library → one `Record` each.

A manifest describes its object in display strings: labels, and metadata
pairs whose labels each library words its own way ("Published/Created",
"Datering", "Authors"). So the pairs are read by their label words
(`METADATA_LABELS`, any language of the label), a rights URI is kept as
`rights_uri` only when it is a rightsstatements.org or creativecommons.org
one (anything else is quoted in `rights_text`), and each canvas gives one
`Image` carrying the source's own image service, so images stay at the source.

Provider: the `provider` argument, else from the hosts the manifest names
(`PROVIDERS`). Local id: the distinctive last part of the manifest's URL
("…/scanned_resources/pmk61sm00s/manifest" → "pmk61sm00s"); a manifest
whose id is not a URL (IIIF cookbook templates) is named by `source_url`.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ontology.errors import RecordError
from ontology.record import Agent, Concept, Image, Place, Record, Text

from .base import Rejected
from .genres import edm_type_of, object_genre
from .normalise import language_code, nfc, parse_date, parse_heading, split_imprint, strip_html, strip_isbd
from .scripts import lang_tag, script_of

LOADER = "loaders.iiif_manifest"
PROVIDERS = (("princeton.edu", "princeton"), ("northwestern.edu", "northwestern"), ("riksarkivet.se", "riksarkivet"),
             ("bl.uk", "bl"), ("uva.nl", "allard-pierson"), ("iiif.io", "iiif-cookbook"), ("loc.gov", "loc"),
             ("bnf.fr", "gallica"))
INSTITUTIONS = {"princeton": "Princeton University Library", "northwestern": "Northwestern University Libraries",
                "riksarkivet": "Riksarkivet (National Archives of Sweden)", "bl": "British Library",
                "allard-pierson": "Allard Pierson, University of Amsterdam", "loc": "Library of Congress"}
# Metadata label words (lower case, any language) → the part of the record they fill.
METADATA_LABELS = {
    **dict.fromkeys(("creator", "author", "authors", "artist", "cartographer", "contributor", "contributors",
                     "maker", "photographer", "engraver"), "agent"),
    **dict.fromkeys(("date", "datering", "datum", "date created", "date issued", "navdate"), "date"),
    **dict.fromkeys(("published/created", "created published", "created", "published", "imprint"), "imprint"),
    **dict.fromkeys(("place", "place of publication", "place of origin", "plaats", "ort"), "place"),
    **dict.fromkeys(("publisher", "uitgever", "förlag"), "publisher"),
    **dict.fromkeys(("language", "språk", "taal", "langue"), "language"),
    **dict.fromkeys(("subject", "subjects", "keywords", "topic", "ämnesord"), "subject"),
    **dict.fromkeys(("genre", "format", "document type", "type", "original format", "object type"), "genre"),
    **dict.fromkeys(("description", "notes", "note", "summary", "abstract"), "description"),
    **dict.fromkeys(("rights", "copyright", "rights statement", "license", "licence", "rättighetsmärkning"),
                    "rights"),
    **dict.fromkeys(("identifier", "call number", "shelfmark", "reference code", "referenskod",
                     "persistent identifier", "catalogue", "catalogue record", "catalog record"), "identifier"),
    **dict.fromkeys(("held by", "repository", "holding institution"), "holder"),
    **dict.fromkeys(("collection", "department", "serie", "series"), "part_of"),
    **dict.fromkeys(("extent", "dimensions"), "extent"),
    **dict.fromkeys(("title", "titel"), "title"),
    **dict.fromkeys(("item url",), "page"),
}
_OPEN_RIGHTS = re.compile(r"^https?://(?:www\.)?(?:rightsstatements\.org|creativecommons\.org)/", re.I)
_CREDIT = re.compile(r"^(?:provided by|courtesy of|held by|supplied by|item supplied by)\s+(?:the\s+)?(.+?)\.?$",
                     re.I)
_CREATOR_ROLES = {"author", "creator", "artist", "cartographer", "photographer", "engraver", "illustrator",
                  "composer", "draftsman", "lithographer", "calligrapher", "scribe"}


def parse_manifest(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """The one `Record` a manifest describes; `Rejected` when it cannot become an object."""
    doc = load_json(data, "IIIF manifest")
    kind = doc.get("type") or doc.get("@type") if isinstance(doc, dict) else None
    if kind not in ("Manifest", "sc:Manifest"):
        raise RecordError(f"not a IIIF manifest: its type is {kind!r}")
    try:
        record = manifest_record(doc, source_url, provider)
        record.check()
    except RecordError as exc:
        yield Rejected(source_url, exc.message, data.decode("utf-8", "replace"))
        return
    yield record


def load_json(data: bytes, what: str) -> Any:
    """A JSON document, or a RecordError that says what came instead (an HTML error page, nothing)."""
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise RecordError(f"{what} is empty")
    if body[:1] == b"<":
        title = re.search(rb"<title[^>]*>(.*?)</title>", body, re.I | re.S)
        shown = nfc(title.group(1).decode("utf-8", "replace")) if title else "no title"
        raise RecordError(f"{what} is an HTML or XML page, not JSON (an error page?): {shown}")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordError(f"{what} is not JSON: {exc}") from None


def texts(value: Any, *, markup: bool = True) -> list[Text]:
    """The texts of a v3 language map, or of a v2 string, {"@value", "@language"} object or list of them."""
    clean = strip_html if markup else nfc
    out: list[Text] = []
    if isinstance(value, dict) and "@value" in value:
        out.append(Text(clean(str(value["@value"])), value.get("@language")))
    elif isinstance(value, dict):
        for lang, items in value.items():
            for v in items if isinstance(items, list) else [items]:
                out.append(Text(clean(str(v)), None if lang in ("none", "@none") else lang))
    elif isinstance(value, list):
        for v in value:
            out += texts(v, markup=markup)
    elif isinstance(value, (str, int, float)):
        out.append(Text(clean(str(value))))
    return [t for t in out if t.value]


def _id(obj: Any) -> str | None:
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict):
        return obj.get("id") or obj.get("@id")
    if isinstance(obj, list) and obj:
        return _id(obj[0])
    return None


def _is_url(value: str | None) -> bool:
    return bool(value) and str(value).startswith(("http://", "https://"))


def manifest_record(doc: dict[str, Any], source_url: str, provider: str | None = None) -> Record:
    """Map one parsed manifest (either version) to a `Record`."""
    v3 = doc.get("type") == "Manifest"
    manifest_id = _id(doc) if _is_url(_id(doc)) else (source_url if _is_url(source_url) else None)
    pairs = _metadata(doc.get("metadata"))
    langs = list(dict.fromkeys(c for t in pairs.get("language", []) for c in [language_code(t.value)] if c))
    lang = langs[0] if langs else None
    titles = [Text(strip_isbd(t.value), t.lang if v3 or t.lang else lang_tag(lang, t.value))
              for t in texts(doc.get("label"), markup=False)]
    titles += [Text(strip_isbd(t.value), t.lang) for t in pairs.get("title", [])
               if strip_isbd(t.value) not in {x.value for x in titles}]
    creators, contributors = _agents(pairs.get("agent", []))

    place = next((t.value for t in pairs.get("place", [])), None)
    publisher = next((t.value for t in pairs.get("publisher", [])), None)
    date_text = next((t.value for t in pairs.get("date", [])), None)
    for t in pairs.get("imprint", []):
        p, b, d = split_imprint(t.value)
        place, publisher, date_text = place or p, publisher or b, date_text or d
    if publisher and ":" in publisher:
        p, publisher, _ = split_imprint(publisher)
        place = place or p
    date, year_from, year_to = parse_date(date_text)
    if date is None and isinstance(doc.get("navDate"), str):
        nav = doc["navDate"]
        date, year_from, year_to = parse_date(nav[:4] if nav[4:].startswith("-01-01T00:00:00") else nav)
        date_text = nav

    rights_uri, rights_text, holder = _rights(doc, pairs)
    part_of = [t for p in doc.get("partOf") or [] for t in texts(p.get("label") if isinstance(p, dict) else None)]
    part_of += pairs.get("part_of", [])
    genre = object_genre(*(t.value for t in pairs.get("genre", [])), *(t.value for t in titles)) or \
        object_genre(*(t.value for t in part_of + pairs.get("identifier", [])))
    if genre is None and "paged" in (doc.get("behavior") or []):
        genre = "book"
    identifiers = [t.value for t in pairs.get("identifier", [])]
    identifiers += [i for i in (_id(s) for s in _as_list(doc.get("seeAlso"))) if i]
    renderings = [r for r in _as_list(doc.get("rendering")) if isinstance(r, dict) and r.get("format") == "text/html"]
    identifiers += [i for i in map(_id, renderings) if i]
    pages = [_id(h) for h in _as_list(doc.get("homepage") or doc.get("related"))]
    pages += [t.value for t in pairs.get("page", [])] + [_id(r) for r in renderings]
    images = _images(doc, v3)
    provider = provider or _provider(doc, manifest_id, pairs)
    return Record(
        provider=provider, local_id=_local_id(manifest_id or source_url),
        titles=titles, source_url=source_url, source_format="iiif-manifest-3" if v3 else "iiif-manifest-2",
        loader=LOADER, edm_type=edm_type_of(genre, "IMAGE"), genre=genre, creators=creators,
        contributors=contributors, date=date, date_display=nfc(date_text) or None, year_from=year_from,
        year_to=year_to, languages=langs,
        subjects=[Concept(s.strip(), t.lang) for t in pairs.get("subject", []) for s in t.value.split(";")
                  if s.strip()],
        places=_nav_places(doc.get("navPlace")),
        place_of_origin=Place(strip_isbd(place).strip("[]")) if place and strip_isbd(place) else None,
        descriptions=texts(doc.get("summary") or doc.get("description")) + pairs.get("description", []),
        publisher=strip_isbd(publisher) or None, identifiers=list(dict.fromkeys(identifiers)),
        is_part_of=part_of, extent=next((t.value for t in pairs.get("extent", [])), None),
        data_provider=holder or INSTITUTIONS.get(provider), is_shown_at=next((p for p in pages if _is_url(p)), None),
        manifest_url=manifest_id, images=images, rights_text=rights_text, rights_uri=rights_uri,
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _metadata(pairs: Any) -> dict[str, list[Text]]:
    """Metadata values grouped by what their label means; a link-only value gives its href."""
    out: dict[str, list[Text]] = {}
    for pair in pairs if isinstance(pairs, list) else []:
        if not isinstance(pair, dict):
            continue
        labels = [t.value.lower().rstrip(":") for t in texts(pair.get("label"))]
        key = next((METADATA_LABELS[k] for k in labels if k in METADATA_LABELS), None)
        if key is None:
            continue
        for raw in _as_list(pair.get("value")) if not isinstance(pair.get("value"), dict) else [pair["value"]]:
            href = re.search(r"href=\"([^\"]+)\"", raw) if isinstance(raw, str) else None
            values = [Text(html.unescape(href.group(1)))] if href and key == "identifier" else texts(raw)
            out.setdefault(key, []).extend(values)
    return out


def _agents(values: list[Text]) -> tuple[list[Agent], list[Agent]]:
    """Creators and contributors; a value in another script right after a name is that name's other form."""
    creators: list[Agent] = []
    contributors: list[Agent] = []
    last: Agent | None = None
    for t in values:
        if last is not None and script_of(t.value) not in (None, "Latn") and script_of(last.name) == "Latn":
            last.names.append(Text(t.value, lang_tag(None, t.value)))
            continue
        agent = parse_heading(t.value)
        if any(a.name == agent.name for a in creators + contributors):
            continue
        if agent.role is None or agent.role.lower() in _CREATOR_ROLES:
            creators.append(agent)
        else:
            contributors.append(agent)
        last = agent
    return creators, contributors


def _rights(doc: dict[str, Any], pairs: dict[str, list[Text]]) -> tuple[str | None, list[Text], str | None]:
    """(rights URI, rights texts, holding institution) from rights/license, requiredStatement/attribution, metadata."""
    uri = None
    text: list[Text] = []
    candidates = [Text(v) for v in _as_list(doc.get("rights") or doc.get("license")) if isinstance(v, str)]
    for t in candidates + pairs.get("rights", []):
        if _OPEN_RIGHTS.match(t.value) and uri is None:
            uri = t.value
        elif t not in text and t.value != uri:
            text.append(t)
    holder = next((t.value for t in pairs.get("holder", [])), None)
    provider = doc.get("provider")
    if holder is None and isinstance(provider, list) and provider:
        names = texts(provider[0].get("label") if isinstance(provider[0], dict) else None)
        holder = next((t.value for t in names if t.lang == "en"), names[0].value if names else None)
    required = doc.get("requiredStatement")
    statement = texts(required.get("value")) if isinstance(required, dict) else texts(doc.get("attribution"))
    for t in statement:
        credit = _CREDIT.match(t.value)
        if credit:
            holder = holder or credit.group(1)
        elif t not in text:
            text.append(t)
    return uri, text, holder


def _images(doc: dict[str, Any], v3: bool) -> list[Image]:
    if v3:
        canvases = doc.get("items") or []
    else:
        sequences = doc.get("sequences") or [{}]
        canvases = sequences[0].get("canvases") or [] if isinstance(sequences[0], dict) else []
    thumbnail = _id(doc.get("thumbnail"))
    images: list[Image] = []
    for canvas in canvases:
        if not isinstance(canvas, dict):
            continue
        body = _painting(canvas, v3)
        if body is None:
            continue
        kind, service, profile = _service(body.get("service")) or (None, None, None)
        images.append(Image(url=_id(body), service=service, service_type=kind, service_profile=profile,
                            width=_int(canvas.get("width") or body.get("width")),
                            height=_int(canvas.get("height") or body.get("height")),
                            label=next((t.value for t in texts(canvas.get("label"), markup=False)), None),
                            thumbnail=_id(canvas.get("thumbnail")) or (thumbnail if not images else None)))
    return images


def _painting(canvas: dict[str, Any], v3: bool) -> dict[str, Any] | None:
    """The image painted on a canvas (the first choice of a Choice)."""
    if v3:
        annos = [a for page in canvas.get("items") or [] for a in (page.get("items") or [])]
        body = next((a.get("body") for a in annos if a.get("motivation") in ("painting", None)), None)
    else:
        body = next((a.get("resource") for a in canvas.get("images") or [] if isinstance(a, dict)), None)
    if isinstance(body, list):
        body = body[0] if body else None
    if isinstance(body, dict) and (body.get("type") in ("Choice", "oa:Choice") or "default" in body):
        body = body.get("default") or next(iter(body.get("items") or []), None)
    return body if isinstance(body, dict) else None


def _service(value: Any) -> tuple[str, str, str | None] | None:
    """(type, id, profile) of the newest IIIF Image API service among those given."""
    found = []
    for s in _as_list(value):
        if not isinstance(s, dict) or not _id(s):
            continue
        profile = s.get("profile")
        profile = next((p for p in profile if isinstance(p, str)), None) if isinstance(profile, list) else profile
        kind = s.get("type") or s.get("@type") or ""
        if kind not in ("ImageService1", "ImageService2", "ImageService3"):
            m = re.search(r"iiif\.io/api/image/(\d)|image-api/(1)", f"{s.get('@context', '')} {profile or ''}")
            kind = f"ImageService{m.group(1) or m.group(2)}" if m else ""
        if kind:
            found.append((kind, str(_id(s)).rstrip("/"), profile))
    return max(found, key=lambda f: f[0]) if found else None


def _nav_places(nav: Any) -> list[Place]:
    """navPlace features: a point, or the centre of a polygon's ring."""
    places = []
    for feature in (nav or {}).get("features") or [] if isinstance(nav, dict) else []:
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates")
        ring: list[Any] = [coords] if geometry.get("type") == "Point" else (coords or [[]])[0]
        points: list[list[float]] = [p for p in ring if isinstance(p, list) and len(p) >= 2]
        if not points:
            continue
        names = texts((feature.get("properties") or {}).get("label"), markup=False)
        lon = round(sum(p[0] for p in points) / len(points), 6)
        lat = round(sum(p[1] for p in points) / len(points), 6)
        name = next((t.value for t in names if t.lang == "en"), names[0].value if names else f"{lat}, {lon}")
        places.append(Place(name, lat, lon))
    return places


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _provider(doc: dict[str, Any], manifest_id: str | None, pairs: dict[str, list[Text]]) -> str:
    """Our provider key from the hosts the manifest names, its own first."""
    urls = [manifest_id] + [_id(x) for k in ("homepage", "related", "seeAlso", "rendering")
                            for x in _as_list(doc.get(k))]
    urls += [t.value for v in pairs.values() for t in v]
    hosts = [urlsplit(u).hostname or "" for u in urls if u and _is_url(u)]
    for host in hosts:
        for suffix, key in PROVIDERS:
            if host == suffix or host.endswith("." + suffix):
                return key
    if hosts and hosts[0]:
        parts = hosts[0].split(".")
        return parts[-2] if len(parts) > 1 else parts[0]
    raise RecordError("IIIF manifest names no host to tell its provider from; pass provider=")


def _local_id(url: str) -> str:
    """The distinctive part of a manifest URL: its path without 'manifest(.json)' and the host."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    while segments and re.fullmatch(r"(?:iiif-)?manifest(?:\.json)?|.*\.json|iiif|presentation", segments[-1], re.I):
        last = segments.pop()
        stem = re.sub(r"[-_.]?manifest(?:\.json)?$|\.json$", "", last, flags=re.I)
        if stem and stem.lower() not in ("iiif", "presentation"):
            segments.append(stem)
            break
    if not segments:
        raise RecordError(f"cannot tell a local id from the manifest URL {url!r}")
    return segments[-1]
