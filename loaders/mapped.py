"""A record's graph as the load writes it: serialised once, hashed without its timestamp, and how to map it.

Worker processes (`loaders.parallel`) map with a `MapSpec` exactly as the
loading process would, and hand back `Mapped` graphs: text and hash only.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from ontology.errors import RecordError
from ontology.mapping import Statement, Uris, record_statements
from ontology.record import Record
from ontology.rights import Override, decide
from ontology.vocab import NS

from .base import Rejected


def content_hash(triples: list[Triple]) -> str:
    """Digest of a graph without its timestamp, independent of triple order."""
    return _hash_lines(serialize([t for t in triples if t.predicate != NS.prov.generatedAtTime],
                                 format=RdfFormat.N_TRIPLES) or b"")


def _hash_lines(ntriples: bytes) -> str:
    return hashlib.sha256(b"\n".join(sorted(ntriples.splitlines()))).hexdigest()


@dataclass
class Mapped:
    """One record's graph, ready for either write path: as N-Quads for the bulk loader (its lines without the
    graph are what the content hash digests), and as triples for the transactional replace.

    Worker processes map records too (`MapSpec`, `loaders.parallel`): what crosses back is the text alone,
    made there, so the loading process (whose bulk loader wants both cores) hands it on as it is; the triples
    are parsed from it again only if this graph takes the transactional path.
    """

    graph: NamedNode
    nquads: bytes  # every quad but the content hash
    hash: str
    source_url: str = ""
    _triples: list[Triple] | None = field(default=None, repr=False)

    @property
    def triples(self) -> list[Triple]:
        """The graph's triples, content hash excluded."""
        if self._triples is None:
            self._triples = [q.triple for q in parse(self.nquads, format=RdfFormat.N_QUADS)]
        return self._triples

    def stored_triples(self) -> list[Triple]:
        return [*self.triples, Triple(self.graph, NS.meros.contentHash, Literal(self.hash))]

    @property
    def ntriples(self) -> bytes:
        """The same without the graph: the text the content hash digests."""
        return self.nquads.replace(_in_graph(self.graph).encode(), b" .\n")

    def hash_nquad(self) -> bytes:
        g = self.graph.value
        return f'<{g}> <{NS.meros.contentHash.value}> "{self.hash}" <{g}> .\n'.encode()

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_triples": None}  # the text is enough: triples are remade on demand


# The predicates' N-Triples form: a few dozen, in every graph; a graph's statements share their subjects in runs.
_PREDICATE_TEXT: dict[NamedNode, str] = {}
_STAMP_TEXT = str(NS.prov.generatedAtTime)


def mapped(graph: NamedNode, statements: Sequence[Statement | Triple], source_url: str = "") -> Mapped:
    """Hash and serialise a freshly mapped graph (its timestamp is not part of the hash).

    Each line is the terms' own N-Triples form (pyoxigraph's, so byte for byte what
    `serialize` writes: the content hashes of stored graphs stay valid).
    """
    lines: list[str] = []
    stamped: list[str] = []
    last, subject = None, ""
    for s, p, o in statements:
        if s is not last:
            last, subject = s, str(s)
        predicate = _PREDICATE_TEXT.get(p)  # type: ignore[arg-type]
        if predicate is None:
            predicate = str(p)
            if len(_PREDICATE_TEXT) < 4096:
                _PREDICATE_TEXT[p] = predicate  # type: ignore[index]
        (stamped if predicate == _STAMP_TEXT else lines).append(f"{subject} {predicate} {o} .\n")
    # No line is the start of another, so the lines sort as they would without their newline
    digest = hashlib.sha256("".join(sorted(lines))[:-1].encode()).hexdigest()
    triples = list(statements) if statements and isinstance(statements[0], Triple) else None
    end = _in_graph(graph)
    nquads = (end.join([line[:-3] for line in lines + stamped]) + end).encode() if lines or stamped else b""
    return Mapped(graph, nquads, digest, source_url, triples)  # type: ignore[arg-type]


def _in_graph(graph: NamedNode) -> str:
    """A line's end in the graph: N-Triples ends every line, and only lines, with " .\n" (newlines in literals
    are escaped), so N-Quads are N-Triples with this instead."""
    return f" {graph} .\n"


@dataclass(frozen=True)
class MapSpec:
    """How a load maps records: all a worker process needs to map them exactly as the load would."""

    uris: Uris
    jurisdiction: str
    stamp: str  # prov:generatedAtTime of every graph of the load
    overrides: Mapping[str, Override] | None = None

    @staticmethod
    def of(uris: Uris, jurisdiction: str, now: datetime | None = None,
           overrides: Mapping[str, Override] | None = None) -> MapSpec:
        return MapSpec(uris, jurisdiction, (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       overrides)

    def graph(self, record: Record) -> tuple[NamedNode, list[Statement]]:
        return record_statements(record, decide(record, self.jurisdiction, overrides=self.overrides), self.uris,
                                 generated_at=self.stamp)

    def premap(self, item: Record | Rejected) -> Record | Rejected | Mapped:
        """A parsed item mapped ahead (in a worker); records with local scans stay records (the load copies them)."""
        if not isinstance(item, Record) or any(img.local_path for img in item.images):
            return item
        try:
            return mapped(*self.graph(item), item.source_url)
        except RecordError as exc:
            return Rejected(item.source_url, str(exc), repr(item))
