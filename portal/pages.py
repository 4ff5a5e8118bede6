"""The public HTML pages: home, search and /healthz; item, browse, exhibitions and site files live beside it.

Lists, counts and facets come from the search index; item pages and small
joins from the store. No page needs JavaScript to search or read metadata.
"""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from pyoxigraph import Literal

from ontology.errors import MerosError
from ontology.vocab import XSD_INTEGER
from sparql.queries import bind

from .results import hit_title, hit_title_lang, reader_languages, search_index
from .search import SearchParams, index_for_app, parse_params

bp = Blueprint("pages", __name__)

TYPE_LABELS = {"TEXT": _l("Texts"), "IMAGE": _l("Images"), "SOUND": _l("Sound"), "VIDEO": _l("Video"),
               "3D": _l("3D objects")}
RIGHTS_LABELS = {"open": _l("Free to use"), "restricted": _l("Restricted")}
GENRE_LABELS = {"manuscript": _l("manuscript"), "map": _l("map"), "book": _l("book"),
                "periodical": _l("periodical"), "photograph": _l("photograph"), "music score": _l("music score"),
                "sound recording": _l("sound recording")}
FACET_TITLES = {"type": _l("Type"), "genre": _l("Genre"), "provider": _l("Collection"), "language": _l("Language"),
                "rights": _l("Rights"), "century": _l("Century")}
SORT_LABELS = {"relevance": _l("Relevance"), "date": _l("Oldest first"), "-date": _l("Newest first"),
               "title": _l("Title A–Z")}


@bp.record_once
def _open_index(state: Any) -> None:
    """The index is opened once per process, like the store (built from the store if there is none)."""
    app = state.app
    m = app.extensions["meros"]
    app.extensions["meros.search"] = index_for_app(m.settings, m.store)


def _m():  # type: ignore[no-untyped-def]
    from .app import meros

    return meros()


def language_name(code: str) -> str:
    """A language code's name in the interface language (Babel's CLDR data), else the code."""
    try:
        name = get_locale().languages.get(code)  # type: ignore[union-attr]
    except AttributeError:
        name = None
    return name or code


def facet_label(name: str, key: str) -> str:
    if name == "type":
        return str(TYPE_LABELS.get(key, key))
    if name == "rights":
        return str(RIGHTS_LABELS.get(key, key))
    if name == "genre":
        return str(GENRE_LABELS.get(key, key))
    if name == "language":
        return language_name(key)
    if name == "century":
        start = int(key)
        return f"{start}–{start + 99}"
    return key


# Each interface language named in itself, for the switcher.
NATIVE_NAMES = {"uz": "Oʻzbekcha", "kk": "Қазақша", "ru": "Русский", "en": "English", "fr": "Français"}


def lang_url(code: str) -> str:
    """This page in another interface language (the same path and parameters, `lang` replaced)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", code)]
    return f"{request.path}?{urlencode(args)}"


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"type_labels": TYPE_LABELS, "rights_labels": RIGHTS_LABELS, "facet_label": facet_label,
            "language_name": language_name, "genre_labels": GENRE_LABELS, "native_names": NATIVE_NAMES,
            "lang_url": lang_url}


def card(hit: Any, langs: list[str]) -> dict[str, Any]:
    """What a thumbnail card shows."""
    return {"id": hit.id, "title": hit_title(hit, langs), "title_lang": hit_title_lang(hit, langs),
            "thumbnail": hit.data.get("thumbnail"), "date": hit.data.get("date"), "type": hit.data.get("type"),
            "creators": hit.data.get("creators") or [], "rights": hit.data.get("rights"),
            "genre": hit.data.get("genre"), "provider": hit.id.split("-", 1)[0]}


def new_in_public_domain(year: int, limit: int = 12) -> list[dict[str, Any]]:
    term = Literal(str(year), datatype=XSD_INTEGER)
    rows = _m().store.query(bind("new_in_public_domain", year=str(term), limit=str(limit)))
    return [{"id": r["cho"].value.rsplit("/id/", 1)[-1], "title": r["title"].value,  # type: ignore[index,union-attr]
             "thumbnail": r["thumbnail"].value if r.get("thumbnail") is not None else None}  # type: ignore[union-attr]
            for r in rows]  # type: ignore[union-attr]


@bp.get("/")
def home() -> str:
    index, langs = search_index(), reader_languages()
    everything = index.search(SearchParams(size=8))
    this_year = date.today().year
    return render_template(
        "home.html",
        total=everything.total,
        providers=sorted(everything.facets.get("provider", {}).items(), key=lambda kv: (-kv[1], kv[0])),
        types=sorted(everything.facets.get("type", {}).items(), key=lambda kv: (-kv[1], kv[0])),
        rights=everything.facets.get("rights", {}),
        featured=[card(h, langs) for h in everything.hits],
        new_pd=new_in_public_domain(this_year), this_year=this_year,
    )


def _facet_links(params: SearchParams, facets: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Each facet's values with a link that adds (or, when chosen, removes) it as a filter."""
    out = []
    for name, counts in facets.items():
        if not counts:
            continue
        chosen = getattr(params, name)
        values = []
        keys = sorted(counts, key=lambda k: int(k)) if name == "century" else \
            sorted(counts, key=lambda k: (-counts[k], k))
        for key in keys:
            selected = key in chosen
            new = tuple(v for v in chosen if v != key) if selected else (*chosen, key)
            values.append({"key": key, "label": facet_label(name, key), "count": counts[key], "selected": selected,
                           "args": params.to_args(**{name: new, "page": 1})})
        out.append({"name": name, "title": FACET_TITLES[name], "values": values})
    return out


def _active_filters(params: SearchParams) -> list[dict[str, Any]]:
    """The filters in force, each with a link that removes it."""
    out = []
    for name in ("type", "genre", "provider", "language", "creator", "subject", "place", "century"):
        for value in getattr(params, name):
            rest = tuple(v for v in getattr(params, name) if v != value)
            out.append({"label": facet_label(name, value), "args": params.to_args(**{name: rest, "page": 1})})
    if params.year_from is not None or params.year_to is not None:
        label = f"{params.year_from if params.year_from is not None else '…'}–" \
                f"{params.year_to if params.year_to is not None else '…'}"
        out.append({"label": label, "args": params.to_args(year_from=None, year_to=None, page=1)})
    if params.rights != "any":
        out.append({"label": str(RIGHTS_LABELS[params.rights]), "args": params.to_args(rights="any", page=1)})
    return out


@bp.get("/search")
def search() -> str:
    params = parse_params(request.args, _m().settings["PAGE_SIZE"])
    found = search_index().search(params)
    langs = reader_languages()
    last_page = max(1, -(-found.total // params.size))
    pages = sorted({p for p in (1, params.page - 2, params.page - 1, params.page, params.page + 1, params.page + 2,
                                last_page) if 1 <= p <= last_page and (p - 1) * params.size < 10_000})
    return render_template(
        "search.html", params=params, q=params.q, total=found.total, results=[card(h, langs) for h in found.hits],
        facets=_facet_links(params, found.facets), active=_active_filters(params), pages=pages,
        last_page=last_page, sort_labels=SORT_LABELS,
    )


@bp.get("/healthz")
def healthz() -> Response:
    m = _m()
    try:
        ok = m.store.query("ASK { ?s ?p ?o }")
    except MerosError as exc:
        resp = jsonify({"status": "unavailable", "store": m.settings["STORE"], "error": exc.message})
        resp.status_code = 503
        return resp
    return jsonify({"status": "ok", "store": "remote" if m.store.capabilities.remote else "embedded",
                    "has_data": bool(ok), "indexed": search_index().count()})


# The other pages register their routes on `bp` (one blueprint: portal.pages:bp).
from . import browse, exhibitions, item_page, site  # noqa: E402,F401
