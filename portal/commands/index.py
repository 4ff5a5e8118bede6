"""`meros index`: rebuild the search index from the store (the index is derived, never the source of truth)."""
from __future__ import annotations

import argparse
from typing import Any

from sparql.store import open_store

from ..search import index_location, rebuild_index
from ..settings import store_location


def cmd_index(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    # read-only: an embedded store held by a running server can still be indexed (from a snapshot)
    with open_store(store_location(settings), read_only=True) as store:
        n, secs = rebuild_index(settings, store, progress=not args.quiet)
    print(f"Indexed {n} objects in {secs:.1f} s into {index_location(settings)}", flush=True)
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("index", help="rebuild the search index from the store")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_index)
