"""Built manifests kept in memory, keyed by what they are built from, so a repeated request skips the build.

The key is read with one small query on the object's graph: its content hash
and time stamp (a re-load that changes anything changes them), its rights
statement, status and reasons (`meros rights` rewrites those in place), plus
whether it has full text and the settings that shape a manifest. A changed
object gets a new key, so an entry is never stale; old ones age out (LRU).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from ontology.errors import NotFound
from ontology.mapping import Uris
from ontology.vocab import NS
from sparql.store import Store

SIZE = 2048


def fingerprint(store: Store, uris: Uris, object_id: str) -> str:
    """What the manifest depends on, as one string; NotFound for an unknown object."""
    g, agg = uris.graph(object_id).value, uris.aggregation(object_id).value
    rows = store.query(f"""
        SELECT ?p ?o WHERE {{ GRAPH <{g}> {{
          {{ <{g}> ?p ?o . FILTER(?p IN (<{NS.meros.contentHash.value}>, <{NS.prov.generatedAtTime.value}>)) }}
          UNION {{ <{agg}> ?p ?o . FILTER(?p IN (<{NS.edm.rights.value}>, <{NS.meros.rightsStatus.value}>,
                                                  <{NS.meros.rightsReason.value}>)) }}
        }} }}""", union_default_graph=False)
    assert isinstance(rows, list)
    if not rows:
        raise NotFound(f"no object with id {object_id!r}")
    return "|".join(sorted(f"{r['p'].value}={r['o']}" for r in rows))  # type: ignore[union-attr]


class ManifestCache:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, object_id: str, key: str, build: Callable[[], str]) -> str:
        with self._lock:
            hit = self._items.get((object_id, key))
            if hit is not None:
                self._items.move_to_end((object_id, key))
                return hit
        text = build()
        with self._lock:
            self._items[(object_id, key)] = text
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return text
