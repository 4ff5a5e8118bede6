"""Search parameters as the contract names them, checked once for `/search` and `/api/search` alike.

A bad value is a `BadRequest` naming the parameter and what it accepts (400
in the one error shape); unknown parameters (`lang`, tracking tags) are ignored.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ontology.errors import BadRequest
from ontology.record import EDM_TYPES

SORTS = ("relevance", "date", "-date", "title")
RIGHTS = ("open", "restricted", "any")
MAX_SIZE = 100
MAX_RESULTS = 10_000  # deepest result reachable by paging; filters narrow further
MAX_QUERY = 500
FILTERS = ("type", "genre", "provider", "language", "creator", "subject", "place", "century")


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    type: tuple[str, ...] = ()
    genre: tuple[str, ...] = ()
    provider: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    creator: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    century: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    rights: str = "any"
    sort: str = "relevance"
    page: int = 1
    size: int = 20
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def cache_key(self) -> tuple[Any, ...]:
        return (self.q, self.type, self.genre, self.provider, self.language, self.creator, self.subject,
                self.place, self.century, self.year_from, self.year_to, self.rights)

    def is_filtered(self) -> bool:
        return bool(self.q or any(getattr(self, f) for f in FILTERS) or self.year_from is not None
                    or self.year_to is not None or self.rights != "any")

    def to_args(self, **changes: Any) -> list[tuple[str, str]]:
        """Query-string pairs for a link to these parameters with `changes` applied (None drops one)."""
        p = replace(self, **{k: v for k, v in changes.items() if k in self.__dataclass_fields__})
        pairs: list[tuple[str, str]] = []
        if p.q:
            pairs.append(("q", p.q))
        for name in FILTERS:
            pairs.extend((name, v) for v in getattr(p, name))
        if p.year_from is not None:
            pairs.append(("from", str(p.year_from)))
        if p.year_to is not None:
            pairs.append(("to", str(p.year_to)))
        if p.rights != "any":
            pairs.append(("rights", p.rights))
        if p.sort != "relevance":
            pairs.append(("sort", p.sort))
        if p.page != 1:
            pairs.append(("page", str(p.page)))
        if p.size != 20:
            pairs.append(("size", str(p.size)))
        return pairs


def _int(args: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = args.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        raise BadRequest(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise BadRequest(f"{name}={value} is out of range ({low}–{high})")
    return value


def _choice(args: Mapping[str, str], name: str, valid: tuple[str, ...], default: str) -> str:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if raw not in valid:
        raise BadRequest(f"{name}={raw!r} is not one of: {', '.join(valid)}")
    return raw


def parse_params(args: Any, default_size: int = 20) -> SearchParams:
    """`args` is a werkzeug MultiDict (repeated filters are ORed: `type=TEXT&type=IMAGE`)."""
    def many(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))

    q = (args.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise BadRequest(f"q is {len(q)} characters long; the most is {MAX_QUERY}")
    types = tuple(t.upper() for t in many("type"))
    for t in types:
        if t not in EDM_TYPES:
            raise BadRequest(f"type={t!r} is not one of: {', '.join(EDM_TYPES)}")
    for c in many("century"):
        try:
            if int(c) % 100:
                raise ValueError
        except ValueError:
            raise BadRequest(f"century={c!r} is not a century's first year (e.g. 1800 for 1800–1899)") from None
    page = _int(args, "page", 1, MAX_RESULTS) or 1
    size = _int(args, "size", 1, MAX_SIZE) or default_size
    if (page - 1) * size >= MAX_RESULTS:
        raise BadRequest(f"page={page} with size={size} goes past the {MAX_RESULTS} results reachable by paging; "
                         "narrow the search with filters")
    year_from, year_to = _int(args, "from", -10_000, 10_000), _int(args, "to", -10_000, 10_000)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise BadRequest(f"from={year_from} is after to={year_to}")
    return SearchParams(
        q=q, type=types, genre=tuple(g.lower() for g in many("genre")), provider=many("provider"),
        language=many("language"), creator=many("creator"), subject=many("subject"), place=many("place"),
        century=many("century"), year_from=year_from, year_to=year_to,
        rights=_choice(args, "rights", RIGHTS, "any"), sort=_choice(args, "sort", SORTS, "relevance"),
        page=page, size=size,
    )
