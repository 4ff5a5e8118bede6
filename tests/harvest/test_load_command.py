"""`meros load` as a user meets it: dry runs, limits, progress, checkpoints, usage errors, a busy store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.checkpoint import Checkpoint, Mark, write_atomically
from ontology.errors import MerosError
from sparql.store import open_store

from .conftest import Meros, ReplayServer, object_ids

ROOT = Path(__file__).parents[2]


def test_dry_run_validates_everything_and_writes_nothing(replay: ReplayServer, meros: Meros) -> None:
    replay.script("oai/eur", "/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                  {"file": "oai_listrecords_eur_second_record_without_title.xml", "malformed": True})
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--dry-run", "--no-progress")
    assert code == 0, err
    assert "dry run, nothing written: 15 valid, 1 rejected" in out
    assert "rejected: http://dspace.ubib.eur.nl/oai/?verb=GetRecord" in out and "no title" in out
    assert not meros.store_dir.exists() and not meros.rejects.exists()
    assert not (meros.tmp / "checkpoints").exists()


def test_limit_stops_fetching_once_it_has_enough(replay: ReplayServer, meros: Meros) -> None:
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--limit", "5", "--no-progress")
    assert code == 0, err
    assert "5 loaded" in out and len(replay.requests("oai/eur")) == 2  # page 1 has 4 records
    with open_store(str(meros.store_dir)) as store:
        assert len(object_ids(store)) == 5
    assert meros.checkpoints()[0]["last_datestamp"] is None  # a sample is not a complete harvest


def test_a_progress_bar_on_request(replay: ReplayServer, meros: Meros) -> None:
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--progress")
    assert code == 0, err
    assert "loading" in err and "16" in err and "records" in err


def test_another_run_with_other_arguments_does_not_resume_a_stale_cursor(replay: ReplayServer, meros: Meros) -> None:
    replay.script("oai/eur", "/oai", {"verb": "ListRecords", "resumptionToken": "eur-oai_dc-page3"},
                  {"status": 500, "body": "down"})
    meros.extra["MEROS_HTTP_RETRIES"] = "0"
    assert meros("oai", replay.url("oai/eur") + "/oai", "--no-progress")[0] == 1
    replay.reset()
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--from", "2003-04-10", "--no-progress")
    assert code == 0, err
    assert "resuming" not in out and "8 unchanged" in out  # started afresh, with the new arguments
    assert replay.requests("oai/eur")[0].query["from"] == "2003-04-10"


@pytest.mark.parametrize("argv, message", [
    (("oai", "http://x/oai", "--from", "30/04/2003"), "write a date as YYYY-MM-DD"),
    (("gallica", "x", "--base-url", "ftp://mirror"), "is not an http(s) URL"),
    (("oai", "http://x/oai", "--rate", "fast"), "N/SECONDS"),
    (("marc", "x.mrc", "--prefix", "mods"), "--prefix is an OAI-PMH option"),
    (("csv", "x.csv", "--from", "2003-04-10"), "--from and --until are OAI-PMH options"),
    (("marc", "x.mrc", "--limit", "0"), "must be 1 or more"),
    (("tei", "x.xml"), "invalid choice"),
])
def test_usage_errors_exit_2_and_say_what_to_write(meros: Meros, argv: tuple[str, ...], message: str) -> None:
    try:
        code, out, err = meros(*argv)
    except SystemExit as exc:  # argparse's own usage errors
        code, err = int(exc.code or 0), meros.capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def test_a_store_held_by_a_server_gets_the_way_out(replay: ReplayServer, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEROS_")}
    env.update({"MEROS_STORE": str(tmp_path / "store"), "MEROS_CHECKPOINTS": str(tmp_path / "cp"),
                "MEROS_REJECTS": str(tmp_path / "r.jsonl"), "PYTHONPATH": str(ROOT)})
    with open_store(str(tmp_path / "store")):
        done = subprocess.run([sys.executable, "-m", "portal.cli", "load", "oai", replay.url("oai/eur") + "/oai",
                               "--no-progress"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "held read-write by another process" in done.stderr and "MEROS_STORE=http" in done.stderr
    assert "Traceback" not in done.stderr


# --- the checkpoint file --------------------------------------------------------------------------

def test_a_checkpoint_is_replaced_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = {"kind": "oai", "source": "http://x/oai"}
    cp = Checkpoint.open(tmp_path, target, {"from": None})
    for n in range(20):
        cp.advance(Mark({"token": f"t{n}"}, f"2003-04-{n + 1:02d}"), {"loaded": n})
    [path] = list(tmp_path.iterdir())
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["run"]["cursor"] == {"token": "t19"} and saved["run"]["counts"]["loaded"] == 19
    again = Checkpoint.open(tmp_path, target, {"from": None})
    assert again.resumed and again.cursor == {"token": "t19"} and again.prior_counts["loaded"] == 19
    again.finish(complete=True)
    final = json.loads(path.read_text(encoding="utf-8"))
    assert final["run"] is None and final["last_datestamp"] == "2003-04-20"


def test_an_unreadable_checkpoint_says_what_to_do(tmp_path: Path) -> None:
    target = {"kind": "oai", "source": "http://x/oai"}
    cp = Checkpoint.open(tmp_path, target, {})
    cp.advance(Mark({"token": "a"}), {})
    path = next(tmp_path.iterdir())
    write_atomically(path, "{not json")
    with pytest.raises(MerosError, match="delete it to start this load afresh"):
        Checkpoint.open(tmp_path, target, {})
