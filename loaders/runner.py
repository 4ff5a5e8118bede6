"""The load runner: records → rights → EDM graphs → store, in batches, with rejects kept.

Every loader (and `meros demo`) goes through `load_records`, so ids, rights,
provenance and idempotence behave the same for every source. A graph whose
content is unchanged is left alone (its datestamp too); a changed one is
replaced whole.

Harvests also stream `Mark`s (a page is complete: store it, then let the
checkpoint move on) and `Deleted`s (the source withdrew an object). Rejected
records are written when their batch is committed (its graphs stored with their
content hashes), as its mark is reported, so a load killed mid-batch and resumed
writes each reject once. `dry_run` maps and checks everything and writes
nothing: not the store, not the rejects file.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from pyoxigraph import NamedNode, Triple

from ontology.errors import RecordError
from ontology.mapping import Uris, image_id
from ontology.record import Record
from ontology.rights import Override
from ontology.vocab import PREFIXES
from sparql.objects import tombstone_graphs
from sparql.store import Store

from .base import Rejected
from .checkpoint import Deleted, Mark
from .mapped import Mapped, MapSpec, mapped
from .parallel import load_gc_during, premap_stream
from .pyramid import build_pyramid

@dataclass
class LoadReport:
    loaded: int = 0  # new objects
    replaced: int = 0  # objects whose graph changed
    unchanged: int = 0  # re-loaded with the same content
    rejected: int = 0
    deleted: int = 0  # withdrawn by the source (OAI-PMH deleted records) and removed
    bulk_loaded: int = 0  # of the new objects, those written by the bulk loader (the store wants optimising)
    ids: list[str] = field(default_factory=list)
    dry_run: bool = False
    rejects: list[Rejected] = field(default_factory=list)  # a dry run's rejects (nothing is written)

    def counts(self) -> dict[str, int]:
        return {"loaded": self.loaded, "replaced": self.replaced, "unchanged": self.unchanged,
                "rejected": self.rejected, "deleted": self.deleted}

    def summary(self) -> str:
        if self.dry_run:
            return f"dry run, nothing written: {self.loaded} valid, {self.rejected} rejected"
        text = (f"{self.loaded} loaded, {self.replaced} replaced, {self.unchanged} unchanged, "
                f"{self.rejected} rejected")
        return text + (f", {self.deleted} deleted" if self.deleted else "")


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
            build_pyramid(dest)  # the Image API serves tiles from it (loaders/pyramid.py)
            img = replace(img, local_path=str(dest))
        images.append(img)
    return replace(record, images=images)


# New graphs in one batch from which the store's bulk loader pays for itself: its fixed cost per call
# is high, so only large first loads of files take this path; harvests' pages go through the transactional
# replace.
BULK_MIN = 1000


def _present(store: Store, graphs: list[NamedNode]) -> set[str]:
    """Those of `graphs` that hold any quad (without a content hash, they are an interrupted bulk load)."""
    if not graphs:
        return set()
    values = " ".join(f"<{g.value}>" for g in graphs)
    rows = store.query(f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}",
                       union_default_graph=False)
    assert isinstance(rows, list)
    return {row["g"].value for row in rows}  # type: ignore[union-attr]


@dataclass
class _Written:
    """The graphs this load wrote, when it began on an empty embedded store (its lock keeps other writers out):
    any other graph is known absent, so a first load asks the store nothing per batch."""

    graphs: set[str] | None  # None: the store held data, look every graph up

    @staticmethod
    def of(store: Store) -> _Written:
        empty = not store.capabilities.remote and not store.query("ASK { GRAPH ?g { ?s ?p ?o } }",
                                                                    union_default_graph=False)
        return _Written(set() if empty else None)

    def may_exist(self, graphs: list[NamedNode]) -> list[NamedNode]:
        return graphs if self.graphs is None else [g for g in graphs if g.value in self.graphs]


# Bulk-loaded graphs whose content hashes wait to be written in one bulk call: each small bulk-loader call
# adds files RocksDB then has to compact (at 100 000 Gallica records, one hash call per 2 000-record batch
# took the store a third longer than the content alone), and a transactional write between bulk calls
# forces the memtable out each time.
HASH_EVERY = 20_000


@dataclass
class _Pending:
    """What waits for the content hashes of bulk-loaded graphs: the hashes, then the rejects and marks of the
    batches since the last commit.

    The bulk loader is not transactional, so a graph is trusted only once its
    hash is stored: a load killed before the hashes leaves graphs without one,
    which the next run finds (`_present`) and rewrites through the
    transactional replace. Rejects and marks wait with the hashes, so a
    resumed load redoes exactly the batches whose hashes were lost, writes
    each reject once, and a checkpoint never passes a graph without its hash.
    """

    every: int
    hashes: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # graph IRI → (hash, its N-Quad line)
    rejects: list[Rejected] = field(default_factory=list)
    marks: list[tuple[Mark, LoadReport]] = field(default_factory=list)  # with the counts as at the mark

    def commit(self, store: Store, rejects: RejectLog, on_mark: Callable[[Mark, LoadReport], None] | None) -> None:
        if self.hashes:
            store.bulk_load_nquads([b"".join(line for _, line in self.hashes.values())])
            self.hashes = {}
        for item in self.rejects:
            rejects.write(item)
        self.rejects = []
        marks, self.marks = self.marks, []
        for mark, counts in marks:
            if on_mark is not None:
                on_mark(mark, counts)


Entry = Record | Rejected | Deleted | Mapped  # Mapped: mapped ahead, in a worker process (`MapSpec.premap`)
Item = Entry | Mark


def _batches(items: Iterable[Item], size: int) -> Iterator[tuple[list[Entry], Mark | None]]:
    """Batches of at most `size` records; a `Mark` ends its batch (and comes with it)."""
    batch: list[Entry] = []
    for item in items:
        if isinstance(item, Mark):
            yield batch, item
            batch = []
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch, None
            batch = []
    if batch:
        yield batch, None


Validator = Callable[[list[Triple]], tuple[bool, str]]


def load_records(
    store: Store | None,
    items: Iterable[Item],
    *,
    uris: Uris,
    jurisdiction: str,
    images_dir: Path | None = None,
    rejects: RejectLog | None = None,
    batch_size: int = 500,
    now: datetime | None = None,
    progress: bool = False,
    on_mark: Callable[[Mark, LoadReport], None] | None = None,
    dry_run: bool = False,
    validate: Validator | None = None,
    bulk_from: int = BULK_MIN,
    overrides: Mapping[str, Override] | None = None,
    hash_every: int = HASH_EVERY,
) -> LoadReport:
    """Map and store every record; reject what cannot be mapped; return the counts.

    `on_mark(mark, report)` runs once everything before the mark is stored (the
    checkpoint hook). `validate` (e.g. SHACL) may refuse a mapped graph; it is
    meant for dry runs. With `dry_run` the store is not touched (it may be None).
    A batch with at least `bulk_from` new graphs goes through the bulk loader;
    their content hashes are written once `hash_every` such graphs wait (`_Pending`).

    Batches are stored by one writer thread while this thread parses and maps
    the next: the store releases the GIL as it writes, so on two cores the
    Python work and the write overlap. Past `parallel.POOL_FROM` records, worker
    processes map them and this thread only parses. The writer takes batches in order and
    decides new/changed/unchanged itself, so each batch sees the ones before it.
    """
    report = LoadReport(dry_run=dry_run)
    rejects = rejects or RejectLog(None)
    spec = MapSpec.of(uris, jurisdiction, now, overrides)
    if not dry_run:
        items = premap_stream(items, spec)  # a long load maps in worker processes (loaders.parallel)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" records", desc="loading")
    with load_gc_during():  # fewer cyclic collections while the load makes and drops its objects
        try:
            written = None if dry_run or store is None else _Written.of(store)
            waiting = _Pending(hash_every)
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="meros-load-write") as writer:
                pending: Future[None] | None = None
                for batch, mark in _batches(items, batch_size):
                    graphs, deletions, refused = _map_batch(batch, spec, images_dir=images_dir, dry_run=dry_run,
                                                            validate=validate)
                    if pending is not None:
                        pending.result()  # one batch in flight: memory stays bounded, errors surface here
                    if dry_run:
                        report.rejected += len(refused)
                        report.loaded += len(graphs)
                        report.ids += [key.rsplit("/", 1)[-1] for key in graphs]
                        report.rejects += refused
                    else:
                        assert store is not None and written is not None, "a load that writes needs a store"
                        pending = writer.submit(_store_batch, store, graphs, deletions, refused, report, rejects,
                                                uris=uris, stamp=spec.stamp, bulk_from=bulk_from, mark=mark,
                                                on_mark=on_mark, written=written, waiting=waiting)
                    if dry_run and mark is not None and on_mark is not None:
                        on_mark(mark, report)
                    if bar is not None:
                        bar.update(sum(1 for item in batch if not isinstance(item, Deleted)))
                if pending is not None:
                    pending.result()
            if store is not None and not dry_run:
                waiting.commit(store, rejects, on_mark)
        except BaseException:
            if store is not None and not dry_run:
                try:  # what was stored before the failure keeps its hashes, rejects and marks, as it would unbatched
                    waiting.commit(store, rejects, on_mark)
                except Exception:
                    pass  # the store itself failed: the next run finds the graphs without hashes and rewrites them
            raise
        finally:
            if bar is not None:
                bar.close()
    return report


def _map_batch(batch: list[Entry], spec: MapSpec, *, images_dir: Path | None, dry_run: bool,
               validate: Validator | None) -> tuple[dict[str, Mapped], dict[str, NamedNode], list[Rejected]]:
    """The batch's graphs by graph IRI (a later copy of a record wins), its deletions, and its rejects."""
    graphs: dict[str, Mapped] = {}
    refused: list[Rejected] = []
    deletions: dict[str, NamedNode] = {}
    for item in batch:
        if isinstance(item, Rejected):
            refused.append(item)
            continue
        if isinstance(item, Deleted):
            g = spec.uris.graph(item.object_id)
            graphs.pop(g.value, None)  # deleted after an update in the same batch: deleted wins
            deletions[g.value] = g
            continue
        try:
            if isinstance(item, Mapped):
                m = item
            else:
                record = item if dry_run else _copy_local_images(item, images_dir)
                m = mapped(*spec.graph(record), record.source_url)
            if validate is not None:
                conforms, text = validate(m.triples)
                if not conforms:
                    raise RecordError(f"{m.graph.value.rsplit('/', 1)[-1]}: the EDM graph does not conform to the "
                                      f"shapes: {text[:2000]}")
        except (RecordError, OSError) as exc:
            raw = m.nquads.decode() if isinstance(item, Mapped) else repr(item)
            refused.append(Rejected(item.source_url, str(exc), raw))
            continue
        graphs[m.graph.value] = m
        deletions.pop(m.graph.value, None)  # re-published after a deletion in the same batch
    return graphs, deletions, refused


def _store_batch(store: Store, graphs: dict[str, Mapped], deletions: dict[str, NamedNode], refused: list[Rejected],
                 report: LoadReport, rejects: RejectLog, *, uris: Uris, stamp: str, bulk_from: int,
                 mark: Mark | None, on_mark: Callable[[Mark, LoadReport], None] | None,
                 written: _Written | None = None, waiting: _Pending | None = None) -> None:
    """Write one mapped batch (in the writer thread): only what is new or changed; then, once no content hash
    waits (`_Pending`), its rejects and mark."""
    written = written or _Written(None)
    waiting = waiting or _Pending(0)
    report.rejected += len(refused)
    existing = _existing_hashes(store, written.may_exist([m.graph for m in graphs.values()] +
                                                         list(deletions.values())))
    existing.update((key, h) for key, (h, _) in waiting.hashes.items() if key in graphs or key in deletions)
    changed: list[Mapped] = []
    for key, m in graphs.items():
        report.ids.append(key.rsplit("/", 1)[-1])
        if key not in existing:
            report.loaded += 1
        elif existing[key] == m.hash:
            report.unchanged += 1
            continue
        else:
            report.replaced += 1
        changed.append(m)
    gone: dict[NamedNode, list[Triple]] = {g: [] for key, g in deletions.items() if key in existing}
    fresh = [m for m in changed if m.graph.value not in existing]
    bulk: set[str] = set()
    if len(fresh) >= bulk_from:
        half_written = _present(store, written.may_exist([m.graph for m in fresh]))
        fresh = [m for m in fresh if m.graph.value not in half_written]
        store.bulk_load_nquads(m.nquads for m in fresh)  # content only: the hashes follow (`_Pending`)
        waiting.hashes.update((m.graph.value, (m.hash, m.hash_nquad())) for m in fresh)
        report.bulk_loaded += len(fresh)
        bulk = {m.graph.value for m in fresh}
        changed = [m for m in changed if m.graph.value not in bulk]
    tombstones = tombstone_graphs(store, uris, [g.value.rsplit("/graph/", 1)[1] for g in gone], stamp) if gone else {}
    if changed or gone:
        # an empty graph drops the object; its tombstone (for OAI-PMH and 410s) lands in the same transaction
        store.replace_graphs({**{m.graph: m.stored_triples() for m in changed}, **gone, **tombstones})
        for key in [m.graph.value for m in changed] + [g.value for g in gone]:
            waiting.hashes.pop(key, None)  # rewritten whole, its hash included, or dropped
    report.deleted += len(gone)
    if written.graphs is not None:
        written.graphs.update(bulk, (m.graph.value for m in changed))
    waiting.rejects += refused
    if mark is not None:
        waiting.marks.append((mark, replace(report, ids=[], rejects=[])))  # the counts as at the mark
    if not waiting.hashes or len(waiting.hashes) >= waiting.every:
        waiting.commit(store, rejects, on_mark)
