"""Full-text search: a tantivy index derived from the store, never the source of truth.

The store is read in batches and every object becomes one index document
(`schema.index_fields`; a large rebuild builds them in worker processes,
see build.py); browsing, sorting, facets and text search all
answer from the index, item pages from the store. Hooks for the command line:

- `rebuild_index(settings, store)` — `meros index`, `meros demo`;
- `update_index(settings, store, ids)` — after `meros load` changed those objects
  (ids no longer in the store are removed from the index).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ontology.mapping import Uris
from sparql.store import Store

from .build import parallel_documents, worker_count
from .index import Hit, IndexUnavailable, Results, SearchIndex
from .params import SearchParams, parse_params
from .reader import all_object_ids, read_documents

__all__ = ["Hit", "IndexUnavailable", "Results", "SearchIndex", "SearchParams", "index_location", "open_index",
           "parse_params", "rebuild_index", "update_index"]

log = logging.getLogger("meros.search")


def index_location(settings: Mapping[str, Any]) -> Path:
    """`INDEX`, or beside an embedded store (`STORE.index`), or ./data/index for a remote store."""
    if settings.get("INDEX"):
        return Path(settings["INDEX"]).resolve()
    store = settings["STORE"]
    if "://" in store:
        return Path("./data/index").resolve()
    return Path(str(Path(store).resolve()) + ".index")


def open_index(settings: Mapping[str, Any]) -> SearchIndex:
    return SearchIndex(index_location(settings))


def rebuild_index(settings: Mapping[str, Any], store: Store, *, progress: bool = False,
                  workers: int | None = None) -> tuple[int, float]:
    """Index every object in the store afresh (one commit); returns (objects, seconds).

    `workers` processes build the documents (None: as many as there are cores, for a large embedded store;
    0: none, this process reads with threads).
    """
    start = time.perf_counter()
    path = index_location(settings)
    try:
        index = SearchIndex(path)
    except IndexUnavailable:  # an index from another version: start again
        index = SearchIndex.create(path)
    ids = all_object_ids(store)
    uris = Uris(settings["BASE_URL"])
    if workers is None:
        workers = worker_count(store, len(ids))
    docs: Iterable[Any]
    if workers > 0:
        docs = parallel_documents(store, uris, ids, workers)
    else:
        docs = read_documents(store, uris, ids)
    if progress:
        from tqdm import tqdm

        docs = tqdm(docs, total=len(ids), unit=" objects", desc="indexing")
    n = index.write_json(docs) if workers > 0 else index.write(docs, replace_all=True)
    return n, time.perf_counter() - start


def update_index(settings: Mapping[str, Any], store: Store, ids: Iterable[str]) -> int:
    """Re-index these objects from the store; ids the store no longer has leave the index."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return 0
    path = index_location(settings)
    if not (path / "meta.json").exists():
        return rebuild_index(settings, store)[0]
    index = SearchIndex(path)
    docs = list(read_documents(store, Uris(settings["BASE_URL"]), wanted))
    found = {d.id for d in docs}
    return index.write(docs, delete_ids=[i for i in wanted if i not in found])


def index_for_app(settings: Mapping[str, Any], store: Store) -> SearchIndex:
    """The serving process's index, built from the store first if there is none yet."""
    path = index_location(settings)
    if (path / "meta.json").exists():
        try:
            return SearchIndex(path)
        except IndexUnavailable as exc:  # e.g. built by an older Meros: rebuild rather than refuse to start
            log.warning("%s", exc.message)
    n, secs = rebuild_index(settings, store)
    log.warning("search index at %s built from the store (%d objects, %.1f s)", path, n, secs)
    return SearchIndex(path)
