"""The official IIIF Image API validator (PyPI `iiif-validator`), level 2, against our server on 127.0.0.1."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import IiifEnv


def _validator_script() -> str:
    found = shutil.which("iiif-validate.py", path=str(Path(sys.executable).parent))
    assert found, "iiif-validate.py is installed with the iiif-validator package (pip install -e '.[test]')"
    return found


def test_official_validator_passes_level_2(iiif_env: IiifEnv) -> None:
    server = iiif_env.base.removeprefix("http://")
    run = subprocess.run(
        [sys.executable, _validator_script(), "--server", server, "--prefix", "iiif/image",
         "--identifier", "local-validator-1", "--version", "3.0", "--level", "2"],
        capture_output=True, text=True, timeout=300,
    )
    report = run.stdout + run.stderr
    assert "FAIL" not in report, report
    assert run.returncode == 0, report
    passed = report.count(" PASS")
    assert passed >= 30, report  # every level 0–2 test of Image API 3.0 ran and passed
    assert "Done (" in report and "0 failures" in report, report
