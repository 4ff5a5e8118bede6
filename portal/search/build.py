"""A whole rebuild with worker processes, so reading and folding use every core.

Turning store rows into index fields is Python work, one core per process
however many threads read; tantivy's writer, by contrast, indexes in its own
threads. So for a large rebuild of an embedded store, worker processes (fresh
interpreters, never forks: the serving process has threads and locks) each
open the store read-only and turn batches of objects into ready-made fields,
and the calling process only hands them to tantivy, in the batches' order.
A store this process holds read-write is read through a checkpoint (the
SPARQL workers' `sparql.pool.source_for`): RocksDB files a writer compacts
must not be opened beside it.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from ontology.mapping import Uris
from sparql.store import Store, open_store

from .reader import Target, batches, read_batch
from .schema import index_json

PARALLEL_FROM = 20_000  # objects; below this, starting the workers costs more than they save
AHEAD = 3  # batches in flight per worker: enough to keep both the workers and the writer busy

_store: Store | None = None  # the worker process's read-only store


def worker_count(store: Store, objects: int) -> int:
    """How many worker processes a rebuild of `objects` objects should use (0: none, read in this process)."""
    if objects < PARALLEL_FROM or not store.capabilities.read_only_snapshots:
        return 0
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start(location: str) -> None:
    global _store
    _store = open_store(location, read_only=True)
    # A batch's objects form no cycles and are freed as it ends; the cycle collector, run by every few
    # hundred allocations, only walked them again (a tenth of a worker's time at a million objects).
    gc.disable()


def _documents(batch: list[Target]) -> list[str]:
    assert _store is not None, "the worker's store is opened by its initializer"
    return [index_json(doc) for doc in read_batch(_store, batch)]


def parallel_documents(store: Store, uris: Uris, ids: list[str], workers: int) -> Iterator[str]:
    """`index_json` of every object in `ids` that the store has, in order, built by `workers` processes.

    JSON because it crosses the process boundary as one string per object and
    tantivy parses it in Rust: cheaper for the writing process than unpickling
    fields and making a `tantivy.Document` of them.
    """
    from sparql.pool import source_for

    source = source_for(store, timeout=0.0)
    try:
        location = source.current()[1]  # ("embedded", directory, generation)
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                                   initargs=(location,))
        try:
            pending: deque[Future[list[str]]] = deque()
            for batch in batches(uris, ids):
                pending.append(pool.submit(_documents, batch))
                if len(pending) >= AHEAD * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        source.close()
