"""The `meros` command as a user runs it: separate processes, a real store, a real server."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

MEROS = [sys.executable, "-m", "portal.cli"]
ROOT = Path(__file__).parents[2]


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEROS_")}
    env.update({"MEROS_STORE": str(tmp / "store"), "MEROS_IMAGES": str(tmp / "images"),
                "MEROS_REJECTS": str(tmp / "rejects.jsonl"), "PYTHONPATH": str(ROOT)}, **extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cli")
    done = subprocess.run([*MEROS, "demo", "--no-serve"], env=_env(tmp), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "loaded" in done.stdout and "rejected" in done.stdout
    return tmp


def test_stats_counts_the_demo_collection(demo_store: Path) -> None:
    done = subprocess.run([*MEROS, "stats"], env=_env(demo_store), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split()[:2] for line in done.stdout.splitlines() if line.startswith("  "))
    assert int(lines["gallica"]) > 10 and int(lines["TEXT"]) > 10 and int(lines["open"]) > 0


def test_serve_needs_a_secret_key(demo_store: Path) -> None:
    done = subprocess.run([*MEROS, "serve"], env=_env(demo_store), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "MEROS_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr


def test_a_second_process_on_a_served_store_gets_a_clear_message(demo_store: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([*MEROS, "serve", "--port", str(port)], env=_env(demo_store, MEROS_SECRET_KEY="t"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/item/gallica-btv1b55012939c", timeout=5) as resp:
            assert b"Franquelin" in resp.read()
        done = subprocess.run([*MEROS, "stats"], env=_env(demo_store), capture_output=True, text=True, timeout=60)
        assert done.returncode == 1
        assert "Stop that server" in done.stderr and "MEROS_STORE=http" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_bad_configuration_exits_2_naming_the_setting(tmp_path: Path) -> None:
    done = subprocess.run([*MEROS, "stats"], env=_env(tmp_path, MEROS_STORE="ftp://x/"), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "MEROS_STORE" in done.stderr and "Traceback" not in done.stderr
