"""`GET /api/search`: the search as JSON, exactly in the contract's shape, with CORS for other portals."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from .results import reader_languages, result_item, search_index
from .search import parse_params

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def api_search() -> Response:
    from .app import meros

    m = meros()
    params = parse_params(request.args, m.settings["PAGE_SIZE"])
    found = search_index().search(params)
    langs = reader_languages()
    resp = jsonify({
        "total": found.total,
        "page": params.page,
        "items": [result_item(h, langs, m.settings["BASE_URL"]) for h in found.hits],
        "facets": found.facets,
    })
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.vary.add("Accept-Language")
    return resp


@bp.after_app_request
def _cors_on_api_errors(resp: Response) -> Response:
    """Errors of the read-only API carry CORS too, so a script in another origin can read the message."""
    if request.path.startswith("/api/"):
        resp.headers.setdefault("Access-Control-Allow-Origin", "*")
    return resp
