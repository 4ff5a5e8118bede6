"""What the OAI-PMH provider reads from the store: headers in datestamp order, sets, the earliest datestamp.

An object's datestamp is its graph's `prov:generatedAtTime`, which the load
runner only rewrites when the graph's content changes; a withdrawn object's
is its tombstone's `prov:invalidatedAtTime`. Lists are ordered by
(datestamp, id) and continued after the last pair sent, so no state is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from ontology.mapping import Uris
from ontology.vocab import NS
from sparql.queries import string_literal
from sparql.store import Store

SET_KINDS = ("provider", "genre", "type")
SET_SPEC = re.compile(r"^(provider|genre|type)(?::([A-Za-z0-9\-_.!~*'()]+))?$")


@dataclass(frozen=True)
class Header:
    id: str
    datestamp: str  # lexical, as stored (the cursor uses it)
    deleted: bool
    genre: str | None
    edm_type: str | None

    @property
    def sets(self) -> list[str]:
        specs = [f"provider:{self.id.split('-', 1)[0]}"]
        if self.genre:
            specs.append(f"genre:{genre_key(self.genre)}")
        if self.edm_type:
            specs.append(f"type:{self.edm_type}")
        return specs


def genre_key(genre: str) -> str:
    """A genre as a setSpec segment: "music score" → "music-score"."""
    return re.sub(r"[^a-z0-9]+", "-", genre.lower()).strip("-") or "other"


def utc(lexical: str) -> str:
    """A stored xsd:dateTime in the protocol's granularity, YYYY-MM-DDThh:mm:ssZ (UTC)."""
    try:
        moment = datetime.fromisoformat(lexical.replace("Z", "+00:00"))
    except ValueError:
        return lexical
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dt(value: str) -> str:
    return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#dateTime>'


class Repository:
    def __init__(self, store: Store, uris: Uris) -> None:
        self.store, self.uris = store, uris
        self.graph_prefix = f"{uris.base}/graph/"

    def _where(self, set_spec: str | None, from_: str | None, until: str | None,
               after: tuple[str, str] | None, only: str | None = None) -> str:
        prov, dc, edm, dcterms, meros = (NS.prov["generatedAtTime"].value, NS.dc.type.value, NS.edm.type.value,
                                         NS.dcterms["type"].value, NS.meros.genre.value)
        gp = string_literal(self.graph_prefix)
        filters = [f"STRSTARTS(STR(?g), {gp})"]
        if set_spec:
            kind, _, value = set_spec.partition(":")
            if kind == "provider" and value:
                filters.append(f"STRSTARTS(STR(?g), {string_literal(self.graph_prefix + value + '-')})")
            elif kind == "genre":
                filters.append("BOUND(?genre)" + (f' && REPLACE(LCASE(STR(?genre)), "[^a-z0-9]+", "-") = '
                                                  f"{string_literal(value)}" if value else ""))
            elif kind == "type":
                filters.append("BOUND(?type)" + (f" && STR(?type) = {string_literal(value)}" if value else ""))
        if from_:
            filters.append(f"?t >= {_dt(from_)}")
        if until:
            filters.append(f"?t <= {_dt(until)}")
        if after:
            t, oid = after
            filters.append(f"(?t > {_dt(t)} || (?t = {_dt(t)} && STR(?g) > {string_literal(self.graph_prefix + oid)}))")
        values = f"VALUES ?g {{ <{self.graph_prefix}{only}> }}" if only else ""
        return f"""{{ {values}
  {{ GRAPH ?g {{ ?g <{prov}> ?t OPTIONAL {{ ?cho <{edm}> ?type OPTIONAL {{ ?cho <{dc}> ?genre }} }} }} }}
  UNION
  {{ GRAPH ?tg {{ ?g <{NS.prov['invalidatedAtTime'].value}> ?t
                  OPTIONAL {{ ?g <{dcterms}> ?type }} OPTIONAL {{ ?g <{meros}> ?genre }} }}
     FILTER NOT EXISTS {{ GRAPH ?g {{ ?g <{prov}> ?x }} }}
     BIND(true AS ?deleted) }}
  FILTER({" && ".join(filters)})
}}"""

    def headers(self, set_spec: str | None, from_: str | None, until: str | None,
                after: tuple[str, str] | None, limit: int) -> list[Header]:
        """Up to `limit` headers after `after`, in (datestamp, id) order."""
        rows = self.store.query(
            f"SELECT ?g ?t ?deleted ?genre ?type WHERE {self._where(set_spec, from_, until, after)} "
            f"ORDER BY ?t ?g LIMIT {int(limit)}", union_default_graph=False)
        out = []
        for r in rows:  # type: ignore[union-attr]
            out.append(Header(r["g"].value[len(self.graph_prefix):], r["t"].value,  # type: ignore[index,union-attr]
                              "deleted" in r, r["genre"].value if "genre" in r else None,  # type: ignore[index,union-attr,operator]
                              r["type"].value if "type" in r else None))  # type: ignore[index,union-attr,operator]
        return out

    def count(self, set_spec: str | None, from_: str | None, until: str | None) -> int:
        rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {self._where(set_spec, from_, until, None)}",
                                union_default_graph=False)
        return int(rows[0]["n"].value)  # type: ignore[index,union-attr]

    def header(self, object_id: str) -> Header | None:
        """One object's header, live or withdrawn, or None if the id was never here."""
        if not re.fullmatch(r"[a-z0-9]+-[a-z0-9-]+", object_id):
            return None
        rows = self.store.query(
            f"SELECT ?g ?t ?deleted ?genre ?type WHERE {self._where(None, None, None, None, object_id)}",
            union_default_graph=False)
        if not rows:
            return None
        r = rows[0]  # type: ignore[index]
        return Header(object_id, r["t"].value, "deleted" in r, r["genre"].value if "genre" in r else None,  # type: ignore[index,union-attr,operator]
                      r["type"].value if "type" in r else None)  # type: ignore[index,union-attr,operator]

    def earliest(self) -> str:
        rows = self.store.query(f"SELECT (MIN(?t) AS ?m) WHERE {self._where(None, None, None, None)}",
                                union_default_graph=False)
        m = rows[0].get("m") if rows else None  # type: ignore[union-attr]
        return utc(m.value) if m is not None else "1970-01-01T00:00:00Z"  # type: ignore[union-attr]

    def sets(self) -> list[tuple[str, str]]:
        """(setSpec, setName) for every provider, genre and type present, after the three top-level sets."""
        out = [("provider", "By provider (library, archive or aggregator)"), ("genre", "By genre"),
               ("type", "By Europeana type (TEXT, IMAGE, SOUND, VIDEO, 3D)")]
        providers = self.store.query(
            f"SELECT ?key (SAMPLE(?name) AS ?n) WHERE {{ ?a <{NS.edm.aggregatedCHO.value}> ?c ; "
            f"<{NS.edm.dataProvider.value}> ?name . "
            'BIND(STRBEFORE(STRAFTER(STR(?c), "/id/"), "-") AS ?key) } GROUP BY ?key ORDER BY ?key')
        out += [(f"provider:{r['key'].value}", r["n"].value) for r in providers]  # type: ignore[index,union-attr]
        genres = self.store.query(f"SELECT DISTINCT ?v WHERE {{ ?c a <{NS.edm.ProvidedCHO.value}> ; "
                                  f"<{NS.dc.type.value}> ?v }} ORDER BY ?v")
        seen: dict[str, str] = {}
        for r in genres:  # type: ignore[union-attr]
            seen.setdefault(genre_key(r["v"].value), r["v"].value)  # type: ignore[index,union-attr]
        out += [(f"genre:{k}", v) for k, v in sorted(seen.items())]
        types = self.store.query(f"SELECT DISTINCT ?v WHERE {{ ?c a <{NS.edm.ProvidedCHO.value}> ; "
                                 f"<{NS.edm.type.value}> ?v }} ORDER BY ?v")
        out += [(f"type:{r['v'].value}", r["v"].value) for r in types]  # type: ignore[index,union-attr]
        return out
