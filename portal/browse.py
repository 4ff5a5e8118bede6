"""Browse without a query: by collection, genre, century (a timeline) and place (a map with a list).

All counts come from the index's facets; the map's markers from its `geo`
values (places with coordinates). The map page works without JavaScript and
without map tiles: the list of places is the page, the map an addition.
"""
from __future__ import annotations

from flask import render_template

from .pages import GENRE_LABELS, bp, facet_label
from .results import search_index
from .search import SearchParams

MODES = ("provider", "genre", "century", "place")


@bp.get("/browse")
def browse() -> str:
    index = search_index()
    facets = index.search(SearchParams(size=1)).facets
    return render_template("browse.html", facets=facets, modes=MODES)


def _rows(name: str) -> list[dict[str, object]]:
    counts = search_index().facet_counts(name)
    keys = sorted(counts, key=int) if name == "century" else sorted(counts, key=lambda k: (-counts[k], k))
    return [{"key": k, "label": facet_label(name, k), "count": counts[k]} for k in keys]


@bp.get("/browse/provider")
def browse_provider() -> str:
    return render_template("browse_list.html", mode="provider", rows=_rows("provider"))


@bp.get("/browse/genre")
def browse_genre() -> str:
    return render_template("browse_list.html", mode="genre", rows=_rows("genre"), genre_labels=GENRE_LABELS)


@bp.get("/browse/century")
def browse_century() -> str:
    rows = _rows("century")
    top = max((int(r["count"]) for r in rows), default=1)  # type: ignore[call-overload]
    for r in rows:
        r["percent"] = max(1, round(100 * int(r["count"]) / top))  # type: ignore[call-overload]
    return render_template("browse_century.html", mode="century", rows=rows)


@bp.get("/browse/place")
def browse_place() -> str:
    places = sorted(search_index().places(), key=lambda p: (-p["count"], p["name"]))
    return render_template("browse_place.html", mode="place", places=places)
