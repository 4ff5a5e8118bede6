"""Interface language: `?lang=`, then the cookie, then Accept-Language, then the first configured language.

Catalogues live in portal/translations/{uz,kk,ru,en,fr}/LC_MESSAGES/messages.po (Flask-Babel).
Metadata languages are not chosen here: they follow the interface language with fallbacks.
"""
from __future__ import annotations

from flask import Flask, Response, g, request
from flask_babel import Babel

COOKIE = "meros_lang"


def languages(app: Flask) -> list[str]:
    return [code.strip() for code in app.config["LANGUAGES"].split(",") if code.strip()]


def select_locale() -> str:
    from flask import current_app

    langs = languages(current_app)
    for candidate in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if candidate in langs:
            return candidate
    for tag, _quality in request.accept_languages:  # best first; "kk-KZ" counts as "kk"
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in langs:
            return primary
    return langs[0]


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_translation_directories="translations")

    @app.before_request
    def _remember() -> None:
        g.lang = select_locale()

    @app.after_request
    def _cookie(resp: Response) -> Response:
        lang = request.args.get("lang")
        if lang and lang in languages(app):
            resp.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
        resp.vary.add("Accept-Language")
        return resp

    @app.context_processor
    def _lang() -> dict[str, object]:
        return {"lang": g.get("lang", languages(app)[0]), "languages": languages(app)}
