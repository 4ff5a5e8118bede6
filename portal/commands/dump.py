"""`meros dump`: the whole collection as gzipped N-Triples and Turtle, listed at /dumps/ and in the VoID.

Objects are read graph by graph in batches (memory stays flat whatever the
store's size), triples about shared resources (agents, places, concepts,
image services), which every object graph that mentions them repeats, are
written once, and pyoxigraph writes both syntaxes. Files are written beside
their final name and renamed when complete, so /dumps/ never lists half a
file; `dumps.json` records size, SHA-256 and triple count of each.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyoxigraph import NamedNode, Triple

from ontology.mapping import Uris
from ontology.vocab import NS, PREFIXES
from sparql.store import Store, open_store

from ..settings import store_location

MANIFEST = "dumps.json"
BATCH = 500  # object graphs per query
NAME = "meros"
SKIPPED = {NS.meros.contentHash}  # the loader's bookkeeping, not data


def read_manifest(folder: Path) -> dict[str, Any]:
    """The last dump's manifest, or an empty one when `meros dump` has not run (or wrote nothing readable)."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return {}


def object_graphs(store: Store, uris: Uris) -> list[NamedNode]:
    """Every object's named graph (tombstones and any other graph left out)."""
    prefix = f"{uris.base}/graph/"
    return [g for g in store.graphs() if g.value.startswith(prefix) and "/" not in g.value[len(prefix):]]


def dump_triples(store: Store, uris: Uris, graphs: list[NamedNode], stats: dict[str, int]) -> Iterator[Triple]:
    """The objects' triples, batch by batch, each shared resource's triples once; counts into `stats`."""
    seen: set[Triple] = set()
    for start in range(0, len(graphs), BATCH):
        batch = graphs[start:start + BATCH]
        own = set()
        for g in batch:
            oid = g.value.rsplit("/", 1)[-1]
            own |= {g.value, uris.cho(oid).value, uris.aggregation(oid).value}
        values = " ".join(f"<{g.value}>" for g in batch)
        triples = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}",
                              union_default_graph=False)
        for t in sorted(triples, key=lambda t: (str(t.subject), str(t.predicate))):  # type: ignore[union-attr]
            if t.predicate in SKIPPED:
                continue
            if t.subject.value not in own:  # type: ignore[union-attr]
                if t in seen:
                    continue
                seen.add(t)
            stats["triples"] += 1
            yield t
        stats["objects"] += len(batch)


def _write_gz(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.part")
    with tmp.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        write(gz)
    os.replace(tmp, path)


def _describe(path: Path, fmt: str, media_type: str, triples: int) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return {"name": path.name, "format": fmt, "media_type": "application/gzip", "media_type_inner": media_type,
            "bytes": path.stat().st_size, "sha256": digest.hexdigest(), "triples": triples}


def write_dumps(store: Store, uris: Uris, folder: Path) -> dict[str, Any]:
    """Write `meros.nt.gz` and `meros.ttl.gz` into `folder` and the manifest; returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    graphs = object_graphs(store, uris)
    stats = {"triples": 0, "objects": 0}
    nt, ttl = folder / f"{NAME}.nt.gz", folder / f"{NAME}.ttl.gz"
    _write_gz(nt, lambda out: ox.serialize(dump_triples(store, uris, graphs, stats), out, ox.RdfFormat.N_TRIPLES))

    def turtle(out: Any) -> None:  # from the N-Triples just written: one pass over the store is enough
        with gzip.open(nt, "rb") as src:
            ox.serialize((q.triple for q in ox.parse(src, ox.RdfFormat.N_TRIPLES)), out, ox.RdfFormat.TURTLE,
                         prefixes=PREFIXES)

    _write_gz(ttl, turtle)
    manifest = {
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "objects": stats["objects"],
        "files": [_describe(nt, "N-Triples", "application/n-triples", stats["triples"]),
                  _describe(ttl, "Turtle", "text/turtle", stats["triples"])],
    }
    tmp = folder / f".{MANIFEST}.part"
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)
    return manifest


def cmd_dump(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    folder = Path(args.out or settings["DUMPS"])
    started = time.monotonic()
    # read-only: a store held by a running server can still be dumped
    with open_store(store_location(settings), read_only=True) as store:
        manifest = write_dumps(store, Uris(settings["BASE_URL"]), folder)
    for f in manifest["files"]:
        print(f"{folder / f['name']}: {f['triples']} triples, {f['bytes']} bytes", flush=True)
    print(f"Dumped {manifest['objects']} objects in {time.monotonic() - started:.1f} s", flush=True)
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("dump", help="write the full dumps (gzipped N-Triples and Turtle)")
    p.add_argument("--out", help="folder to write to (default: MEROS_DUMPS)")
    p.set_defaults(func=cmd_dump)
