"""The embedded backend: a pyoxigraph (RocksDB) store in a local directory.

RocksDB lets one process open the directory read-write; read-only opens beside
it see a snapshot taken when they open. pyoxigraph releases the GIL while it
evaluates a query, so one process can open the store once and serve threads.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pyoxigraph as ox
from pyoxigraph import BlankNode, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Triple

from ontology.errors import ConfigError, QueryError, StoreError, StoreLockedError
from sparql.store import Capabilities, QueryResult, Store, nquads_calls

# The result format names of the Store interface, shared with the remote backend.
RESULTS_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    "nt": RdfFormat.N_TRIPLES,
    "ttl": RdfFormat.TURTLE,
    "jsonld": RdfFormat.JSON_LD,
    "rdf": RdfFormat.RDF_XML,
}

T = TypeVar("T")


def check_format(result_format: str, is_graph: bool) -> QueryResultsFormat | RdfFormat:
    """The pyoxigraph format for a format name; 400 if unknown, 406 if it does not fit the query form."""
    if result_format not in RESULTS_FORMATS and result_format not in GRAPH_FORMATS:
        valid = ", ".join([*RESULTS_FORMATS, *GRAPH_FORMATS])
        raise QueryError(f"unknown result format {result_format!r}; valid: {valid}")
    table = GRAPH_FORMATS if is_graph else RESULTS_FORMATS
    if result_format not in table:
        form, valid = ("CONSTRUCT/DESCRIBE", GRAPH_FORMATS) if is_graph else ("SELECT/ASK", RESULTS_FORMATS)
        raise QueryError(f"a {form} query cannot answer in {result_format!r}; use one of {', '.join(valid)}",
                         status=406)
    return table[result_format]


def solutions_to_rows(solutions: QuerySolutions) -> list[dict[str, object]]:
    """One dict per row, variable name → term, unbound variables left out."""
    names = [v.value for v in solutions.variables]
    return [{n: t for n, t in zip(names, row) if t is not None} for row in solutions]


def materialise(result: QuerySolutions | QueryBoolean | ox.QueryTriples) -> QueryResult:
    """The interface's plain Python answer: rows, a bool, or a list of triples (consumes the lazy result)."""
    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QuerySolutions):
        return solutions_to_rows(result)
    return list(result)


def _blank(t: Triple) -> bool:
    return isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode)


def _fresh_blank_nodes(triples: Iterable[Triple]) -> list[Triple]:
    """New blank node ids for one graph: INSERT DATA would merge a label that two graphs of the batch share."""
    fresh: dict[BlankNode, BlankNode] = {}

    def swap(term: object) -> object:
        if isinstance(term, BlankNode):
            if term not in fresh:
                fresh[term] = BlankNode()
            return fresh[term]
        return term

    return [Triple(swap(t.subject), t.predicate, swap(t.object)) for t in triples]  # type: ignore[arg-type]


def _block(graph: NamedNode, triples: list[Triple]) -> str:
    # N-Triples lines are valid SPARQL triples, and pyoxigraph writes them in Rust.
    return f"GRAPH {graph} {{\n{ox.serialize(triples, format=RdfFormat.N_TRIPLES).decode('utf-8')}}}\n"


def replace_update(store: ox.Store, graphs: Mapping[NamedNode, Iterable[Triple]]) -> str:
    """One SPARQL update turning each graph's current content into the new one: oxigraph runs it as one transaction.

    Only the difference is written (a re-harvest mostly changes nothing), except
    triples with blank nodes, which cannot be named in DELETE DATA: those are all
    rewritten, with blank nodes scoped to their graph as a Graph Store PUT does.
    An empty new graph drops the graph.
    """
    deletes: list[str] = []
    blank_deletes: list[str] = []
    inserts: list[str] = []
    for graph, triples in graphs.items():
        if not isinstance(graph, NamedNode):
            raise TypeError(f"graph names are NamedNode, not {type(graph).__name__}")
        new = set(triples)
        old = {q.triple for q in store.quads_for_pattern(None, None, None, graph)}
        if not new:
            blank_deletes.append(f"DROP SILENT GRAPH {graph} ;\n")
            continue
        removed = [t for t in old - new if not _blank(t)]
        added = [t for t in new if not _blank(t) and t not in old]
        added += _fresh_blank_nodes(t for t in new if _blank(t))
        if removed:
            deletes.append(_block(graph, removed))
        if any(_blank(t) for t in old):
            blank_deletes.append(f"DELETE {{ GRAPH {graph} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} "
                                 "{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } } ;\n")
        if added:
            inserts.append(_block(graph, added))
    return (("DELETE DATA {\n" + "".join(deletes) + "} ;\n" if deletes else "") + "".join(blank_deletes)
            + ("INSERT DATA {\n" + "".join(inserts) + "}\n" if inserts else ""))


def path_of(location: str) -> Path:
    """A directory from a path or a `file:` URL (`file:///abs/dir`, `file:rel/dir`)."""
    if location.startswith("file:"):
        parts = urlsplit(location)
        if parts.netloc not in ("", "localhost"):
            raise ConfigError(f"MEROS_STORE={location!r}: a file: URL must name a local directory")
        return Path(url2pathname(parts.path)).expanduser()
    return Path(location).expanduser()


def locked_message(path: Path, same_process: bool) -> str:
    if same_process:
        return (f"The store at {path} is already open read-write in this process; "
                "open it once and share the Store object.")
    return (f"The store at {path} is held read-write by another process "
            "(probably a running `meros serve` or `meros demo`). "
            "Stop that server and try again, or use a remote store that several processes can share "
            "(MEROS_STORE=http://host:7878/, e.g. `oxigraph serve --location DIR`).")


class EmbeddedStore(Store):
    """pyoxigraph on disk. Replacing graphs is one atomic update for the whole batch."""

    def __init__(self, location: str, *, read_only: bool = False) -> None:
        self.path = path_of(location)
        self.read_only = read_only
        self.capabilities = Capabilities(transactions=True, read_only_snapshots=True, remote=False)
        self._write_lock = threading.Lock()
        self._store: ox.Store | None = self._open()

    def _open(self) -> ox.Store:
        path = self.path
        try:
            if self.read_only:
                if not (path / "CURRENT").is_file():
                    raise StoreError(f"There is no store at {path} to open read-only "
                                     "(create it with `meros load` or `meros demo`).")
                return ox.Store.read_only(str(path))
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        except OSError as e:
            text = str(e)
            if "LOCK" in text:  # RocksDB: "While lock file: DIR/LOCK: …", "lock hold by current process … DIR/LOCK"
                raise StoreLockedError(locked_message(path, "current process" in text)) from None
            raise StoreError(f"Cannot open the store at {path}: {text}") from None
        except RuntimeError as e:  # RocksDB "Corruption", e.g. a read-only open while the writer compacts
            raise StoreError(f"Cannot open the store at {path}: {e}; retry, or open a snapshot (Store.backup).") \
                from None

    def _live(self, write: bool = False) -> ox.Store:
        if self._store is None:
            raise StoreError(f"The store at {self.path} is closed.")
        if write and self.read_only:
            raise StoreError(f"The store at {self.path} is open read-only; writes need the read-write open.")
        return self._store

    def _run(self, action: Callable[[], T]) -> T:
        """Map the engine's errors to ours; pyoxigraph evaluates lazily, so `action` must consume the result."""
        try:
            return action()
        except SyntaxError as e:
            raise QueryError(f"Malformed SPARQL: {e}") from None
        except OSError as e:
            raise StoreError(f"The store at {self.path} failed: {e}") from None
        except (RuntimeError, ValueError) as e:
            raise QueryError(f"The query cannot be evaluated: {e}") from None

    def query(self, sparql: str, *, union_default_graph: bool = True) -> QueryResult:
        store = self._live()
        return self._run(lambda: materialise(store.query(sparql, use_default_graph_as_union=union_default_graph)))

    def query_raw(self, sparql: str, result_format: str, *, union_default_graph: bool = True) -> bytes:
        store = self._live()

        def serialise() -> bytes:
            result = store.query(sparql, use_default_graph_as_union=union_default_graph)
            fmt = check_format(result_format, is_graph=isinstance(result, ox.QueryTriples))
            return result.serialize(format=fmt)  # type: ignore[arg-type]

        return self._run(serialise)

    def replace_graphs(self, graphs: Mapping[NamedNode, Iterable[Triple]]) -> None:
        """The whole batch in one update; the lock keeps the read of the old content and the write together."""
        store = self._live(write=True)
        with self._write_lock:
            update = self._run(lambda: replace_update(store, graphs))
            if update:
                self._run(lambda: store.update(update))

    def delete_graph(self, graph: NamedNode) -> None:
        store = self._live(write=True)
        with self._write_lock:
            self._run(lambda: store.update(f"DROP SILENT GRAPH {graph}"))

    def bulk_load_nquads(self, parts: Iterable[bytes]) -> None:
        """The bulk loader parses serialised N-Quads (about 20% faster than `bulk_extend` on Python quads).

        It releases the GIL while it works, so a loader can map the next batch meanwhile.
        """
        store = self._live(write=True)

        def load(body: bytes) -> None:
            try:
                store.bulk_load(body, RdfFormat.N_QUADS, lenient=True)  # our own output: lenient
            except SyntaxError as exc:  # the data's, not a query's
                raise StoreError(f"The store at {self.path} failed to bulk-load N-Quads: {exc}") from None

        for body in nquads_calls(parts, self.bulk_chunk):  # ~20 MB a call bounds the loader's memory
            self._run(partial(load, body))

    def optimize(self) -> None:
        """RocksDB's full compaction: the bulk loader leaves hundreds of overlapping files, and every read
        then looks in each (at a million objects, reading them all for the search index took 2.5× longer)."""
        store = self._live(write=True)
        with self._write_lock:
            self._run(store.optimize)

    def count(self, graph: NamedNode | None = None) -> int:
        store = self._live()
        if graph is None:
            return self._run(lambda: len(store))
        query = f"SELECT (COUNT(*) AS ?c) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        rows = self._run(lambda: materialise(store.query(query)))
        return int(rows[0]["c"].value)  # type: ignore[index,union-attr]

    def graphs(self) -> list[NamedNode]:
        store = self._live()
        found = self._run(lambda: [g for g in store.named_graphs() if isinstance(g, NamedNode)])
        return sorted(found, key=lambda g: g.value)

    def close(self) -> None:
        """Flush and let RocksDB release its files and lock (pyoxigraph closes on drop); safe to call twice."""
        store, self._store = self._store, None
        if store is not None and not self.read_only:
            try:
                store.flush()
            except (OSError, RuntimeError) as e:
                raise StoreError(f"Could not flush the store at {self.path}: {e}") from None

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r}, read_only={self.read_only})"
