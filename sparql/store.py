"""The one `Store` interface and the registry that picks a backend from `MEROS_STORE`.

Backends register by URL scheme; an unknown scheme fails at start-up naming
the valid ones. Terms are pyoxigraph's (`NamedNode`, `Literal`, `BlankNode`,
`Quad`) whichever backend answers, so callers never see the difference.
"""
from __future__ import annotations

import abc
import importlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Union

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize

from ontology.errors import ConfigError

Solutions = list[dict[str, object]]  # SELECT: one dict per row, variable name → pyoxigraph term
QueryResult = Union[Solutions, bool, list[Triple]]


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, so callers ask instead of testing the class."""

    transactions: bool  # replace_graphs is atomic as a whole, not only per graph
    read_only_snapshots: bool  # can be opened read-only beside a writer (embedded)
    remote: bool  # queries cross a network: time limits must be enforced on our side too


def graph_chunks(quads: Iterable[Quad], size: int) -> Iterator[list[Quad]]:
    """Lists of about `size` quads, cut only where the graph changes: a load scopes blank nodes to one call."""
    chunk: list[Quad] = []
    for quad in quads:
        if len(chunk) >= size and quad.graph_name != chunk[-1].graph_name:
            yield chunk
            chunk = []
        chunk.append(quad)
    if chunk:
        yield chunk


def nquads_calls(parts: Iterable[bytes], size: int) -> Iterator[bytes]:
    """N-Quads parts joined into bodies of about `size` quads (lines), never splitting a part."""
    body: list[bytes] = []
    lines = 0
    for part in parts:
        if body and lines >= size:
            yield b"".join(body)
            body, lines = [], 0
        body.append(part)
        lines += part.count(b"\n")
    if body:
        yield b"".join(body)


class Store(abc.ABC):
    """An RDF quad store holding one named graph per object."""

    capabilities: Capabilities

    @abc.abstractmethod
    def query(self, sparql: str, *, union_default_graph: bool = True) -> QueryResult:
        """SELECT → list of rows; ASK → bool; CONSTRUCT/DESCRIBE → list of triples."""

    @abc.abstractmethod
    def query_raw(self, sparql: str, result_format: str, *, union_default_graph: bool = True) -> bytes:
        """Serialised results ('json', 'xml', 'csv', 'tsv' for SELECT/ASK; 'nt', 'ttl', 'jsonld', 'rdf' otherwise)."""

    @abc.abstractmethod
    def replace_graphs(self, graphs: Mapping[NamedNode, Iterable[Triple]]) -> None:
        """Replace each named graph's contents; each graph changes all at once, never half."""

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> None:
        self.replace_graphs({graph: triples})

    @abc.abstractmethod
    def delete_graph(self, graph: NamedNode) -> None:
        """Remove a named graph; removing one that does not exist is not an error."""

    bulk_chunk: int = 200_000  # quads per bulk-load call (or request)

    def bulk_load(self, quads: Iterable[Quad]) -> None:
        """Fast path for large first loads (not transactional: re-run to repair an interrupted one)."""
        self.bulk_load_nquads(serialize(chunk, format=RdfFormat.N_QUADS) or b""
                              for chunk in graph_chunks(quads, self.bulk_chunk))

    @abc.abstractmethod
    def bulk_load_nquads(self, parts: Iterable[bytes]) -> None:
        """`bulk_load` of N-Quads already serialised, each part whole graphs (see `nquads_calls`).

        The load path serialises in Rust once per graph and hashes the same
        bytes, so no Python `Quad` is made for a first load.
        """

    @abc.abstractmethod
    def count(self, graph: NamedNode | None = None) -> int:
        """Number of quads in one graph, or in the whole store."""

    @abc.abstractmethod
    def graphs(self) -> list[NamedNode]:
        """The named graphs in the store."""

    def optimize(self) -> None:
        """Compact after a large bulk load, so later reads are fast; the default (a server) does its own."""

    def close(self) -> None:
        """Release files or connections; the default has nothing to release."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# scheme → "module:Class"; imported lazily so a backend's dependencies load only when chosen.
BACKENDS: dict[str, str] = {
    "file": "sparql.embedded:EmbeddedStore",
    "http": "sparql.remote:RemoteStore",
    "https": "sparql.remote:RemoteStore",
}


def scheme_of(location: str) -> str:
    """'file' for a path (or file: URL), otherwise the URL's scheme."""
    if "://" not in location and not location.startswith("file:"):
        return "file"
    return location.split(":", 1)[0].lower()


def open_store(location: str, *, read_only: bool = False) -> Store:
    """Open the store named by `MEROS_STORE`: a directory path or an http(s):// SPARQL endpoint base."""
    scheme = scheme_of(location)
    target = BACKENDS.get(scheme)
    if target is None:
        valid = ", ".join(sorted({"a directory path", *(f"{s}://…" for s in BACKENDS if s != "file")}))
        raise ConfigError(f"MEROS_STORE={location!r}: unknown store scheme {scheme!r}; valid: {valid}")
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(location, read_only=read_only)
