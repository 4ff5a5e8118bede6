"""Loads from files: MARC, MODS, EDM, CSV, IIIF manifests and folders of scans.

SOURCE is a file, a folder (every file with a matching suffix, in sorted
order, sub-folders included) or an http(s) URL fetched through the shared
client. Each file is read by its format's parser (in worker processes when
there are many: `loaders.parallel`); a file that cannot be read at all is one
rejected entry (with its raw text), and the other files go on.
The checkpoint's cursor is the file and the record within it, marked every
`MARK_EVERY` records, so a long MARC file killed half-way resumes where it was;
the load command stores files in batches of as many records (`FILE_BATCH`),
large enough for the store's bulk loader.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from .base import Parser
from .checkpoint import Mark
from .csv import parse_csv
from .edm import parse_edm
from .harvest import FILE_BATCH, Harvest, HarvestError, Item
from .http import HttpError
from .iiif_manifest import parse_manifest
from .images import parse_scans
from .marc import parse_marc
from .mods import parse_mods
from .parallel import Unit, parse_files

MARK_EVERY = FILE_BATCH  # a mark ends a batch: as many records as the load command writes at once


def _units(source: str, suffixes: tuple[str, ...], h: Harvest) -> list[Unit]:
    """(source URL, reader) for each file of `source`, in a stable order."""
    if re.match(r"https?://", source):
        def fetch() -> bytes:
            try:
                return h.fetch(source, source="files")[0]
            except HttpError as exc:
                raise HarvestError(str(exc)) from None
        return [(source, fetch)]
    path = Path(source).expanduser()
    if path.is_file():
        files = [path]
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not files:
            raise HarvestError(f"{path} holds no {'/'.join(suffixes)} file")
    else:
        raise HarvestError(f"{source}: no such file or folder")

    def reader(p: Path) -> Callable[[], bytes]:
        def read() -> bytes:
            h.stats.pages += 1
            return p.read_bytes()
        return read
    return [(p.resolve().as_uri(), reader(p)) for p in files]


def _files(source: str, h: Harvest, parser: Parser, suffixes: tuple[str, ...]) -> Iterator[Item]:
    """Every record of every file; a Mark each `MARK_EVERY` records (inside a file or at a file's end)."""
    cursor = h.cursor or {}
    if cursor.get("done"):
        return
    units = _units(source, suffixes, h)
    first_file, skip = int(cursor.get("file", 0)), int(cursor.get("item", 0))
    since = 0  # records yielded since the last mark
    parsed_files = parse_files(parser, units[first_file:], provider=h.options.provider, mapping=h.mapping)
    for fi, parsed in enumerate(parsed_files, first_file):
        n = 0
        for item in parsed.items:
            n += 1
            if fi == first_file and n <= skip:
                continue  # stored before the interruption
            yield item
            since += 1
            if since >= MARK_EVERY:
                yield Mark({"file": fi, "item": n})
                since = 0
        if parsed.failure is not None:
            yield parsed.failure
            since += 1
        if since >= MARK_EVERY or fi == len(units) - 1:
            yield Mark({"file": fi + 1, "item": 0})
            since = 0
    yield Mark({"file": len(units), "done": True})


def harvest_marc(source: str, h: Harvest) -> Iterator[Item]:
    yield from _files(source, h, parse_marc, (".mrc", ".marc", ".iso", ".xml", ".dat"))


def harvest_mods(source: str, h: Harvest) -> Iterator[Item]:
    yield from _files(source, h, parse_mods, (".xml", ".mods"))


def harvest_edm(source: str, h: Harvest) -> Iterator[Item]:
    yield from _files(source, h, parse_edm, (".xml", ".rdf"))


def harvest_csv(source: str, h: Harvest) -> Iterator[Item]:
    yield from _files(source, h, parse_csv, (".csv",))


def harvest_iiif(source: str, h: Harvest) -> Iterator[Item]:
    yield from _files(source, h, parse_manifest, (".json",))


def harvest_images(source: str, h: Harvest) -> Iterator[Item]:
    """One object per sub-folder (sidecar format in docs/loaders.md); the cursor counts objects."""
    cursor = h.cursor or {}
    if cursor.get("done"):
        return
    folder = Path(source).expanduser()
    if not folder.is_dir():
        raise HarvestError(f"{source}: not a folder of scans (one sub-folder per object)")
    skip = int(cursor.get("item", 0))
    n = 0
    for item in parse_scans(folder, provider=h.options.provider or "local"):
        n += 1
        if n <= skip:
            continue
        yield item
        yield Mark({"item": n})
    yield Mark({"item": n, "done": True})
