"""The remote backend: any SPARQL 1.1 Protocol + Graph Store Protocol server.

Several processes (gunicorn workers, a loader beside the server) can share
one remote store, which the embedded RocksDB store cannot allow. Answers are
parsed with pyoxigraph, so callers get the same terms as from the embedded
backend. A result body that does not parse to the end is an error, never a
short answer: Oxigraph server answers 200 and then appends "The SPARQL
operation has been cancelled" to the body when it hits its `--timeout-s`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
import requests
from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, Triple

from ontology.errors import QueryError, StoreError
from sparql.embedded import GRAPH_FORMATS, RESULTS_FORMATS, check_format, materialise
from sparql.store import Capabilities, QueryResult, Store, nquads_calls

# Formats `query()` asks for: both forms in one Accept, the answer's Content-Type says which it was.
QUERY_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.5"
MEDIA_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "nt": "application/n-triples",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


class RemoteStore(Store):
    """A store behind HTTP at `location` (the base URL, e.g. `http://127.0.0.1:7878/`).

    The endpoint layout defaults to Oxigraph server's: `{base}query`,
    `{base}update`, `{base}store`. Override with keyword arguments for other
    servers, e.g. Fuseki: `query_url=base+"ds/query"`, `update_url=base+"ds/update"`,
    `store_url=base+"ds/data"`.

    - `timeout` (seconds, default 30): connect and read timeout of each request;
      the read timeout is the longest silence, not a limit on the whole answer.
    - `union_param` (default "union-default-graph", Oxigraph's query parameter):
      sent when a query asks for the union default graph. Other servers do not
      know it: pass None and configure the union on the server (Fuseki:
      `tdb2:unionDefaultGraph true`); the default graph is then whatever the
      server makes it, whatever `union_default_graph` says. An Oxigraph server
      started with `--union-default-graph` always answers with the union.
    - `chunk_size` (default 50 000): quads per `bulk_load` request.
    - `fast_bulk` (default True): `bulk_load` asks an Oxigraph server to skip
      its transaction and validation (`?no_transaction&lenient`, ~1.6x faster);
      other servers ignore unknown parameters or may refuse them: pass False.

    `replace_graphs` PUTs one graph at a time: each graph is replaced
    atomically by the server, the batch as a whole is not.
    """

    def __init__(
        self,
        location: str,
        *,
        read_only: bool = False,
        query_url: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 30.0,
        union_param: str | None = "union-default-graph",
        chunk_size: int = 50_000,
        fast_bulk: bool = True,
    ) -> None:
        self.base = location if location.endswith("/") else location + "/"
        self.query_url = query_url or self.base + "query"
        self.update_url = update_url or self.base + "update"
        self.store_url = store_url or self.base + "store"
        self.read_only = read_only
        self.timeout = timeout
        self.union_param = union_param
        self.bulk_chunk = chunk_size
        self.bulk_params = {"no_transaction": "", "lenient": ""} if fast_bulk else None
        self.capabilities = Capabilities(transactions=False, read_only_snapshots=False, remote=True)
        self._session: requests.Session | None = requests.Session()

    # -- HTTP --------------------------------------------------------------
    def _request(
        self, method: str, url: str, *, ok: tuple[int, ...] = (200, 201, 204), **kwargs: object
    ) -> requests.Response:
        if self._session is None:
            raise StoreError(f"The remote store at {self.base} is closed.")
        try:
            resp = self._session.request(method, url, timeout=self.timeout, **kwargs)  # type: ignore[arg-type]
        except requests.Timeout:
            raise StoreError(f"The SPARQL store at {url} did not answer within {self.timeout:g} s.") from None
        except requests.ConnectionError as e:
            raise StoreError(f"Cannot reach the SPARQL store at {url}: {_reason(e)}. Is the server running?") from None
        except requests.RequestException as e:  # e.g. a chunked body cut short
            raise StoreError(f"The answer of the SPARQL store at {url} was incomplete ({_reason(e)}).") from None
        if resp.status_code in ok:
            return resp
        text = resp.text.strip()[:500]
        if resp.status_code in (400, 406) and url == self.query_url:
            raise QueryError(text or f"The SPARQL store at {url} refused the query.", status=resp.status_code)
        raise StoreError(f"The SPARQL store at {url} answered {resp.status_code} {resp.reason}: {text}")

    def _query(self, sparql: str, accept: str, union_default_graph: bool) -> requests.Response:
        params = {self.union_param: "true"} if union_default_graph and self.union_param else None
        return self._request(
            "POST", self.query_url, params=params, data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": accept},
        )

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"The remote store at {self.base} was opened read-only.")

    def _incomplete(self, resp: requests.Response, error: Exception) -> StoreError:
        tail = resp.content[-80:].decode("utf-8", "replace")
        return StoreError(
            f"The result from {resp.url} was incomplete or garbled ({error}); it ends with {tail!r}. "
            "Nothing was returned. The server may have hit its own time limit (oxigraph serve --timeout-s)."
        )

    # -- reading ---------------------------------------------------------
    def query(self, sparql: str, *, union_default_graph: bool = True) -> QueryResult:
        resp = self._query(sparql, QUERY_ACCEPT, union_default_graph)
        media = _media_type(resp)
        try:
            results_format = QueryResultsFormat.from_media_type(media)
            if results_format is not None:
                return materialise(ox.parse_query_results(resp.content, results_format))
            rdf_format = RdfFormat.from_media_type(media)
            if rdf_format is not None:
                return [q.triple for q in ox.parse(resp.content, rdf_format)]
        except (SyntaxError, ValueError) as e:
            raise self._incomplete(resp, e) from None
        raise StoreError(f"The SPARQL store at {resp.url} answered in an unexpected format {media!r}.")

    def query_raw(self, sparql: str, result_format: str, *, union_default_graph: bool = True) -> bytes:
        check_format(result_format, is_graph=result_format in GRAPH_FORMATS)  # 400 for an unknown name
        wanted = MEDIA_TYPES[result_format]
        resp = self._query(sparql, wanted, union_default_graph)
        if _media_type(resp) != wanted:
            raise StoreError(f"The SPARQL store at {resp.url} answered {_media_type(resp)!r}, not {wanted!r}.")
        self._check_complete(resp, result_format)
        return resp.content

    def _check_complete(self, resp: requests.Response, result_format: str) -> None:
        """Parse the body to its end (fast, in Rust); CSV has no parser, so it must end a line or be a boolean."""
        body = resp.content
        try:
            if result_format == "csv":
                if body.strip() not in (b"true", b"false") and body and not body.endswith(b"\n"):
                    raise ValueError("the last line is cut")
            elif result_format in RESULTS_FORMATS:
                result = ox.parse_query_results(body, RESULTS_FORMATS[result_format])
                if isinstance(result, ox.QuerySolutions):
                    for _ in result:
                        pass
            else:
                for _ in ox.parse(body, GRAPH_FORMATS[result_format]):
                    pass
        except (SyntaxError, ValueError) as e:
            raise self._incomplete(resp, e) from None

    def count(self, graph: NamedNode | None = None) -> int:
        everything = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        where = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph is not None else everything
        rows = self.query(f"SELECT (COUNT(*) AS ?c) WHERE {{ {where} }}", union_default_graph=False)
        return int(rows[0]["c"].value)  # type: ignore[index,union-attr,call-overload]

    def graphs(self) -> list[NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union_default_graph=False)
        found = [row["g"] for row in rows if isinstance(row.get("g"), NamedNode)]  # type: ignore[union-attr]
        return sorted(found, key=lambda g: g.value)  # type: ignore[union-attr]

    # -- writing ---------------------------------------------------------
    def replace_graphs(self, graphs: Mapping[NamedNode, Iterable[Triple]]) -> None:
        """Graph Store Protocol PUT per graph; no triples means the graph is deleted."""
        self._writable()
        for graph in graphs:
            if not isinstance(graph, NamedNode):
                raise TypeError(f"graph names are NamedNode, not {type(graph).__name__}")
        for graph, triples in graphs.items():
            body = ox.serialize(triples, format=RdfFormat.N_TRIPLES)
            if not body:
                self.delete_graph(graph)
                continue
            self._request("PUT", self.store_url, params={"graph": graph.value}, data=body,
                          headers={"Content-Type": "application/n-triples"})

    def delete_graph(self, graph: NamedNode) -> None:
        self._writable()
        self._request("DELETE", self.store_url, params={"graph": graph.value}, ok=(200, 204, 404))

    def bulk_load_nquads(self, parts: Iterable[bytes]) -> None:
        """POST N-Quads to the store endpoint in chunks; re-run to repair an interrupted load."""
        self._writable()
        for body in nquads_calls(parts, self.bulk_chunk):
            self._request("POST", self.store_url, params=self.bulk_params, data=body,
                          headers={"Content-Type": "application/n-quads"})

    def update(self, sparql_update: str) -> None:
        """Send a SPARQL update (for operators and tests; not part of the Store interface)."""
        self._writable()
        self._request("POST", self.update_url, data=sparql_update.encode("utf-8"),
                      headers={"Content-Type": "application/sparql-update"})

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def __repr__(self) -> str:
        return f"RemoteStore({self.base!r}, read_only={self.read_only})"


def _media_type(resp: requests.Response) -> str:
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _reason(error: Exception) -> str:
    """The innermost cause's message, without urllib3's object reprs."""
    while error.__context__ is not None and isinstance(error.__context__, Exception):
        error = error.__context__
    text = str(error.args[-1] if error.args else error)
    return text.split(": ", 1)[-1] if "object at 0x" in text else text
