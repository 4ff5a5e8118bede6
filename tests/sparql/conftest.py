"""Fixtures: a real `oxigraph serve` on a free port, and a `store` fixture run once per backend."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from sparql.store import Store, open_store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    """The `oxigraph` CLI installed beside this Python (the venv's bin), else from PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the `oxigraph` server binary is needed: pip install 'oxigraph>=0.5.13,<0.6'")
    return found


def wait_until_answering(base: str, proc: subprocess.Popen[bytes], log: Path, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"oxigraph serve exited with {proc.returncode}: {log.read_text(errors='replace')}")
        try:
            with requests.post(base + "query", data="ASK {}", timeout=2,
                               headers={"Content-Type": "application/sparql-query"}) as resp:
                if resp.status_code == 200:
                    return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    pytest.fail(f"oxigraph serve did not answer within {limit} s: {log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def oxigraph_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Start `oxigraph serve` with extra options; every server started is stopped at the end of the session."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*options: str) -> str:
        location = tmp_path_factory.mktemp("oxigraph")
        log = location.parent / f"{location.name}.log"
        port = free_port()
        with log.open("wb") as out:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(
                [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            )
        started.append(proc)
        base = f"http://127.0.0.1:{port}/"
        wait_until_answering(base, proc, log)
        return base

    yield start
    for proc in started:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def oxigraph_server(oxigraph_factory: Callable[..., str]) -> str:
    """Base URL of one real Oxigraph server shared by the session's remote-store tests."""
    return oxigraph_factory()


@pytest.fixture(params=["embedded", "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same contract test against each backend; the remote one starts empty (DROP ALL) each time."""
    if request.param == "embedded":
        opened = open_store(str(tmp_path / "store"))
    else:
        base = request.getfixturevalue("oxigraph_server")
        with requests.post(base + "update", data="DROP ALL", timeout=10,
                           headers={"Content-Type": "application/sparql-update"}) as resp:
            resp.raise_for_status()
        opened = open_store(base)
    with opened:
        yield opened
