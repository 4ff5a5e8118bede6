"""The bundled sample collection: real records from real sources (see sample_collection/SOURCES.md).

`meros demo` and the tests load it through `load_records`, the path every
harvester uses; each file is read by its source's own parser.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from ontology.errors import RecordError
from ontology.record import Record

from .base import Rejected

ROOT = Path(__file__).with_name("sample_collection")

# (glob under sample_collection/, "module:parser", provider or None to let the parser decide)
SOURCES: tuple[tuple[str, str, str | None], ...] = (
    ("gallica/sru/*.xml", "loaders.gallica:parse_sru", "gallica"),
    ("gallica/oairecord/*.xml", "loaders.gallica:parse_oairecord", "gallica"),
    ("gallica/iiif/manifest_*.json", "loaders.gallica:parse_manifest", "gallica"),
    ("loc/json/*.json", "loaders.loc:parse_loc_json", "loc"),
    ("central_asia/loc/json/*.json", "loaders.loc:parse_loc_json", "loc"),
    ("loc/iiif/*.json", "loaders.loc:parse_loc_manifest", "loc"),
    ("loc/marcxml/*.xml", "loaders.marc:parse_marc", None),
    ("cyrillic_marc/*", "loaders.marc:parse_marc", None),
    ("central_asia/marc/*.mrc", "loaders.marc:parse_marc", None),
    ("mods_generic/*.xml", "loaders.mods:parse_mods", None),
    ("central_asia/mods/*.xml", "loaders.mods:parse_mods", None),
    ("oai_pmh_generic/*oai_dc*.xml", "loaders.oai:parse_oai_dc", None),
    ("oai_pmh_generic/*mods*.xml", "loaders.oai:parse_oai_mods", None),
    ("central_asia/oai_dc/*.xml", "loaders.oai:parse_oai_dc", "harvard"),
    ("europeana_edm/*.xml", "loaders.edm:parse_edm", "europeana"),
    ("iiif_generic/*manifest*.json", "loaders.iiif_manifest:parse_manifest", None),
    ("iiif_generic/cookbook/*.json", "loaders.iiif_manifest:parse_manifest", "iiif-cookbook"),
    ("central_asia/iiif/*.json", "loaders.iiif_manifest:parse_manifest", "princeton"),
    ("central_asia/curated/*.csv", "loaders.csv:parse_csv", "curated"),
)
SCANS = ROOT / "scans"


def _parser(target: str):  # type: ignore[no-untyped-def]
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


def sample_files() -> list[tuple[Path, str, str | None]]:
    """Every file of the collection with its parser, in a stable order."""
    out = []
    for pattern, target, provider in SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                out.append((path, target, provider))
    return out


def sample_records() -> Iterator[Record | Rejected]:
    """All records of the collection; a file that cannot be read at all becomes one Rejected."""
    for path, target, provider in sample_files():
        source_url = f"file:sample_collection/{path.relative_to(ROOT).as_posix()}"
        try:
            yield from _parser(target)(path.read_bytes(), source_url, provider=provider)
        except RecordError as exc:
            yield Rejected(source_url, str(exc), "")
    if SCANS.is_dir():
        from .images import parse_scans

        yield from parse_scans(SCANS)
