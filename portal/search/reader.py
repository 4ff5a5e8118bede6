"""Objects read from the store in batches: the graph scan, the reference query for unusual graphs.

The store releases the GIL while it evaluates, so the next batches are read
by threads while the caller indexes the current one.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from ontology.mapping import Uris
from sparql.store import Store

from .documents import SearchDocument, read_reference
from .graphs import scan_documents, scan_query

BATCH = 1000  # graphs per query (far larger ones make the store plan the VALUES join differently, and slowly)
READERS = 2  # batches read ahead in parallel

Target = tuple[str, str, str, str]  # object id, graph, ProvidedCHO and aggregation IRIs (as Meros names them)


def targets(uris: Uris, ids: Iterable[str]) -> Iterator[Target]:
    for object_id in ids:
        graph = uris.graph(object_id).value
        yield (graph.rsplit("/", 1)[-1], graph, uris.cho(object_id).value, uris.aggregation(object_id).value)


def read_batch(store: Store, batch: list[Target]) -> list[SearchDocument]:
    """The documents of these objects, in their order; objects not in the store are left out."""
    raw = store.query_raw(scan_query([(g, cho, agg) for _, g, cho, agg in batch]), "tsv", union_default_graph=False)
    docs, unusual = scan_documents(raw, [(object_id, cho, agg) for object_id, _, cho, agg in batch])
    if unusual:
        found = {doc.id: doc for doc in read_reference(store, [batch[i][1] for i in unusual])}
        for i in unusual:
            docs[i] = found.get(batch[i][0])
    return [doc for doc in docs if doc is not None]


def batches(uris: Uris, ids: Iterable[str], size: int = BATCH) -> Iterator[list[Target]]:
    batch: list[Target] = []
    for target in targets(uris, ids):
        batch.append(target)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def read_documents(store: Store, uris: Uris, ids: Iterable[str]) -> Iterator[SearchDocument]:
    """The documents of these objects (ids with no object in the store are skipped), in the order given."""
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="meros-index-read") as pool:
        pending: deque[Future[list[SearchDocument]]] = deque()
        for batch in batches(uris, ids):
            pending.append(pool.submit(read_batch, store, batch))
            if len(pending) > READERS:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def all_object_ids(store: Store) -> list[str]:
    """Every object id in the store (one per named graph under BASE/graph/)."""
    return [g.value.rsplit("/", 1)[-1] for g in store.graphs() if "/graph/" in g.value]
