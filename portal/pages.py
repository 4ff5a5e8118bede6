"""The public HTML pages: home, search, item; and /healthz."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from ontology.errors import BadRequest, MerosError
from sparql.objects import best_text, get_object
from sparql.queries import bind, named_query, string_literal

bp = Blueprint("pages", __name__)

TYPE_LABELS = {"TEXT": "Texts", "IMAGE": "Images", "SOUND": "Sound", "VIDEO": "Video", "3D": "3D objects"}


def _m():  # type: ignore[no-untyped-def]
    from .app import meros

    return meros()


def _counts(name: str, key: str) -> list[tuple[str, int]]:
    rows = _m().store.query(named_query(name))
    return [(r[key].value, int(r["n"].value)) for r in rows]  # type: ignore[index,union-attr]


def _local_path(uri: str) -> str:
    """An object's id from its URI under BASE/id/."""
    return uri.rsplit("/id/", 1)[-1]


@bp.get("/")
def home() -> str:
    m = _m()
    featured = m.store.query(bind("featured", limit="8"))
    return render_template(
        "home.html",
        providers=_counts("counts_by_provider", "provider"),
        types=_counts("counts_by_type", "type"),
        rights=_counts("counts_by_rights", "status"),
        featured=[{"id": _local_path(r["cho"].value), "title": r["title"].value,  # type: ignore[index,union-attr]
                   "thumbnail": r["thumbnail"].value} for r in featured],  # type: ignore[index,union-attr]
        type_labels=TYPE_LABELS,
    )


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise BadRequest(f"{name}={value} is out of range ({low}–{high})")
    return value


@bp.get("/search")
def search() -> str:
    q = request.args.get("q", "").strip()
    page = _int_arg("page", 1, 1, 10_000)
    size = _int_arg("size", _m().settings["PAGE_SIZE"], 1, 100)
    results = []
    if q:
        rows = _m().store.query(bind("search_titles", q=string_literal(q.lower()), limit=str(size + 1),
                                     offset=str((page - 1) * size)))
        for r in rows:  # type: ignore[union-attr]
            results.append({k: (v.value if v is not None else None) for k, v in r.items()})  # type: ignore[union-attr]
            results[-1]["id"] = _local_path(results[-1]["cho"])
    has_next = len(results) > size
    return render_template("search.html", q=q, results=results[:size], page=page, size=size, has_next=has_next,
                           type_labels=TYPE_LABELS)


@bp.get("/item/<object_id>")
def item(object_id: str) -> str:
    obj = get_object(_m().store, _m().uris, object_id)
    langs = [lang for lang in request.accept_languages.values() if lang] + ["en"]
    langs = [lang.split("-")[0].lower() for lang in langs]
    return render_template("item.html", obj=obj, title=obj.title(langs), reason=best_text(obj.rights_reason, langs),
                           type_labels=TYPE_LABELS)


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
                    "has_data": bool(ok)})
