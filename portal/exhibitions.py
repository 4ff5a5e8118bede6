"""Curated virtual exhibitions: one YAML file each (title, Markdown sections, chosen objects) → a page and a IIIF Collection.

A file is read and checked when its modification time changes; a broken file
is reported with its name and the problem (the list skips it, its own page
answers the error), never half-shown. Markdown is rendered with raw HTML off.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask import Response, render_template
from iiif_prezi3 import Collection, ManifestRef
from markdown_it import MarkdownIt
from markupsafe import Markup

from ontology.errors import MerosError, NotFound

from .pages import _m, bp, card
from .results import reader_languages, search_index

log = logging.getLogger("meros.exhibitions")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
IIIF_COLLECTION = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


class ExhibitionError(MerosError):
    """An exhibition file that cannot be shown: names the file and what is wrong."""

    status = 500


@dataclass
class Section:
    heading: dict[str, str]
    text: dict[str, str]
    objects: list[str] = field(default_factory=list)


@dataclass
class Exhibition:
    slug: str
    title: dict[str, str]
    summary: dict[str, str]
    sections: list[Section]
    curator: str | None = None
    cover: str | None = None

    @property
    def objects(self) -> list[str]:
        return list(dict.fromkeys(oid for s in self.sections for oid in s.objects))


def pick(texts: dict[str, str], langs: list[str]) -> str:
    """The text in the first wanted language, else English, else any."""
    for lang in [*langs, "en"]:
        if texts.get(lang):
            return texts[lang]
    return next(iter(texts.values()), "")


def _lang_map(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, dict) or not value or not all(isinstance(v, str) for v in value.values()):
        raise ExhibitionError(f"{where} must be a text or a map of language → text")
    return {str(k): v for k, v in value.items()}


def parse_exhibition(path: Path) -> Exhibition:
    """Read and check one exhibition file."""
    slug = path.stem
    if not SLUG.match(slug):
        raise ExhibitionError(f"exhibition file {path.name}: the name must be a slug of [a-z0-9-]")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ExhibitionError(f"exhibition file {path.name} cannot be read: {exc}") from None
    if not isinstance(raw, dict):
        raise ExhibitionError(f"exhibition file {path.name}: expected a mapping with title and sections")
    try:
        title = _lang_map(raw.get("title"), "title")
        summary = _lang_map(raw.get("summary") or {"en": ""}, "summary") if raw.get("summary") else {}
        sections = []
        for n, s in enumerate(raw.get("sections") or [], start=1):
            if not isinstance(s, dict):
                raise ExhibitionError(f"section {n} must be a mapping")
            objects = s.get("objects") or []
            if not isinstance(objects, list) or not all(isinstance(o, str) for o in objects):
                raise ExhibitionError(f"section {n}: objects must be a list of object ids")
            sections.append(Section(_lang_map(s.get("heading"), f"section {n} heading"),
                                    _lang_map(s.get("text") or {"en": ""}, f"section {n} text"), objects))
    except ExhibitionError as exc:
        raise ExhibitionError(f"exhibition file {path.name}: {exc.message}") from None
    if not sections:
        raise ExhibitionError(f"exhibition file {path.name}: no sections")
    return Exhibition(slug, title, summary, sections, raw.get("curator"), raw.get("cover"))


_cache: dict[Path, tuple[float, Exhibition | ExhibitionError]] = {}


def _load(path: Path) -> Exhibition | ExhibitionError:
    stamp = path.stat().st_mtime
    hit = _cache.get(path)
    if hit is None or hit[0] != stamp:
        try:
            value: Exhibition | ExhibitionError = parse_exhibition(path)
        except ExhibitionError as exc:
            log.error("%s", exc.message)
            value = exc
        _cache[path] = hit = (stamp, value)
    return hit[1]


def folder() -> Path:
    return Path(_m().settings["EXHIBITIONS"])


def all_exhibitions() -> list[Exhibition]:
    if not folder().is_dir():
        return []
    found = [_load(p) for p in sorted(folder().glob("*.yaml"))]
    return [e for e in found if isinstance(e, Exhibition)]


def get_exhibition(slug: str) -> Exhibition:
    path = folder() / f"{slug}.yaml"
    if not SLUG.match(slug) or not path.is_file():
        raise NotFound(f"no exhibition {slug!r}")
    found = _load(path)
    if isinstance(found, ExhibitionError):
        raise found
    return found


@bp.get("/exhibitions")
def exhibitions() -> str:
    langs = reader_languages()
    index = search_index()
    items = []
    for e in all_exhibitions():
        cover_id = e.cover or (e.objects[0] if e.objects else None)
        cover = index.get(cover_id) if cover_id else None
        items.append({"slug": e.slug, "title": pick(e.title, langs), "summary": pick(e.summary, langs),
                      "count": len(e.objects), "cover": card(cover, langs) if cover else None})
    return render_template("exhibitions.html", exhibitions=items)


@bp.get("/exhibitions/<slug>")
def exhibition(slug: str) -> str:
    e = get_exhibition(slug)
    langs = reader_languages()
    index = search_index()
    sections = []
    for s in e.sections:
        hits = [index.get(oid) for oid in s.objects]
        sections.append({"heading": pick(s.heading, langs),
                         "html": Markup(_markdown.render(pick(s.text, langs))),
                         "cards": [card(h, langs) for h in hits if h is not None]})
    return render_template("exhibition.html", e=e, title=pick(e.title, langs), summary=pick(e.summary, langs),
                           sections=sections)


@bp.get("/exhibitions/<slug>/collection.json")
def exhibition_collection(slug: str) -> Response:
    """The exhibition as a IIIF Presentation 3 Collection of its objects' manifests (for any IIIF viewer)."""
    e = get_exhibition(slug)
    base = _m().settings["BASE_URL"]
    index = search_index()
    items = []
    for oid in e.objects:
        hit = index.get(oid)
        if hit is None:
            continue
        labels: dict[str, list[str]] = {}
        for value, lang in hit.data.get("titles", []):
            labels.setdefault((lang or "none").split("-")[0], []).append(value)
        items.append(ManifestRef(id=f"{base}/iiif/{oid}/manifest", type="Manifest", label=labels))
    collection = Collection(
        id=f"{base}/exhibitions/{slug}/collection.json",
        label={k: [v] for k, v in e.title.items()},
        summary={k: [v] for k, v in e.summary.items()} if e.summary else None,
        homepage=[{"id": f"{base}/exhibitions/{slug}", "type": "Text", "format": "text/html",
                   "label": {k: [v] for k, v in e.title.items()}}],
        items=items,
    )
    resp = Response(collection.jsonld(), mimetype="application/ld+json")
    resp.headers["Content-Type"] = IIIF_COLLECTION
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
