"""One error shape for the whole site: JSON `{"error", "status"}` or an HTML page, never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ontology.errors import MerosError

log = logging.getLogger("meros")


def wants_json() -> bool:
    """JSON for API paths and clients that prefer it; HTML for browsers."""
    if request.path.startswith(("/api/", "/healthz")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(message: str, status: int) -> Response:
    if wants_json():
        resp = jsonify({"error": message, "status": status})
    else:
        resp = Response(render_template("error.html", message=message, status=status), mimetype="text/html")
    resp.status_code = status
    return resp


def init_app(app: Flask) -> None:
    @app.errorhandler(MerosError)
    def _meros(exc: MerosError) -> Response:
        if exc.status >= 500:
            log.error("%s", exc.message)
        return error_response(exc.message, exc.status)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        resp = error_response(exc.description or exc.name, exc.code or 500)
        if exc.code == 405 and exc.valid_methods:
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.path)
        return error_response("Internal error: it has been logged.", 500)
