"""Parsing and mapping in worker processes, so a large load uses every core.

Parsing is Python work (one core per process, whatever the threads), and for
rich formats it costs more than mapping and storing together: an EDM file is
~400 source triples for ~70 stored. So when a load has many files, worker
processes (fresh interpreters, never forks) parse groups of them, and map the
records too when the load says how (`runner.MapSpec`), while this process
writes; the results come back in file order, so checkpoints and rejects are
the same as a serial run's. Only this process touches the store.

A file larger than `STREAM_FROM` (a MARC dump of a whole catalogue) is parsed
here, streamed, when its turn comes: its records never sit in memory at once.

Records parsed here (harvested pages, CSV rows) are mapped by a pool too once a
load is long enough to repay it (`premap_stream`): this process then only
fetches and parses.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ontology.errors import RecordError
from ontology.record import Record

from .base import Parser, Rejected

if TYPE_CHECKING:  # the runner starts the map pool below: it imports this module
    from .checkpoint import Deleted, Mark
    from .mapped import Mapped, MapSpec

POOL_FROM = 4000  # records mapped here before a map pool starts: a long load from a fast source (a mirror, a CSV)
MAP_CHUNK = 500  # records per map task
PARALLEL_FROM = 64  # files: fewer do not repay starting the workers (~0.5 s each)
GROUP_BYTES = 2_000_000  # bytes of files per task: enough work to amortise the round trip
GROUP_FILES = 200  # files per task at most
AHEAD = 16  # tasks in flight (or done and not yet taken) per worker: work for them while a batch is mapped
STREAM_FROM = 32_000_000  # bytes: a file this large is parsed here, streamed
RAW_LIMIT = 5_000_000  # a whole unreadable file is kept in the rejects file up to this many bytes
Unit = tuple[str, Callable[[], bytes]]  # (source URL, reader)
# The cyclic garbage collector's thresholds while a load runs: by default a collection every 700 new objects
# made unpickling a chunk of Gallica records cost three times its own work (65 µs a record against 21).
# A load makes few reference cycles (its objects are freed by their counts), so collections can be rarer.
LOAD_GC = (50_000, 20, 20)


@dataclass
class Parsed:
    """One file's items in order, and why the file could not be read past them (known once they are consumed)."""

    items: Iterable[Record | Rejected | Mapped] = ()
    failure: Rejected | None = None


def _failure(url: str, data: bytes, exc: RecordError) -> Rejected:
    raw = data.decode("utf-8", "replace") if len(data) <= RAW_LIMIT else \
        f"(file of {len(data)} bytes, too large to copy here: see {url})"
    return Rejected(url, f"{url.rsplit('/', 1)[-1]}: {exc}", raw)


def _stream(parser: Parser, url: str, data: bytes, provider: str | None) -> Parsed:
    """The file's items as they are parsed: a file that fails half-way keeps what came before."""
    parsed = Parsed()

    def items() -> Iterator[Record | Rejected]:
        try:
            yield from parser(data, url, provider=provider)
        except RecordError as exc:
            parsed.failure = _failure(url, data, exc)
    parsed.items = items()
    return parsed


def _parse_group(parser: Parser, group: list[tuple[str, bytes]], provider: str | None,
                 mapping: MapSpec | None) -> list[Parsed]:
    """In a worker: every file of the group, whole (and mapped, given how)."""
    out = []
    for url, data in group:
        parsed = _stream(parser, url, data, provider)
        items = list(parsed.items) if mapping is None else [mapping.premap(item) for item in parsed.items]
        out.append(Parsed(items, parsed.failure))
    return out


def load_gc() -> None:
    """In a worker process (its pool's initializer): the load's collector thresholds."""
    gc.set_threshold(*LOAD_GC)


@contextmanager
def load_gc_during() -> Iterator[None]:
    """The load's collector thresholds in this process while the load runs, then the previous ones again."""
    before = gc.get_threshold()
    load_gc()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def worker_count(files: int) -> int:
    """Worker processes for a load of `files` files (0: parse in this process)."""
    if files < PARALLEL_FROM:
        return 0
    cores = _cores()
    return cores if cores > 1 else 0


def parse_files(parser: Parser, units: Sequence[Unit], *, provider: str | None = None,
                workers: int | None = None, mapping: MapSpec | None = None) -> Iterator[Parsed]:
    """Each unit's items, in order: parsed by `workers` processes (by default one per core for many files).

    With `mapping`, the workers' records come back already mapped (`Mapped`), unless they have local scans.
    """
    workers = worker_count(len(units)) if workers is None else workers
    if workers == 0:
        for url, read in units:
            yield _stream(parser, url, read(), provider)
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=load_gc)
    pending: deque[Future[list[Parsed]]] = deque()
    group: list[tuple[str, bytes]] = []
    size = 0

    def submit() -> None:
        nonlocal group, size
        if group:
            pending.append(pool.submit(_parse_group, parser, group, provider, mapping))
            group, size = [], 0

    def drain(limit: int) -> Iterator[Parsed]:
        while len(pending) > limit:
            yield from pending.popleft().result()

    try:
        for url, read in units:
            data = read()
            if len(data) >= STREAM_FROM:  # its turn comes after the files before it
                submit()
                yield from drain(0)
                yield _stream(parser, url, data, provider)
                continue
            group.append((url, data))
            size += len(data)
            if size >= GROUP_BYTES or len(group) >= GROUP_FILES:
                submit()
                yield from drain(AHEAD * workers)  # bounded: at most this many groups' files and records held
        submit()
        yield from drain(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _premap_chunk(mapping: MapSpec, records: list[Record]) -> list[Record | Rejected | Mapped]:
    return [mapping.premap(record) for record in records]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def premap_stream(items: Iterable[Record | Rejected | Deleted | Mapped | Mark], mapping: MapSpec, *,
                  start_after: int | None = None, workers: int | None = None
                  ) -> Iterator[Record | Rejected | Deleted | Mapped | Mark]:
    """`items` in order, their records mapped by worker processes once `start_after` have gone by.

    Everything else (rejects, deletions, checkpoint marks, graphs mapped already)
    keeps its place. If the source fails, what it gave before is still handed on,
    then the error: a mark among it still moves the checkpoint, as without the pool.
    """
    start_after = POOL_FROM if start_after is None else start_after
    workers = _cores() - 1 if workers is None else workers  # this process parses; the writer needs a share
    if workers < 1:
        yield from items
        return
    it = iter(items)
    seen = 0
    for item in it:  # a short load never starts the pool
        yield item
        if isinstance(item, Record):
            seen += 1
            if seen >= start_after:
                break
    else:
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=load_gc)
    pending: deque[tuple[list[object], Future[list[Record | Rejected | Mapped]]]] = deque()
    chunk: list[object] = []
    records: list[Record] = []

    def submit() -> None:
        nonlocal chunk, records
        if chunk:
            pending.append((chunk, pool.submit(_premap_chunk, mapping, records)))
            chunk, records = [], []

    def drain(limit: int) -> Iterator[Record | Rejected | Deleted | Mapped | Mark]:
        while len(pending) > limit:
            kept, future = pending.popleft()
            done = iter(future.result())
            for item in kept:
                yield next(done) if item is None else item  # type: ignore[misc]

    try:
        try:
            for item in it:
                if isinstance(item, Record):
                    records.append(item)
                    chunk.append(None)  # its mapped form comes back from the pool, in order
                else:
                    chunk.append(item)
                if len(records) >= MAP_CHUNK:
                    submit()
                    yield from drain(2 * workers)
        except Exception:
            submit()
            yield from drain(0)
            raise
        submit()
        yield from drain(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
