"""The `meros` command line: demo, serve, stats.

Errors print one clear line and exit non-zero (2 for configuration and usage,
1 for everything else); never a stack trace.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ontology.errors import ConfigError, MerosError
from ontology.mapping import Uris
from sparql.queries import named_query
from sparql.store import Store, open_store

from .settings import load_settings, store_location


def _open(settings: dict[str, Any]) -> Store:
    return open_store(store_location(settings))


def load_samples(store: Store, settings: dict[str, Any], *, progress: bool = True) -> str:
    """Load the bundled sample collection through the loaders' own path; returns the summary."""
    from loaders.collection import sample_records
    from loaders.runner import RejectLog, load_records

    report = load_records(
        store, sample_records(), uris=Uris(settings["BASE_URL"]), jurisdiction=settings["JURISDICTION"],
        images_dir=Path(settings["IMAGES"]), rejects=RejectLog(Path(settings["REJECTS"])), progress=progress,
    )
    return report.summary()


def _serve(store: Store, settings: dict[str, Any], host: str, port: int) -> None:
    from werkzeug.serving import run_simple

    from .app import create_app

    app = create_app({"HOST": host, "PORT": port}, store=store)
    print(f"Serving Meros on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    run_simple(host, port, app, threaded=True, use_reloader=False)


def cmd_demo(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    with _open(settings) as store:
        print(f"Sample collection: {load_samples(store, settings)}", flush=True)
        from .search import rebuild_index

        n, secs = rebuild_index(settings, store)
        print(f"Search index: {n} objects in {secs:.1f} s", flush=True)
        if not args.no_serve:
            _serve(store, settings, settings["HOST"], settings["PORT"])
    return 0


def cmd_serve(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    if not settings["SECRET_KEY"]:
        raise ConfigError("MEROS_SECRET_KEY is not set: `meros serve` needs a secret key (any long random string)")
    with _open(settings) as store:
        _serve(store, settings, args.host or settings["HOST"], args.port or settings["PORT"])
    return 0


def cmd_stats(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    with _open(settings) as store:
        for title, query, key in (("provider", "counts_by_provider", "provider"),
                                  ("type", "counts_by_type", "type"),
                                  ("rights", "counts_by_rights", "status")):
            rows = store.query(named_query(query))
            print(f"by {title}:")
            for row in rows:  # type: ignore[union-attr]
                print(f"  {row[key].value:<16} {row['n'].value:>8}")  # type: ignore[index,union-attr]
        print(f"triples: {store.count()}")
    return 0


# Further commands live in their own modules, each with `register(subparsers)` adding a
# sub-parser whose `func(args, settings) -> int` does the work.
COMMAND_MODULES: tuple[str, ...] = (
    "portal.commands.load",
    "portal.commands.index",
    "portal.commands.rights",
    "portal.commands.dump",
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="meros", description="Meros: a linked-open-data portal for cultural heritage.")
    sub = p.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="load the bundled sample collection and serve it")
    demo.add_argument("--no-serve", action="store_true", help="prepare the store only")
    demo.set_defaults(func=cmd_demo)
    serve = sub.add_parser("serve", help="serve the portal, SPARQL, IIIF and OAI-PMH")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)
    stats = sub.add_parser("stats", help="counts by provider, type and rights status")
    stats.set_defaults(func=cmd_stats)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(args.func(args, settings))
    except ConfigError as exc:
        print(f"meros: configuration error: {exc}", file=sys.stderr)
        return 2
    except MerosError as exc:
        print(f"meros: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
