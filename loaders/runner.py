"""The load runner: records → rights → EDM graphs → store, in batches, with rejects kept.

Every loader (and `meros demo`) goes through `load_records`, so ids, rights,
provenance and idempotence behave the same for every source. A graph whose
content is unchanged is left alone (its datestamp too); a changed one is
replaced whole.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from ontology.errors import RecordError
from ontology.mapping import Uris, image_id, record_to_graph
from ontology.record import Record
from ontology.rights import decide
from ontology.vocab import NS, PREFIXES
from sparql.store import Store

from .base import Rejected


@dataclass
class LoadReport:
    loaded: int = 0  # new objects
    replaced: int = 0  # objects whose graph changed
    unchanged: int = 0  # re-loaded with the same content
    rejected: int = 0
    ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.loaded} loaded, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{self.rejected} rejected")


class RejectLog:
    """Rejected records as JSON lines (reason and raw record), so nothing is lost."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def write(self, rejected: Rejected) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"source": rejected.source_url, "reason": rejected.reason,
                                 "raw": rejected.raw}, ensure_ascii=False) + "\n")


def content_hash(triples: list[Triple]) -> str:
    """Digest of a graph without its timestamp, independent of triple order."""
    kept = [t for t in triples if t.predicate != NS.prov.generatedAtTime]
    lines = sorted((serialize(kept, format=RdfFormat.N_TRIPLES) or b"").splitlines())
    return hashlib.sha256(b"\n".join(lines)).hexdigest()


def _existing_hashes(store: Store, graphs: list[NamedNode]) -> dict[str, str]:
    if not graphs:
        return {}
    values = " ".join(f"<{g.value}>" for g in graphs)
    rows = store.query(
        f"SELECT ?g ?h WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g <{PREFIXES['meros']}contentHash> ?h }} }}",
        union_default_graph=False,
    )
    assert isinstance(rows, list)
    return {row["g"].value: row["h"].value for row in rows}  # type: ignore[union-attr]


def _copy_local_images(record: Record, images_dir: Path | None) -> Record:
    """Put local masters under the image folder, named by image id; the master is never altered."""
    if not any(img.local_path for img in record.images):
        return record
    if images_dir is None:
        raise RecordError(f"{record.id}: has local scans but no image folder is configured (MEROS_IMAGES)")
    images = []
    for n, img in enumerate(record.images, start=1):
        if img.local_path:
            src = Path(img.local_path)
            dest_dir = images_dir / image_id(record.id, n)
            dest_dir.mkdir(parents=True, exist_ok=True)
            dest = dest_dir / ("master" + src.suffix.lower())
            if not dest.exists() or dest.stat().st_size != src.stat().st_size:
                shutil.copyfile(src, dest)
            img = replace(img, local_path=str(dest))
        images.append(img)
    return replace(record, images=images)


def _batches(items: Iterable[Record | Rejected], size: int) -> Iterator[list[Record | Rejected]]:
    batch: list[Record | Rejected] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_records(
    store: Store,
    items: Iterable[Record | Rejected],
    *,
    uris: Uris,
    jurisdiction: str,
    images_dir: Path | None = None,
    rejects: RejectLog | None = None,
    batch_size: int = 500,
    now: datetime | None = None,
    progress: bool = False,
) -> LoadReport:
    """Map and store every record; reject what cannot be mapped; return the counts."""
    report = LoadReport()
    rejects = rejects or RejectLog(None)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" records", desc="loading")
    for batch in _batches(items, batch_size):
        graphs: dict[str, tuple[NamedNode, list[Triple]]] = {}
        for item in batch:
            if isinstance(item, Rejected):
                report.rejected += 1
                rejects.write(item)
                continue
            try:
                record = _copy_local_images(item, images_dir)
                g, triples = record_to_graph(record, decide(record, jurisdiction), uris, generated_at=stamp)
            except (RecordError, OSError) as exc:
                report.rejected += 1
                rejects.write(Rejected(item.source_url, str(exc), repr(item)))
                continue
            triples.append(Triple(g, NS.meros.contentHash, Literal(content_hash(triples))))
            graphs[g.value] = (g, triples)  # a later copy of the same record wins
        existing = _existing_hashes(store, [g for g, _ in graphs.values()])
        changed = {}
        for key, (g, triples) in graphs.items():
            new_hash = next(t.object.value for t in triples if t.predicate == NS.meros.contentHash)
            report.ids.append(key.rsplit("/", 1)[-1])
            if key not in existing:
                report.loaded += 1
            elif existing[key] == new_hash:
                report.unchanged += 1
                continue
            else:
                report.replaced += 1
            changed[g] = triples
        if changed:
            store.replace_graphs(changed)
        if bar is not None:
            bar.update(len(batch))
    if bar is not None:
        bar.close()
    return report
