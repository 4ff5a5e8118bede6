"""A real HTTP server on 127.0.0.1 replaying recorded responses, and helpers to run `meros load` against it.

Recordings live in tests/fixtures/recorded/<site>/ with a `routes.json`: each
route names a path, the query parameters it needs (a subset of the request's),
and the file to answer with (status, content type, headers, delay optional).
Every site is served under its own prefix (`http://127.0.0.1:PORT/oai/eur/…`),
so `--base-url` (or the OAI base URL) points a harvester at it and the
production code path runs unchanged. Tests add scripted answers for one route
(`replay.script(...)`: a 429 then success, a 500 twice then success, a slow
page) and read `replay.log` to see what the harvester asked for.
"""
from __future__ import annotations

import json
import mimetypes
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

RECORDED = Path(__file__).parents[1] / "fixtures" / "recorded"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"


@dataclass
class Route:
    site: str
    path: str
    query: dict[str, str]
    answers: list[dict[str, Any]]
    hits: int = 0

    def matches(self, path: str, query: dict[str, str]) -> bool:
        return path == self.path and all(query.get(k) == v for k, v in self.query.items())


@dataclass
class Hit:
    site: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float
    status: int


@dataclass
class ReplayServer:
    port: int = 0
    routes: dict[str, list[Route]] = field(default_factory=dict)
    scripted: list[Route] = field(default_factory=list)
    log: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def load(self) -> None:
        for table in sorted(RECORDED.rglob("routes.json")):
            site = table.parent.relative_to(RECORDED).as_posix()
            entries = json.loads(table.read_text(encoding="utf-8"))
            routes = [Route(site, e["path"], e.get("query", {}),
                            [{k: v for k, v in e.items() if k not in ("path", "query")}]) for e in entries]
            self.routes[site] = sorted(routes, key=lambda r: -len(r.query))  # the most specific first

    def url(self, site: str) -> str:
        return f"http://127.0.0.1:{self.port}/{site}"

    def script(self, site: str, path: str, query: dict[str, str], *answers: dict[str, Any]) -> None:
        """Answer this route with `answers` in turn (the last one repeats), before the recorded routes."""
        self.scripted.insert(0, Route(site, path, query, list(answers)))

    def reset(self) -> None:
        with self.lock:
            self.scripted.clear()
            self.log.clear()
            for routes in self.routes.values():
                for route in routes:
                    route.hits = 0

    def requests(self, site: str, path: str | None = None) -> list[Hit]:
        return [h for h in self.log if h.site == site and (path is None or h.path == path)]

    def answer(self, raw_path: str) -> tuple[str, str, dict[str, str], dict[str, Any] | None]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        site = max((s for s in self.routes if path.startswith(f"/{s}/")), key=len, default="")
        rest = path[len(site) + 1:] if site else path
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        with self.lock:
            for route in [r for r in self.scripted if r.site == site] + self.routes.get(site, []):
                if route.matches(rest, query):
                    answer = route.answers[min(route.hits, len(route.answers) - 1)]
                    route.hits += 1
                    return site, rest, query, answer
        return site, rest, query, None


class _Handler(BaseHTTPRequestHandler):
    server_version = "ReplayServer/1"
    protocol_version = "HTTP/1.1"
    replay: ReplayServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms Nagle stall a request

    def do_GET(self) -> None:  # noqa: N802
        site, path, query, answer = self.replay.answer(self.path)
        if answer is None:
            status, body, ctype, headers = 404, f"not recorded: {self.path}".encode(), "text/plain", {}
        else:
            status = int(answer.get("status", 200))
            if "file" in answer:
                base = MALFORMED if answer.get("malformed") else RECORDED / site
                file = base / answer["file"]
                body = file.read_bytes()
                guess = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                ctype = answer.get("content_type") or (guess + ("; charset=utf-8" if guess.endswith(("xml", "json", "html"))
                                                              else ""))
            else:
                body = str(answer.get("body", "")).encode("utf-8")
                ctype = answer.get("content_type", "text/plain; charset=utf-8")
            headers = dict(answer.get("headers", {}))
        with self.replay.lock:  # logged on arrival, so a test sees a request the server is still delaying
            self.replay.log.append(Hit(site, path, query, dict(self.headers.items()), time.monotonic(), status))
        if answer is not None and answer.get("delay"):
            time.sleep(float(answer["delay"]))
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client was killed while we waited
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def replay_server() -> Iterator[ReplayServer]:
    replay = ReplayServer()
    replay.load()
    handler = type("Handler", (_Handler,), {"replay": replay})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    replay.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield replay
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture()
def replay(replay_server: ReplayServer) -> Iterator[ReplayServer]:
    replay_server.reset()
    yield replay_server
    replay_server.reset()


@dataclass
class Meros:
    """`meros` run in this process with its settings in the environment, against a fresh store."""

    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    extra: dict[str, str] = field(default_factory=dict)  # more MEROS_* settings for this test

    @property
    def store_dir(self) -> Path:
        return self.tmp / "store"

    @property
    def rejects(self) -> Path:
        return self.tmp / "rejects.jsonl"

    def env(self) -> dict[str, str]:
        return {"MEROS_STORE": str(self.store_dir), "MEROS_IMAGES": str(self.tmp / "images"),
                "MEROS_REJECTS": str(self.rejects), "MEROS_CHECKPOINTS": str(self.tmp / "checkpoints"),
                "MEROS_BASE_URL": "http://127.0.0.1:5000", "MEROS_HTTP_BACKOFF": "0.05", **self.extra}

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        from portal.cli import main

        for key in [k for k in os.environ if k.startswith("MEROS_")]:
            self.monkeypatch.delenv(key)
        for key, value in self.env().items():
            self.monkeypatch.setenv(key, value)
        self.capsys.readouterr()
        if "--rate" not in argv:  # the replay server is ours: no need to wait as a public source requires
            argv = (*argv, "--rate", "1000/1")
        code = main(["load", *argv])
        out, err = self.capsys.readouterr()
        return code, out, err

    def rejected(self) -> list[dict[str, str]]:
        if not self.rejects.exists():
            return []
        return [json.loads(line) for line in self.rejects.read_text(encoding="utf-8").splitlines()]

    def checkpoints(self) -> list[dict[str, Any]]:
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((self.tmp / "checkpoints").glob("*.json"))]


@pytest.fixture()
def meros(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Meros:
    return Meros(tmp_path, monkeypatch, capsys)


# --- reading what a load left in the store ---------------------------------------------------------

BASE = "http://127.0.0.1:5000"
PREFIXES = """PREFIX edm: <http://www.europeana.eu/schemas/edm/> PREFIX dc: <http://purl.org/dc/elements/1.1/>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX ore: <http://www.openarchives.org/ore/terms/>
PREFIX meros: <https://w3id.org/meros/ontology#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX svcs: <http://rdfs.org/sioc/services#> PREFIX ebucore: <http://www.ebu.ch/metadata/ontologies/ebucore/ebucore#>
PREFIX rdaGr2: <http://rdvocab.info/ElementsGr2/> PREFIX wgs84: <http://www.w3.org/2003/01/geo/wgs84_pos#>
"""


def object_ids(store: Any) -> set[str]:
    rows = store.query("SELECT ?cho WHERE { ?cho a <http://www.europeana.eu/schemas/edm/ProvidedCHO> }")
    return {r["cho"].value.rsplit("/id/", 1)[1] for r in rows}


def select(store: Any, where: str, var: str = "v") -> list[str]:
    """Values of ?v (by default) for a SPARQL pattern, sorted; terms as their lexical value."""
    rows = store.query(f"{PREFIXES} SELECT ?{var} WHERE {{ {where} }}")
    return sorted(r[var].value for r in rows if var in r)


def state(store: Any) -> list[str]:
    """Every quad but the load timestamps, sorted (as tests/test_sample_collection.py compares re-loads)."""
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                       "FILTER(?p != <http://www.w3.org/ns/prov#generatedAtTime>) }", union_default_graph=False)
    return sorted(" ".join(str(r[k]) for k in ("g", "s", "p", "o")) for r in rows)
