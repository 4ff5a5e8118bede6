"""Resumable state of a load, and the markers a harvest stream carries besides records.

A harvester yields `Record`s and `Rejected`s, and after the last record of a
page a `Mark` with the cursor of the *next* page (resumption token, SRU start
record, loc.gov page number, kazneb id…). The runner stores everything before a
mark, then hands the mark to the checkpoint, which writes it atomically (a
temporary file renamed over the old one). So after a `kill -9` the checkpoint
names a page whose records are all in the store, and the same command
continues from there: the store ends as an uninterrupted load would leave it.

One checkpoint file per harvest target (kind, source, base URL, set, format)
holds two things: the unfinished run (its arguments, cursor and counts), and
the high-water mark of the last complete harvest (`last_datestamp` for
OAI-PMH), from which the next run harvests incrementally.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ontology.errors import MerosError


@dataclass(frozen=True)
class Mark:
    """Everything yielded before this is one unit: once stored, resume from `cursor`."""

    cursor: Mapping[str, Any]
    datestamp: str | None = None  # the newest source datestamp seen so far (OAI-PMH)


@dataclass(frozen=True)
class Deleted:
    """The source reports this object deleted (OAI-PMH status="deleted"): its graph is removed."""

    object_id: str
    source_url: str


COUNTS = ("loaded", "replaced", "unchanged", "rejected", "deleted")


def target_key(parts: Mapping[str, Any]) -> str:
    """A file-name-safe key for a harvest target: readable prefix + digest of every part.

    >>> target_key({"kind": "oai", "source": "http://x/oai"})[:4]
    'oai-'
    """
    digest = hashlib.sha256(json.dumps(dict(parts), sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f"{parts.get('kind', 'load')}-{digest}"


def write_atomically(path: Path, text: str) -> None:
    """Write `text` so that a reader (or a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a crash
    finally:
        os.close(dir_fd)


@dataclass
class Checkpoint:
    """The state file of one harvest target; `path=None` keeps it in memory only (dry runs)."""

    path: Path | None
    target: dict[str, Any]
    last_datestamp: str | None = None
    run: dict[str, Any] | None = None  # {"args", "cursor", "counts", "datestamp", "started"}
    resumed: bool = False
    _prior: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path | None, target: Mapping[str, Any], args: Mapping[str, Any], *,
             restart: bool = False) -> "Checkpoint":
        """The target's checkpoint; its unfinished run is resumed only if it ran with the same `args`."""
        path = folder / f"{target_key(target)}.json" if folder is not None else None
        cp = cls(path, dict(target))
        if path is not None and path.exists():
            try:
                saved = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise MerosError(f"checkpoint {path} is unreadable ({exc}); delete it to start this load afresh") \
                    from None
            cp.last_datestamp = saved.get("last_datestamp")
            run = saved.get("run")
            if run and not restart and run.get("args") == json.loads(json.dumps(dict(args), default=str)):
                cp.run, cp.resumed = run, True
                cp._prior = {k: int(run.get("counts", {}).get(k, 0)) for k in COUNTS}
        if cp.run is None:
            cp.run = {"args": json.loads(json.dumps(dict(args), default=str)), "cursor": None, "counts": {},
                      "datestamp": None, "started": _now()}
        return cp

    @property
    def cursor(self) -> dict[str, Any] | None:
        return self.run.get("cursor") if self.run else None

    @property
    def prior_counts(self) -> dict[str, int]:
        """What the interrupted earlier part of this run already did (zeros for a fresh run)."""
        return {k: self._prior.get(k, 0) for k in COUNTS}

    def setdefault(self, name: str, value: Any) -> Any:
        """A value fixed for the whole run (e.g. the `from` date of an incremental harvest), kept across resumes."""
        assert self.run is not None
        return self.run.setdefault(name, value)

    def advance(self, mark: Mark, counts: Mapping[str, int]) -> None:
        """Everything before `mark` is stored: remember where to resume and what was done."""
        assert self.run is not None
        self.run["cursor"] = dict(mark.cursor)
        if mark.datestamp and (self.run.get("datestamp") or "") < mark.datestamp:
            self.run["datestamp"] = mark.datestamp
        self.run["counts"] = {k: self._prior.get(k, 0) + int(counts.get(k, 0)) for k in COUNTS}
        self._save()

    def finish(self, *, complete: bool) -> None:
        """The run ended: drop its cursor; a complete harvest moves the incremental high-water mark.

        The mark is the run's `high_water` (an OAI-PMH repository's responseDate when the run began, so
        a record changed while we harvested is picked up next time), else the newest datestamp seen.
        """
        if complete and self.run:
            high_water = self.run.get("high_water") or self.run.get("datestamp")
            if high_water:
                self.last_datestamp = high_water
        self.run = None
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        state = {"target": self.target, "last_datestamp": self.last_datestamp, "run": self.run, "saved": _now()}
        write_atomically(self.path, json.dumps(state, ensure_ascii=False, indent=1, default=str))


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
