"""The tantivy index: opened once per process, written by `meros index`/`meros load`, read by the portal.

Writes happen in whichever process indexes (one writer at a time, tantivy's
lock); a serving process notices a new commit (meta.json changes) and reloads
its searcher, so a load in another process shows up without a restart.
"""
from __future__ import annotations

import json
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy

from ontology.errors import MerosError, StoreError

from .documents import SearchDocument
from .params import SearchParams
from .query import QueryBuilder
from .schema import FACETS, SCHEMA_VERSION, analyzers, build_schema, index_fields

FACET_SIZES = {"type": 10, "genre": 50, "provider": 200, "language": 100, "rights": 5, "century": 200}
CACHE_SIZE = 512
RELOAD_CHECK = 0.5  # seconds between looks at meta.json
VERSION_FILE = "meros-index-version"
WRITER_HEAP = 256_000_000


class IndexUnavailable(MerosError):
    """The index cannot be read (missing, from another version): `meros index` repairs it."""

    status = 503


@dataclass
class Hit:
    id: str
    data: dict[str, Any]


@dataclass
class Results:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class SearchIndex:
    """One index directory; thread-safe for readers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = build_schema()
        self.analyzers = analyzers()
        if (path / "meta.json").exists():
            version_file = path / VERSION_FILE
            version = version_file.read_text().strip() if version_file.exists() else None
            if version != SCHEMA_VERSION:
                raise IndexUnavailable(f"The search index at {path} was built by another version of Meros; "
                                       "rebuild it with `meros index`.")
        path.mkdir(parents=True, exist_ok=True)
        try:
            self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        except ValueError as e:
            raise IndexUnavailable(f"Cannot open the search index at {path}: {e}; rebuild it with `meros index`.") from None
        (path / VERSION_FILE).write_text(SCHEMA_VERSION)
        for name, analyzer in self.analyzers.items():
            self.index.register_tokenizer(name, analyzer)
        self.builder = QueryBuilder(self.schema, self.analyzers)
        self._lock = threading.Lock()
        self._stamp = self._meta_stamp()
        self._checked = time.monotonic()
        self._facet_cache: OrderedDict[tuple[Any, ...], dict[str, dict[str, int]]] = OrderedDict()

    @classmethod
    def create(cls, path: Path) -> "SearchIndex":
        """An empty index at `path`, replacing whatever was there."""
        if path.exists():
            shutil.rmtree(path)
        return cls(path)

    # -- reading -------------------------------------------------------------------------------
    def _meta_stamp(self) -> float:
        try:
            return (self.path / "meta.json").stat().st_mtime_ns
        except OSError:
            return 0

    def searcher(self) -> tantivy.Searcher:
        now = time.monotonic()
        if now - self._checked > RELOAD_CHECK:
            self._checked = now
            stamp = self._meta_stamp()
            if stamp != self._stamp:
                with self._lock:
                    self.index.reload()
                    self._stamp = stamp
                    self._facet_cache.clear()
        return self.index.searcher()

    def refresh(self) -> None:
        """See the latest commit now (after a write in this process)."""
        self.index.reload()
        self._stamp = self._meta_stamp()
        self._facet_cache.clear()

    def count(self) -> int:
        return int(self.searcher().num_docs)

    def _hits(self, searcher: tantivy.Searcher, addresses: list[Any]) -> list[Hit]:
        out = []
        for addr in addresses:
            doc = searcher.doc(addr)
            out.append(Hit(doc.get_first("id"), json.loads(bytes(doc.get_first("data")))))
        return out

    def _facets(self, searcher: tantivy.Searcher, query: tantivy.Query, p: SearchParams) -> dict[str, dict[str, int]]:
        cache_key = p.cache_key()
        with self._lock:
            cached = self._facet_cache.get(cache_key)
            if cached is not None:
                self._facet_cache.move_to_end(cache_key)
                return cached
        spec = {f: {"terms": {"field": f, "size": FACET_SIZES[f]}} for f in FACETS}
        raw = searcher.aggregate(query, spec)
        facets = {f: {str(b["key"]): int(b["doc_count"]) for b in raw.get(f, {}).get("buckets", [])} for f in FACETS}
        with self._lock:
            self._facet_cache[cache_key] = facets
            while len(self._facet_cache) > CACHE_SIZE:
                self._facet_cache.popitem(last=False)
        return facets

    def search(self, p: SearchParams, *, facets: bool = True) -> Results:
        searcher = self.searcher()
        query = self.builder.build(p)
        kwargs: dict[str, Any] = {"limit": p.size, "offset": p.offset, "count": True}
        if p.sort == "title":
            kwargs.update(order_by_field="title_sort", order=tantivy.Order.Asc)
        elif p.sort == "date":
            kwargs.update(order_by_field="date_asc", order=tantivy.Order.Asc)
        elif p.sort == "-date":
            kwargs.update(order_by_field="date_desc", order=tantivy.Order.Desc)
        elif not p.q:
            kwargs.update(order_by_field="quality", order=tantivy.Order.Desc)  # browsing: pictures, open first
        found = searcher.search(query, **kwargs)
        hits = self._hits(searcher, [addr for _, addr in found.hits])
        return Results(int(found.count or 0), hits, self._facets(searcher, query, p) if facets else {})

    def get(self, object_id: str) -> Hit | None:
        searcher = self.searcher()
        found = searcher.search(tantivy.Query.term_query(self.schema, "id", object_id), limit=1)
        hits = self._hits(searcher, [addr for _, addr in found.hits])
        return hits[0] if hits else None

    def similar(self, object_id: str, limit: int = 6) -> list[Hit]:
        """Objects sharing a creator, subject, place, collection or title with this one, best first."""
        me = self.get(object_id)
        if me is None:
            return []
        weights = {"creator_key": 4.0, "subject_key": 2.0, "place_key": 1.5, "collection_key": 1.5, "title_key": 1.0}
        should = []
        for fname, weight in weights.items():
            for value in dict.fromkeys(me.data.get("keys", {}).get(fname, [])):
                if value:
                    term = tantivy.Query.term_query(self.schema, fname, value)
                    should.append((tantivy.Occur.Should, tantivy.Query.boost_query(term, weight)))
        if not should:
            return []
        should.append((tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "id", object_id)))
        searcher = self.searcher()
        found = searcher.search(tantivy.Query.boolean_query(should), limit=limit)
        return self._hits(searcher, [addr for _, addr in found.hits])

    def places(self, limit: int = 2000) -> list[dict[str, Any]]:
        """Places with coordinates and how many objects each has: the map's markers."""
        raw = self.searcher().aggregate(tantivy.Query.all_query(), {"geo": {"terms": {"field": "geo", "size": limit}}})
        out = []
        for b in raw.get("geo", {}).get("buckets", []):
            lat, lon, name = (str(b["key"]).split(" ", 2) + ["", ""])[:3]
            try:
                out.append({"lat": float(lat), "lon": float(lon), "name": name, "count": int(b["doc_count"])})
            except ValueError:
                continue
        return out

    def facet_counts(self, name: str) -> dict[str, int]:
        """One facet over everything (browse pages)."""
        return self.search(SearchParams(size=1)).facets.get(name, {})

    # -- writing -------------------------------------------------------------------------------
    def writer(self) -> tantivy.IndexWriter:
        try:
            return self.index.writer(heap_size=WRITER_HEAP, num_threads=2)
        except ValueError as e:
            raise StoreError(f"The search index at {self.path} is being written by another process ({e}); "
                             "wait for it to finish.") from None

    def write(self, docs: Iterable[SearchDocument], *, delete_ids: Iterable[str] = (), replace_all: bool = False) -> int:
        """Add or replace documents (and delete others) in one commit; returns how many were written."""
        return self.write_fields((index_fields(doc) for doc in docs), delete_ids=delete_ids, replace_all=replace_all)

    def write_fields(self, docs: Iterable[dict[str, Any]], *, delete_ids: Iterable[str] = (),
                     replace_all: bool = False) -> int:
        """`write` of documents already turned into fields (`schema.index_fields`)."""
        def add(writer: tantivy.IndexWriter, fields: dict[str, Any]) -> None:
            if not replace_all:
                writer.delete_documents_by_term("id", fields["id"])
            writer.add_document(tantivy.Document(**fields))

        return self._write(docs, add, delete_ids, replace_all)

    def write_json(self, docs: Iterable[str]) -> int:
        """Replace the whole index with these JSON documents (`schema.index_json`, e.g. from build workers)."""
        return self._write(docs, lambda writer, doc: writer.add_json(doc), (), True)

    def _write(self, docs: Iterable[Any], add: Callable[[tantivy.IndexWriter, Any], object], delete_ids: Iterable[str],
               replace_all: bool) -> int:
        writer = self.writer()
        n = 0
        try:
            if replace_all:
                writer.delete_all_documents()
            for object_id in delete_ids:
                writer.delete_documents_by_term("id", object_id)
            for doc in docs:
                add(writer, doc)
                n += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            try:
                writer.rollback()
            except ValueError:
                pass  # the writer is already gone; nothing was committed
            raise
        self.refresh()
        return n
