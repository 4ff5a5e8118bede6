"""The public SPARQL 1.1 Protocol endpoint at /sparql: read-only, time-limited, capped, never fetching a SERVICE.

Every query goes through the lexical guard (update → 403, SERVICE → 400),
then to the worker pool (time limit, concurrency bound, row cap). Without
a query: the YASGUI editor for browsers, the Service Description for RDF
clients.
"""
from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import UnsupportedMediaType

from ontology.errors import BadRequest, MerosError
from ontology.vocab import PREFIXES

from .guard import ReadOnly, check
from .pool import QueryPool, TooBusy, source_for
from .protocol import GRAPH_FORMATS, RESULT_FORMATS, Answer, Job, NotAcceptable, negotiate, rows_of
from .service_description import service_description

bp = Blueprint("sparql", __name__)

EXAMPLES_DIR = Path(__file__).with_name("queries") / "examples"
POOL_KEY = "meros.sparql_pool"
HTML_ROWS = 1000  # rows the HTML result table shows; downloads get the full capped result
EXPOSED = "X-Meros-Max-Rows, X-Meros-Rows, X-Meros-Truncated, Retry-After"
_pool_lock = threading.Lock()


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    query: str


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    """The example queries (`queries/examples/*.rq`): the first comment line is the title, the next ones describe it."""
    out = []
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        out.append(Example(path.stem, comments[0] if comments else path.stem, " ".join(comments[1:]), text))
    return tuple(out)


# -- the pool, one per app -----------------------------------------------------------------------------------
def allowed_services(settings: dict[str, Any]) -> frozenset[str]:
    return frozenset(s.strip() for s in settings["SPARQL_SERVICES"].split(",") if s.strip())


def pool_for(app: Flask) -> QueryPool:
    """The app's query pool, started on first use (the app may never be asked a query)."""
    pool = app.extensions.get(POOL_KEY)
    if pool is not None:
        return pool  # type: ignore[no-any-return]
    with _pool_lock:
        pool = app.extensions.get(POOL_KEY)
        if pool is None:
            m = app.extensions["meros"]
            s = m.settings
            pool = QueryPool(source_for(m.store, s["SPARQL_TIMEOUT"]), workers=s["SPARQL_WORKERS"],
                             timeout=s["SPARQL_TIMEOUT"], queue=s["SPARQL_QUEUE"],
                             sandbox=not allowed_services(s), memory_mb=s["SPARQL_MEMORY_MB"])
            atexit.register(pool.close)
            app.extensions[POOL_KEY] = pool
    return pool  # type: ignore[no-any-return]


def close_pool(app: Flask) -> None:
    """Stop the app's query workers (tests, shutdown)."""
    pool = app.extensions.pop(POOL_KEY, None)
    if pool is not None:
        pool.close()


# -- reading the request --------------------------------------------------------------------------------------
def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"The request has {len(values)} '{name}' parameters; send exactly one.")
    return values[0] if values else None


@dataclass(frozen=True)
class Request:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None


def read_request() -> Request:
    """The protocol's three ways to send a query; any update is refused before anything else."""
    args, form = request.args, request.form if request.method == "POST" else None
    ctype = (request.mimetype or "").lower()
    if "update" in args or (form is not None and "update" in form) or ctype == "application/sparql-update":
        raise ReadOnly("The endpoint is read-only: SPARQL updates are not accepted here.")
    params = args
    if request.method == "POST":
        if ctype == "application/sparql-query":
            query: str | None = request.get_data(as_text=True)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            params = form  # type: ignore[assignment]
            query = _one(form.getlist("query"), "query")  # type: ignore[union-attr]
            if query is None and "query" in args:
                raise BadRequest("A form POST carries its query in the body, not the URL.")
        elif not ctype and not request.content_length:
            query = None  # an empty POST: "no query" below
        else:
            raise UnsupportedMediaType(f"POST a query as application/sparql-query or a form "
                                       f"(application/x-www-form-urlencoded), not {ctype or 'no content type'}.")
    else:
        query = _one(args.getlist("query"), "query")
    graphs_from = args if ctype == "application/sparql-query" else params
    return Request(query, tuple(graphs_from.getlist("default-graph-uri")), tuple(graphs_from.getlist("named-graph-uri")),
                   _one(params.getlist("format"), "format") or _one(args.getlist("format"), "format"))


def wants_html() -> bool:
    """Only when the client names text/html at least as high as any format we answer in (curl's */* gets data)."""
    accept = request.accept_mimetypes
    html = max((q for mt, q in accept if mt == "text/html"), default=0)
    others = [mt for mt, _ in RESULT_FORMATS.values()] + [mt for mt, _ in GRAPH_FORMATS.values()]
    return html > 0 and html >= max((accept.quality(mt) for mt in others if mt != "*/*"), default=0)


def _accept_list() -> list[tuple[str, float]]:
    return [(mt, q) for mt, q in request.accept_mimetypes]


# -- the view ---------------------------------------------------------------------------------------------------
def _settings() -> dict[str, Any]:
    return current_app.extensions["meros"].settings  # type: ignore[no-any-return]


def _base() -> str:
    return _settings()["BASE_URL"]  # type: ignore[no-any-return]


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    if request.method == "OPTIONS":
        resp = Response(status=204)
        resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        resp.headers["Access-Control-Max-Age"] = "86400"
        return resp
    req = read_request()
    settings = _settings()
    html = req.format == "html" or (req.format is None and wants_html())
    if req.query is None:
        if request.method == "POST":
            raise BadRequest("No query: send query=… (form) or a body of type application/sparql-query.")
        if html:
            return editor()
        try:
            return describe_service()
        except NotAcceptable:
            raise BadRequest("No query: send query=… (GET or a form POST) or a body of type "
                             "application/sparql-query. Without a query this URL describes the service in RDF "
                             "(text/turtle, application/ld+json, …) or, for browsers, is the query editor.") from None
    shape = check(req.query, allowed_services(settings))
    fmt = ("ttl" if shape.is_graph else "json") if html else negotiate(shape.is_graph, _accept_list(), req.format)
    max_rows = min(settings["SPARQL_MAX_ROWS"], HTML_ROWS) if html else settings["SPARQL_MAX_ROWS"]
    job = Job(req.query, fmt, shape.is_graph, max_rows,
              union=not shape.has_dataset, default_graphs=req.default_graphs, named_graphs=req.named_graphs)
    answer = pool_for(current_app).run(job)  # type: ignore[arg-type]
    if html:
        return editor(req.query, answer)
    resp = Response(answer.body, mimetype=answer.media_type)
    if answer.media_type.startswith("text/") or answer.media_type.endswith(("+json", "+xml", "/ld+json")):
        resp.charset = "utf-8"
    resp.headers["X-Meros-Rows"] = str(answer.rows)
    resp.headers["X-Meros-Truncated"] = "true" if answer.truncated else "false"
    return resp


def describe_service() -> Response:
    """The Service Description in the RDF format the client accepts (Turtle by default)."""
    fmt = negotiate(True, _accept_list(), None)
    s = _settings()
    triples = service_description(_base(), timeout=s["SPARQL_TIMEOUT"], max_rows=s["SPARQL_MAX_ROWS"],
                                  federation=tuple(sorted(allowed_services(s))))
    mt, rdf = GRAPH_FORMATS[fmt]
    body = ox.serialize(triples, format=rdf, prefixes=None if fmt == "nt" else
                        {"sd": "http://www.w3.org/ns/sparql-service-description#", **PREFIXES})
    return Response(body, mimetype=mt)


def _cell(term: object) -> dict[str, str]:
    """How the HTML table shows one term: a link for IRIs under our base, text otherwise."""
    if isinstance(term, ox.NamedNode):
        return {"kind": "iri", "value": term.value}
    if isinstance(term, ox.Literal):
        suffix = f"@{term.language}" if term.language else ""
        return {"kind": "literal", "value": term.value, "suffix": suffix}
    if term is None:
        return {"kind": "none", "value": ""}
    return {"kind": "other", "value": str(term)}


def editor(query: str | None = None, answer: Answer | None = None) -> Response:
    """The query editor (YASGUI; a plain form without JavaScript), with the results of `query` if it ran."""
    s = _settings()
    table = None
    if answer is not None:
        rows = list(rows_of(answer))
        columns = list(rows[0]) if rows else []
        if not rows and answer.media_type in (mt for mt, _ in RESULT_FORMATS.values()):
            columns = [v.value for v in ox.parse_query_results(answer.body, ox.QueryResultsFormat.JSON).variables]
        table = {"columns": columns, "rows": [[_cell(r.get(c)) for c in columns] for r in rows],
                 "truncated": answer.truncated, "shown": len(rows)}
    downloads = []
    if query is not None:
        form = "CONSTRUCT" if answer is not None and answer.media_type in (mt for mt, _ in GRAPH_FORMATS.values()) \
            else "SELECT"
        names = GRAPH_FORMATS if form == "CONSTRUCT" else RESULT_FORMATS
        downloads = [(name, "/sparql?" + urlencode({"query": query, "format": name})) for name in names]
    return Response(render_template(
        "sparql_editor.html", query=query or examples()[0].query, examples=examples(), table=table,
        downloads=downloads, timeout=s["SPARQL_TIMEOUT"], max_rows=s["SPARQL_MAX_ROWS"], html_rows=HTML_ROWS,
        run_link=lambda q: "/sparql?" + urlencode({"query": q, "format": "html"}),
    ), mimetype="text/html")


# -- errors and headers -------------------------------------------------------------------------------------------
@bp.errorhandler(MerosError)
def _error(exc: MerosError) -> Response:
    """JSON `{"error", "status"}` for clients, the HTML page for browsers; 429 says when to come back."""
    if wants_html():
        resp = Response(render_template("error.html", message=exc.message, status=exc.status), mimetype="text/html")
        resp.status_code = exc.status
    else:
        resp = jsonify({"error": exc.message, "status": exc.status})
        resp.status_code = exc.status
    if isinstance(exc, TooBusy):
        resp.headers["Retry-After"] = str(exc.retry_after)
    return resp


@bp.after_request
def _headers(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = EXPOSED
    resp.headers["X-Meros-Max-Rows"] = str(_settings()["SPARQL_MAX_ROWS"])
    resp.vary.add("Accept")
    return resp


__all__ = ["bp", "close_pool", "examples", "pool_for", "ReadOnly"]
