"""`meros load` keeps the derived search index in step with the store, and applies curators' overrides."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
CSV = ROOT / "loaders" / "sample_collection" / "central_asia" / "curated" / "works_kk_uz.csv"


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEROS_")}
    env.update({"MEROS_STORE": str(tmp / "store"), "MEROS_IMAGES": str(tmp / "images"),
                "MEROS_REJECTS": str(tmp / "rejects.jsonl"), "PYTHONPATH": str(ROOT)}, **extra)
    return env


def _meros(tmp: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "portal.cli", *args], env=_env(tmp, **env), capture_output=True,
                          text=True, timeout=180)


def test_loaded_objects_are_searchable_and_overrides_apply(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("id,statement,reason,curator\ncurated-auezov-abai-zholy,"
                         "http://rightsstatements.org/vocab/InC-EDU/1.0/,Licensed to the library for education only,"
                         "A. Curator\n", encoding="utf-8")
    done = _meros(tmp_path, "load", "csv", str(CSV), MEROS_RIGHTS_OVERRIDES=str(overrides))
    assert done.returncode == 0, done.stderr
    from portal.app import create_app
    from sparql.store import open_store

    with open_store(str(tmp_path / "store")) as store:
        app = create_app({"STORE": str(tmp_path / "store"), "SECRET_KEY": "t"}, store=store)
        body = app.test_client().get("/api/search", query_string={"q": "Qara sözder"}).get_json()
        assert [item["id"] for item in body["items"]][:1] == ["curated-abai-qara-sozder"]
        rows = store.query("SELECT ?r WHERE { ?a <http://www.europeana.eu/schemas/edm/aggregatedCHO> "
                           "<http://127.0.0.1:5000/id/curated-auezov-abai-zholy> ; "
                           "<http://www.europeana.eu/schemas/edm/rights> ?r }")
        assert [r["r"].value for r in rows] == ["http://rightsstatements.org/vocab/InC-EDU/1.0/"]  # type: ignore[union-attr,index]
    assert json.dumps(body, ensure_ascii=False)
