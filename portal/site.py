"""Files for crawlers: robots.txt and the sitemaps (a sitemap index; item URLs in files of at most 50 000).

Items are listed from the index in a stable order, so a sitemap file never
asks the store to scan all objects.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

import tantivy
from flask import Response

from ontology.errors import NotFound

from .exhibitions import all_exhibitions
from .pages import _m, bp
from .results import search_index

PER_FILE = 50_000  # the sitemaps.org limit per file
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _xml(body: str) -> Response:
    resp = Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, mimetype="application/xml")
    resp.cache_control.public = True
    resp.cache_control.max_age = 3600
    return resp


@bp.get("/robots.txt")
def robots() -> Response:
    base = _m().settings["BASE_URL"]
    text = ("User-agent: *\n"
            "Disallow: /search\n"  # endless facet combinations; items are in the sitemap
            "Disallow: /api/\n"
            "Disallow: /sparql\n"
            "Allow: /\n"
            f"Sitemap: {base}/sitemap.xml\n")
    return Response(text, mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap_index() -> Response:
    base = _m().settings["BASE_URL"]
    files = [f"{base}/sitemap-pages.xml"]
    files += [f"{base}/sitemap-items-{n}.xml" for n in range(1, -(-search_index().count() // PER_FILE) + 1)]
    entries = "".join(f"<sitemap><loc>{escape(f)}</loc></sitemap>" for f in files)
    return _xml(f'<sitemapindex xmlns="{SITEMAP_NS}">{entries}</sitemapindex>\n')


def _urlset(urls: list[str]) -> Response:
    entries = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return _xml(f'<urlset xmlns="{SITEMAP_NS}">{entries}</urlset>\n')


@bp.get("/sitemap-pages.xml")
def sitemap_pages() -> Response:
    base = _m().settings["BASE_URL"]
    paths = ["/", "/browse", "/browse/provider", "/browse/genre", "/browse/century", "/browse/place", "/exhibitions"]
    paths += [f"/exhibitions/{e.slug}" for e in all_exhibitions()]
    return _urlset([base + p for p in paths])


@bp.get("/sitemap-items-<int:n>.xml")
def sitemap_items(n: int) -> Response:
    index = search_index()
    if n < 1 or (n - 1) * PER_FILE >= max(index.count(), 1):
        raise NotFound(f"no sitemap file {n}")
    searcher = index.searcher()
    found = searcher.search(tantivy.Query.all_query(), limit=PER_FILE, offset=(n - 1) * PER_FILE,
                            order_by_field="title_sort", order=tantivy.Order.Asc, count=False)
    base = _m().settings["BASE_URL"]
    ids = [searcher.doc(addr).get_first("id") for _, addr in found.hits]
    return _urlset([f"{base}/item/{i}" for i in ids])
