"""Failures say what happened and what to do: bad config, a locked store, a dead or garbling server."""
from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Triple

from ontology.errors import ConfigError, StoreError, StoreLockedError
from sparql.embedded import EmbeddedStore
from sparql.remote import RemoteStore
from sparql.store import open_store

REPO = Path(__file__).resolve().parents[2]
G = NamedNode("http://meros.test/graph/1")
TRIPLE = Triple(NamedNode("http://meros.test/id/1"), NamedNode("http://purl.org/dc/elements/1.1/title"),
                Literal("Oʻzbekiston", language="uz"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unknown_scheme_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as raised:
        open_store("ftp://x")
    message = raised.value.message
    assert "ftp" in message and "http://" in message and "https://" in message and "directory" in message


def test_second_process_gets_a_clear_lock_message(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(str(path)) as holder:
        holder.replace_graph(G, [TRIPLE])
        child = subprocess.run(
            [sys.executable, "-c", f"from sparql.store import open_store; open_store({str(path)!r})"],
            capture_output=True, text=True, timeout=60, cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    assert child.returncode != 0
    assert "StoreLockedError" in child.stderr and str(path) in child.stderr
    assert "Stop that server" in child.stderr and "MEROS_STORE=http" in child.stderr
    assert "RocksDB" not in child.stderr and "IO error" not in child.stderr and "OSError" not in child.stderr


def test_second_open_in_the_same_process_is_locked_too(tmp_path: Path) -> None:
    with EmbeddedStore(str(tmp_path / "store")):
        with pytest.raises(StoreLockedError, match="already open"):
            EmbeddedStore(str(tmp_path / "store"))


def test_close_releases_the_lock(tmp_path: Path) -> None:
    EmbeddedStore(str(tmp_path / "store")).close()
    with EmbeddedStore(f"file://{tmp_path / 'store'}") as again:  # a file: URL names the same directory
        assert again.count() == 0


def test_bulk_loaded_n_quads_that_do_not_parse_are_a_store_error_not_a_query_error(tmp_path: Path) -> None:
    good = Quad(TRIPLE.subject, TRIPLE.predicate, TRIPLE.object, G)
    with EmbeddedStore(str(tmp_path / "store")) as store:
        with pytest.raises(StoreError, match="failed to bulk-load N-Quads: .*line 2"):
            store.bulk_load_nquads([f"{good}\n".encode() + b"this is not N-Quads\n"])
        store.replace_graph(G, [TRIPLE])  # the store is still usable
        assert store.count(G) == 1


def test_read_only_beside_a_writer_sees_a_snapshot(tmp_path: Path) -> None:
    path = str(tmp_path / "store")
    with open_store(path) as writer:
        writer.replace_graph(G, [TRIPLE])
        with open_store(path, read_only=True) as reader:
            assert reader.capabilities.read_only_snapshots
            assert reader.count(G) == 1 and reader.graphs() == [G]
            writer.delete_graph(G)
            assert reader.count(G) == 1  # its snapshot, taken when it opened
            with pytest.raises(StoreError, match="read-only"):
                reader.replace_graph(G, [TRIPLE])


def test_read_only_open_of_a_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        open_store(str(tmp_path / "absent"), read_only=True)


def test_a_file_where_the_directory_should_be(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a store")
    with pytest.raises(StoreError, match=str(tmp_path / "file")):
        open_store(str(tmp_path / "file"))


def test_remote_store_at_a_closed_port_names_the_url() -> None:
    base = f"http://127.0.0.1:{free_port()}/"
    with open_store(base) as store:
        with pytest.raises(StoreError, match=f"{base}query"):
            store.query("ASK {}")
        with pytest.raises(StoreError, match=f"{base}store"):
            store.replace_graph(G, [TRIPLE])


# -- a tiny server that answers what a test tells it to ---------------------------------------
Answer = tuple[int, str, bytes, dict[str, str]]


@pytest.fixture
def scripted_server() -> Iterator[Callable[[Answer], str]]:
    """Serve one canned answer (status, content type, body, extra headers) to every request."""
    answer: list[Answer] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _reply(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, content_type, body, headers = answer[0]
            time.sleep(float(headers.get("X-Delay", 0)))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", headers.get("Content-Length", str(len(body))))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _reply

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    def serve(reply: Answer) -> str:
        answer[:] = [reply]
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    server.shutdown()
    server.server_close()
    thread.join()


JSON = "application/sparql-results+json"
FULL = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://meros.test/a"}}]}}'


@pytest.mark.parametrize("body", [
    FULL[:-20],  # cut mid-value
    FULL[:-2],  # cut just before the end
    FULL[:48] + b"The SPARQL operation has been cancelled",  # what oxigraph serve --timeout-s sends
], ids=["mid-value", "before-end", "oxigraph-cancelled"])
def test_truncated_json_is_an_error_not_a_short_answer(scripted_server: Callable[[Answer], str], body: bytes) -> None:
    with RemoteStore(scripted_server((200, JSON, body, {}))) as store:
        with pytest.raises(StoreError, match="incomplete"):
            store.query("SELECT ?s WHERE { ?s ?p ?o }")
        with pytest.raises(StoreError, match="incomplete"):
            store.query_raw("SELECT ?s WHERE { ?s ?p ?o }", "json")


def test_the_complete_answer_still_parses(scripted_server: Callable[[Answer], str]) -> None:
    with RemoteStore(scripted_server((200, JSON, FULL, {}))) as store:
        assert store.query("SELECT ?s WHERE { ?s ?p ?o }") == [{"s": NamedNode("http://meros.test/a")}]


def test_body_shorter_than_its_content_length(scripted_server: Callable[[Answer], str]) -> None:
    base = scripted_server((200, JSON, FULL[:30], {"Content-Length": str(len(FULL))}))
    with RemoteStore(base) as store, pytest.raises(StoreError, match="incomplete"):
        store.query("SELECT ?s WHERE { ?s ?p ?o }")


def test_truncated_n_triples_is_an_error(scripted_server: Callable[[Answer], str]) -> None:
    body = b'<http://meros.test/a> <http://meros.test/p> "x" .\n<http://meros.test/a> <http://meros.test/p> "y'
    with RemoteStore(scripted_server((200, "application/n-triples", body, {}))) as store:
        with pytest.raises(StoreError, match="incomplete"):
            store.query("CONSTRUCT WHERE { ?s ?p ?o }")


def test_server_error_names_the_url(scripted_server: Callable[[Answer], str]) -> None:
    base = scripted_server((500, "text/plain", b"disk full", {}))
    with RemoteStore(base) as store, pytest.raises(StoreError, match=f"{base}query.*500.*disk full"):
        store.query("ASK {}")


def test_a_silent_server_times_out_naming_the_url(scripted_server: Callable[[Answer], str]) -> None:
    base = scripted_server((200, JSON, FULL, {"X-Delay": "1"}))
    with RemoteStore(base, timeout=0.2) as store, pytest.raises(StoreError, match=f"{base}query did not answer"):
        store.query("ASK {}")


def test_remote_opened_read_only_refuses_writes(oxigraph_server: str) -> None:
    with open_store(oxigraph_server, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.replace_graph(G, [TRIPLE])
        with pytest.raises(StoreError, match="read-only"):
            store.bulk_load([])
        assert store.query("ASK {}") is True


def test_real_oxigraph_timeout_is_reported_incomplete(oxigraph_factory: Callable[..., str]) -> None:
    """oxigraph serve --timeout-s answers 200 and appends its error to the body: we must not return a partial result."""
    base = oxigraph_factory("--timeout-s", "1")
    with RemoteStore(base) as store:
        store.bulk_load(Quad(NamedNode(f"http://meros.test/{i}"), NamedNode("http://meros.test/p"), Literal(str(i)))
                        for i in range(400))
        heavy = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . FILTER(?b != ?d) }"
        with pytest.raises(StoreError, match="incomplete") as raised:
            store.query(heavy)
        assert "cancelled" in raised.value.message

