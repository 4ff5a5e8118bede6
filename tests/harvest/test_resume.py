"""`kill -9` in the middle of a harvest, then the same command: the store ends as an uninterrupted load leaves it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sparql.store import open_store

from .conftest import ReplayServer, object_ids, state

ROOT = Path(__file__).parents[2]
PAGE2 = {"verb": "ListRecords", "resumptionToken": "eur-oai_dc-page2"}


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEROS_")}
    env.update({"MEROS_STORE": str(tmp / "store"), "MEROS_IMAGES": str(tmp / "images"),
                "MEROS_REJECTS": str(tmp / "rejects.jsonl"), "MEROS_CHECKPOINTS": str(tmp / "checkpoints"),
                "PYTHONPATH": str(ROOT)})
    return env


def _meros(url: str, tmp: Path) -> list[str]:
    return [sys.executable, "-m", "portal.cli", "load", "oai", url, "--no-progress", "--rate", "1000/1"]


def _cursor(tmp: Path) -> dict[str, object] | None:
    for path in (tmp / "checkpoints").glob("*.json"):
        try:
            run = json.loads(path.read_text(encoding="utf-8")).get("run")
        except ValueError:  # never half a file: the checkpoint is replaced atomically
            pytest.fail(f"a checkpoint was read half-written: {path}")
        return run.get("cursor") if run else None
    return None


@pytest.mark.slow
def test_kill_9_mid_load_then_the_same_command_ends_in_the_same_store(replay: ReplayServer, tmp_path: Path) -> None:
    url = replay.url("oai/eur") + "/oai"
    reference = tmp_path / "reference"
    done = subprocess.run(_meros(url, reference), env=_env(reference), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "16 loaded" in done.stdout

    replay.reset()
    replay.script("oai/eur", "/oai", PAGE2, {"file": "ListRecords-page2.xml", "delay": 60})  # page 2 hangs
    run = tmp_path / "run"
    proc = subprocess.Popen(_meros(url, run), env=_env(run), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        # page 1 stored (the checkpoint names page 2) and the harvester waiting for page 2
        while _cursor(run) != {"token": "eur-oai_dc-page2"} or not any(h.query == PAGE2 for h in replay.log):
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the load never reached page 2"
            time.sleep(0.05)
        time.sleep(0.3)  # well inside the wait for page 2
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    with open_store(str(run / "store")) as store:
        assert len(object_ids(store)) == 4  # only page 1 made it

    replay.reset()  # the repository answers normally again
    again = subprocess.run(_meros(url, run), env=_env(run), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "resuming an interrupted run" in again.stdout and "16 loaded" in again.stdout
    assert replay.requests("oai/eur")[0].query == PAGE2  # it went on from page 2, not from the start

    with open_store(str(reference / "store")) as store:
        expected = state(store)
    with open_store(str(run / "store")) as store:
        assert state(store) == expected
    assert _cursor(run) is None  # the run is complete: nothing left to resume
