"""SPARQL 1.1 Protocol pieces shared by the endpoint and its query workers.

The parent process negotiates the format and builds a `Job`; a worker
evaluates it (embedded pyoxigraph store or a remote SPARQL server) and
returns an `Answer` of serialised bytes. Results are capped without ever
being cut silently: SELECT rows are written as TSV through a writer that
stops the serializer one row past the cap (so evaluation stops too), then
re-serialised by pyoxigraph in the format asked for. Only pyoxigraph
writes result and RDF syntax. `worker_main` is the worker process's loop.
"""
from __future__ import annotations

import ctypes
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any, Union

import pyoxigraph as ox
from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Triple

from ontology.errors import BadRequest, MerosError, QueryError, StoreError
from ontology.vocab import PREFIXES

# format name → (media type, pyoxigraph format)
RESULT_FORMATS: dict[str, tuple[str, QueryResultsFormat]] = {
    "json": ("application/sparql-results+json", QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", QueryResultsFormat.XML),
    "csv": ("text/csv", QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", QueryResultsFormat.TSV),
}
GRAPH_FORMATS: dict[str, tuple[str, RdfFormat]] = {
    "ttl": ("text/turtle", RdfFormat.TURTLE),
    "nt": ("application/n-triples", RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", RdfFormat.JSON_LD),
    "rdf": ("application/rdf+xml", RdfFormat.RDF_XML),
}
# Media types clients also send, mapped to our names; the first of each table is the default.
RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
GRAPH_ALIASES = {"application/x-turtle": "ttl", "text/n3": "ttl", "text/plain": "nt", "application/json": "jsonld",
                 "application/xml": "rdf", "text/xml": "rdf"}

Result = Union[QuerySolutions, QueryBoolean, Iterable[Triple]]
Location = tuple[str, ...]  # ("embedded", path, generation) or ("remote", query_url, union_param, timeout)


class NotAcceptable(MerosError):
    status = 406


@dataclass(frozen=True)
class Job:
    """One query as the worker runs it."""

    query: str
    format: str  # a key of RESULT_FORMATS or GRAPH_FORMATS
    is_graph: bool  # CONSTRUCT/DESCRIBE
    max_rows: int
    union: bool = True  # the named graphs' union as the default graph (off when the query or request names a dataset)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def explicit_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    rows: int  # solutions, or triples for CONSTRUCT/DESCRIBE, or 1 for ASK
    truncated: bool = False
    notes: tuple[str, ...] = field(default=())


def media_type(fmt: str) -> str:
    return (RESULT_FORMATS.get(fmt) or GRAPH_FORMATS[fmt])[0]


def negotiate(is_graph: bool, accept: Iterable[tuple[str, float]], format_param: str | None = None) -> str:
    """Our format name from `?format=` (which wins) or the Accept header's (media type, quality) pairs."""
    table, aliases = (GRAPH_FORMATS, GRAPH_ALIASES) if is_graph else (RESULT_FORMATS, RESULT_ALIASES)
    form = "CONSTRUCT/DESCRIBE" if is_graph else "SELECT/ASK"
    if format_param:
        name = format_param.strip().lower()
        if name in table:
            return name
        by_media = {mt: n for n, (mt, _) in table.items()} | aliases
        if name in by_media:
            return by_media[name]
        if name in RESULT_FORMATS or name in GRAPH_FORMATS:
            raise NotAcceptable(f"A {form} query cannot answer in format={name!r}; use one of {', '.join(table)}.")
        raise BadRequest(f"Unknown format={format_param!r}; valid: {', '.join([*RESULT_FORMATS, *GRAPH_FORMATS])}.")
    offers = {mt: n for n, (mt, _) in table.items()} | aliases
    best: tuple[float, int, str] | None = None
    for position, (mt, quality) in enumerate(accept):
        mt = mt.split(";")[0].strip().lower()
        if quality <= 0:
            continue
        if mt in ("*/*", "") or (mt.endswith("/*") and any(o.startswith(mt[:-1]) for o in offers)):
            name = next(iter(table)) if mt in ("*/*", "") else next(n for o, n in offers.items() if o.startswith(mt[:-1]))
        elif mt in offers:
            name = offers[mt]
        else:
            continue
        rank = (quality, -position, name)
        if best is None or rank[:2] > best[:2]:
            best = rank
    if best is None:
        if not any(True for _ in accept):
            return next(iter(table))
        valid = ", ".join(mt for mt, _ in table.values())
        raise NotAcceptable(f"None of the accepted media types fits a {form} query; it can answer in {valid} "
                            f"(or ?format={'|'.join(table)}).")
    return best[2]


class _Full(Exception):
    """Raised by the capped writer to stop pyoxigraph's serializer (and so the evaluation)."""


class _LineCap:
    """A file-like sink that keeps at most `limit` lines and raises _Full when a line more arrives."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.lines = 0

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        self.lines += chunk.count(b"\n")
        if self.lines > self.limit:
            raise _Full
        return len(chunk)

    def flush(self) -> None:
        return None

    def head(self) -> bytes:
        """The first `limit` complete lines."""
        end, count = 0, 0
        while count < self.limit:
            nxt = self.data.find(b"\n", end)
            if nxt < 0:
                break
            end, count = nxt + 1, count + 1
        return bytes(self.data[:end])


def _prefixes_for(fmt: str) -> dict[str, str] | None:
    return None if fmt == "nt" else PREFIXES


def serialise(result: Result, job: Job) -> Answer:
    """The result in the job's format, at most `max_rows` rows (or triples), truncation flagged."""
    if isinstance(result, QueryBoolean):
        mt, fmt = RESULT_FORMATS[job.format]
        return Answer(result.serialize(format=fmt), mt, 1)
    if isinstance(result, QuerySolutions):
        sink = _LineCap(job.max_rows + 1)  # the header line and max_rows rows
        truncated = False
        try:
            result.serialize(sink, format=QueryResultsFormat.TSV)
        except _Full:
            truncated = True
        tsv = sink.head() if truncated else bytes(sink.data)
        rows = max(tsv.count(b"\n") - 1, 0)
        mt, fmt = RESULT_FORMATS[job.format]
        body = tsv if job.format == "tsv" else ox.parse_query_results(tsv, QueryResultsFormat.TSV).serialize(format=fmt)
        return Answer(body, mt, rows, truncated)
    mt, rdf = GRAPH_FORMATS[job.format]
    triples = list(islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    del triples[job.max_rows:]
    return Answer(ox.serialize(triples, format=rdf, prefixes=_prefixes_for(job.format)), mt, len(triples), truncated)


def _iris(values: Iterable[str]) -> list[NamedNode]:
    out = []
    for value in values:
        try:
            out.append(NamedNode(value))
        except ValueError:
            raise BadRequest(f"{value!r} is not an IRI (default-graph-uri / named-graph-uri)") from None
    return out


class EmbeddedEngine:
    """A read-only pyoxigraph store opened by one worker."""

    def __init__(self, path: str) -> None:
        try:
            self.store = ox.Store.read_only(path)
        except (OSError, RuntimeError) as e:
            raise StoreError(f"The query worker cannot open the store snapshot at {path}: {e}") from None

    def evaluate(self, job: Job) -> Result:
        kwargs: dict[str, object] = {}
        if job.explicit_dataset:
            kwargs["default_graph"] = _iris(job.default_graphs)
            kwargs["named_graphs"] = _iris(job.named_graphs)
        else:
            kwargs["use_default_graph_as_union"] = job.union
        return self.store.query(job.query, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        del self.store


class _Tail:
    """A response body read by the parser, keeping its last bytes for the error message if it was cut."""

    def __init__(self, raw: Any) -> None:
        self.raw, self.tail = raw, b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.tail = (self.tail + chunk)[-120:]
        return chunk  # type: ignore[no-any-return]

    def ending(self) -> str:
        return (self.tail + self.raw.read(200))[-120:].decode("utf-8", "replace")


class RemoteEngine:
    """A SPARQL 1.1 Protocol server, read as a stream and parsed to the end: a cut body is an error."""

    def __init__(self, query_url: str, union_param: str | None, timeout: float) -> None:
        import requests  # only remote workers pay for it (60 ms of start-up)

        self.query_url, self.union_param, self.timeout = query_url, union_param, timeout
        self.session = requests.Session()
        self._open: list[Any] = []
        self.body: _Tail | None = None

    def evaluate(self, job: Job) -> Result:
        params: list[tuple[str, str]] = [("default-graph-uri", g) for g in job.default_graphs]
        params += [("named-graph-uri", g) for g in job.named_graphs]
        if job.union and not job.explicit_dataset and self.union_param:
            params.append((self.union_param, "true"))
        accept = "application/n-triples" if job.is_graph else "application/sparql-results+json"
        import requests

        try:
            resp = self.session.post(self.query_url, params=params, data=job.query.encode("utf-8"), stream=True,
                                     timeout=self.timeout,
                                     headers={"Content-Type": "application/sparql-query", "Accept": accept})
        except requests.RequestException as e:
            raise StoreError(f"Cannot reach the SPARQL store at {self.query_url}: {e}") from None
        self._open.append(resp)
        if resp.status_code in (400, 406):
            raise QueryError(resp.text.strip()[:1000] or "The SPARQL store refused the query.", status=resp.status_code)
        if resp.status_code != 200:
            raise StoreError(f"The SPARQL store at {self.query_url} answered {resp.status_code}: "
                             f"{resp.text.strip()[:300]}")
        resp.raw.decode_content = True
        self.body = _Tail(resp.raw)
        if job.is_graph:
            return (q.triple for q in ox.parse(self.body, RdfFormat.N_TRIPLES))
        return ox.parse_query_results(self.body, QueryResultsFormat.JSON)

    def done(self) -> None:
        for resp in self._open:
            resp.close()
        self._open.clear()

    def close(self) -> None:
        self.done()
        self.session.close()


def execute(engine: EmbeddedEngine | RemoteEngine, job: Job) -> Answer:
    """Evaluate and serialise; engine errors become our errors with the parser's own message."""
    try:
        return serialise(engine.evaluate(job), job)
    except MerosError:
        raise
    except SyntaxError as e:
        if isinstance(engine, RemoteEngine):  # the body did not parse: cut short (e.g. the server's own timeout)
            ending = engine.body.ending() if engine.body is not None else ""
            raise StoreError(f"The SPARQL store's answer was incomplete or garbled ({e}); it ends with {ending!r}. "
                             "Nothing was returned. The store may have hit its own time limit "
                             "(oxigraph serve --timeout-s).") from None
        raise QueryError(f"Malformed SPARQL: {e}") from None
    except OSError as e:  # requests' errors are OSErrors too
        if isinstance(engine, RemoteEngine):
            raise StoreError(f"The SPARQL store's answer was cut short ({e}); nothing was returned.") from None
        if "HTTP" in str(e).upper():  # a SERVICE an operator allowed could not be fetched
            raise QueryError(f"The query cannot be evaluated: {e}") from None
        raise StoreError(f"The store failed while evaluating the query: {e}") from None
    except (RuntimeError, ValueError, TypeError) as e:
        raise QueryError(f"The query cannot be evaluated: {e}") from None
    finally:
        if isinstance(engine, RemoteEngine):
            engine.done()


def rows_of(answer: Answer) -> Iterator[dict[str, object]]:
    """An answer's solutions as dicts of pyoxigraph terms (for the HTML result table)."""
    fmt = next((f for mt, f in RESULT_FORMATS.values() if mt == answer.media_type), None)
    if fmt is None:
        for t in ox.parse(answer.body, next(f for mt, f in GRAPH_FORMATS.values() if mt == answer.media_type)):
            yield {"subject": t.subject, "predicate": t.predicate, "object": t.object}
        return
    result = ox.parse_query_results(answer.body, fmt)
    if isinstance(result, QueryBoolean):
        yield {"boolean": ox.Literal(str(bool(result)).lower())}
        return
    names = [v.value for v in result.variables]
    for row in result:
        yield {n: row[n] for n in names}


# -- the worker process (started by sparql.pool) ------------------------------------------------------------
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def drop_network() -> bool:
    """Move this (single-threaded, freshly forked) process into an empty network namespace; False if refused."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def open_engine(location: Location) -> EmbeddedEngine | RemoteEngine:
    if location[0] == "remote":
        return RemoteEngine(location[1], location[2] or None, float(location[3]))
    return EmbeddedEngine(location[1])


def limit_memory(megabytes: int) -> None:
    """Cap the heap (RLIMIT_DATA): a query that needs more aborts its own worker, not the machine."""
    if megabytes > 0:
        import resource

        cap = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def worker_main(read_fd: int, write_fd: int, sandbox: bool, memory_mb: int = 0) -> None:
    """Serve jobs until told to stop (None) or the pipe closes; every failure is answered, never raised."""
    isolated = drop_network() if sandbox else False
    limit_memory(memory_mb)
    inbox, outbox = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    outbox.send(("ready", os.getpid(), isolated))
    engine: EmbeddedEngine | RemoteEngine | None = None
    opened: Location | None = None
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        location, job = message
        try:
            if location != opened:
                if engine is not None:
                    engine.close()
                    engine = None
                engine = open_engine(location)
                opened = location
            reply: tuple[object, ...] = ("ok", execute(engine, job))
        except MerosError as e:
            reply = ("error", e.status, e.message)
        except Exception as e:  # noqa: BLE001 - the parent turns it into a 500 with the message
            reply = ("error", 500, f"The query worker failed: {type(e).__name__}: {e}")
        try:
            outbox.send(reply)
        except OSError:
            break
    if engine is not None:
        engine.close()
    inbox.close()
    outbox.close()
