"""`meros load KIND SOURCE`: harvest a source (or read files) into the store, resumably and politely.

The command wires the pieces together: the source's harvester (loaders/*),
the shared HTTP client with the source's rate limit, the checkpoint of this
harvest target, and the runner, the one write path. It prints one summary line
(loaded, replaced, unchanged, rejected) and where the rejects went. A load
interrupted in any way (Ctrl-C, `kill -9`, a source that stops answering)
resumes from its checkpoint when the same command runs again.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from loaders.checkpoint import Checkpoint, Deleted, Mark
from loaders.harvest import SOURCES, Harvest, HarvestError, HarvestOptions, Item
from loaders.http import HttpClient, RateLimit
from loaders.mapped import MapSpec
from loaders.runner import LoadReport, RejectLog, Validator, load_records
from ontology.errors import ConfigError, MerosError
from ontology.mapping import Uris
from sparql.store import Store, open_store

from ..settings import store_location

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")


def after_load(settings: dict[str, Any], store: Store, report: LoadReport) -> None:
    """The hook run after every successful load that wrote something, with the store still open.

    Derived data is brought up to date here: the search index re-reads the
    objects the load touched. It is not called for dry runs. A load that used
    the bulk loader compacts the store first, for that read and every later one.
    """
    from portal.search import update_index

    if report.bulk_loaded:
        store.optimize()
    update_index(settings, store, report.ids)


def _overrides(settings: dict[str, Any]) -> dict[str, Any] | None:
    """Curators' decisions (MEROS_RIGHTS_OVERRIDES) apply at load time as they do in `meros rights`."""
    from ontology.rights import read_overrides

    path = settings.get("RIGHTS_OVERRIDES")
    if not path:
        return None
    try:
        return read_overrides(Path(path).read_bytes(), str(path))
    except OSError as exc:
        raise ConfigError(f"MEROS_RIGHTS_OVERRIDES={path}: cannot read it ({exc})") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kinds = "\n".join(f"  {k:<8} {s.help}" for k, s in SOURCES.items())
    p = sub.add_parser(
        "load", help="harvest a source or read files into the store (resumable, idempotent)",
        description=f"Harvest a source or read its files into the store.\n\nKINDS and their SOURCE:\n{kinds}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=list(SOURCES), metavar="KIND", help="one of: " + ", ".join(SOURCES))
    p.add_argument("source", metavar="SOURCE", help="what to load (see KINDS)")
    p.add_argument("--base-url", type=_url, help="fetch from this mirror (or recorded copy) instead of the source's host")
    p.add_argument("--set", help="OAI-PMH set; loc.gov collection; Gallica document type (dc.type)")
    p.add_argument("--limit", type=_positive, help="stop after N records")
    p.add_argument("--dry-run", action="store_true", help="fetch, map and validate; write nothing")
    p.add_argument("--from", dest="from_", metavar="DATE", type=_date, help="OAI-PMH: records changed on or after DATE "
                   "(YYYY-MM-DD); default: since the last complete harvest")
    p.add_argument("--until", metavar="DATE", type=_date, help="OAI-PMH: records changed on or before DATE")
    p.add_argument("--prefix", help="OAI-PMH metadataPrefix: oai_dc (default), mods, marc21, marcxml, edm")
    p.add_argument("--provider", help="the id prefix of the objects, when the source cannot tell (CSV, scans…)")
    p.add_argument("--metadata-only", action="store_true",
                   help="no per-record detail requests (Gallica OAIRecord/Pagination, loc.gov item JSON, "
                        "kazneb viewer)")
    p.add_argument("--rate", metavar="N/S[,N/S]", type=_rate, help="replace the source's rate limit (only for a mirror you run)")
    p.add_argument("--restart", action="store_true", help="ignore the checkpoint of an unfinished run")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: when the terminal shows it)")
    p.set_defaults(func=cmd_load)


def _date(text: str) -> str:
    if not _DATE.match(text):
        raise argparse.ArgumentTypeError(f"{text!r}: write a date as YYYY-MM-DD (or YYYY-MM-DDThh:mm:ssZ)")
    return text


def _url(text: str) -> str:
    if not re.match(r"https?://[^\s/]+", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL")
    return text.rstrip("/")


def _rate(text: str) -> str:
    try:
        RateLimit.parse(text)
    except MerosError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _usage_error(args: argparse.Namespace) -> str | None:
    """What argparse cannot check alone: options that belong to another kind."""
    if args.prefix and args.kind != "oai":
        return "--prefix is an OAI-PMH option (meros load oai …)"
    if (args.from_ or args.until) and args.kind != "oai":
        return "--from and --until are OAI-PMH options (meros load oai …)"
    return None


def _source_key(kind: str, source: str) -> str:
    """The source as the checkpoint knows it: local paths made absolute, so `cd` does not lose the place."""
    if SOURCES[kind].rate is None and not re.match(r"https?://", source):
        return str(Path(source).expanduser().resolve())
    return source.strip()


def _limited(items: Iterable[Item], limit: int | None) -> Iterator[Item]:
    """At most `limit` records (loaded or rejected); stops pulling, so no further page is fetched."""
    if limit is None:
        yield from items
        return
    seen = 0
    if limit <= 0:
        return
    for item in items:
        yield item
        if not isinstance(item, (Mark, Deleted)):
            seen += 1
            if seen >= limit:
                return  # before the harvester fetches anything more


def _total(report: LoadReport, prior: dict[str, int]) -> LoadReport:
    total = LoadReport(dry_run=report.dry_run, ids=report.ids, rejects=report.rejects)
    for key, value in report.counts().items():
        setattr(total, key, value + prior.get(key, 0))
    return total


def cmd_load(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    problem = _usage_error(args)
    if problem:
        print(f"meros load: error: {problem}", file=sys.stderr)
        return 2
    spec = SOURCES[args.kind]
    options = HarvestOptions(base_url=args.base_url, set=args.set, from_=args.from_, until=args.until,
                             prefix=args.prefix, provider=args.provider, details=not args.metadata_only,
                             limit=args.limit)
    target = {"kind": args.kind, "source": _source_key(args.kind, args.source), "base_url": args.base_url,
              "set": args.set, "prefix": args.prefix, "provider": args.provider}
    run_args = {"from": args.from_, "until": args.until, "limit": args.limit, "details": options.details}
    checkpoint = Checkpoint.open(None if args.dry_run else Path(settings["CHECKPOINTS"]), target, run_args,
                                 restart=args.restart)
    _log_to_stderr()
    client = HttpClient(limits=spec.limits(args.kind, args.rate), contact=settings["HTTP_CONTACT"],
                        timeout=settings["HTTP_TIMEOUT"], retries=settings["HTTP_RETRIES"],
                        backoff=settings["HTTP_BACKOFF"], max_wait=settings["HTTP_MAX_WAIT"])
    uris, now, overrides = Uris(settings["BASE_URL"]), datetime.now(timezone.utc), _overrides(settings)
    harvest = Harvest(client, options, checkpoint, mapping=MapSpec.of(uris, settings["JURISDICTION"], now, overrides))
    prior = checkpoint.prior_counts
    if checkpoint.resumed:
        print(f"meros load {args.kind}: resuming an interrupted run from its checkpoint", flush=True)
    remaining = None if args.limit is None else max(0, args.limit - sum(
        prior[k] for k in ("loaded", "replaced", "unchanged", "rejected")))
    rejects_path = Path(settings["REJECTS"])
    store = None if args.dry_run else open_store(store_location(settings))
    try:
        validate: Validator | None = None
        if args.dry_run:  # SHACL on every graph: what "validates" means for a dry run
            from ontology.validate import validate as shacl
            validate = shacl
        progress = sys.stderr.isatty() if args.progress is None else args.progress
        items = _limited(spec.load()(args.source, harvest), remaining)
        report = load_records(
            store, items, uris=uris, jurisdiction=settings["JURISDICTION"], now=now,
            images_dir=Path(settings["IMAGES"]), rejects=RejectLog(None if args.dry_run else rejects_path),
            progress=progress, dry_run=args.dry_run, validate=validate, batch_size=spec.batch,
            on_mark=None if args.dry_run else lambda mark, rep: checkpoint.advance(mark, rep.counts()),
            overrides=overrides)
        done = (checkpoint.cursor or {}).get("done", False)
        if not args.dry_run:
            checkpoint.finish(complete=bool(done) and args.limit is None)
            assert store is not None
            after_load(settings, store, report)
    except HarvestError as exc:
        print(f"meros load {args.kind}: stopped: {exc}", file=sys.stderr)
        print(f"meros load {args.kind}: {harvest.stats.summary()}; the checkpoint keeps the place: "
              "the same command resumes from it", file=sys.stderr)
        return 1
    finally:
        client.close()
        if store is not None:
            store.close()
    _report(args, _total(report, prior), harvest, rejects_path)
    return 0


def _report(args: argparse.Namespace, total: LoadReport, harvest: Harvest, rejects: Path) -> None:
    where = "" if not total.rejected or args.dry_run else f" (reasons and raw records in {rejects})"
    print(f"meros load {args.kind}: {total.summary()}{where}; {harvest.stats.summary()}", flush=True)
    for note in harvest.stats.notes:
        print(f"  note: {note}")
    if args.dry_run:
        for rejected in total.rejects[:20] or []:
            print(f"  rejected: {rejected.source_url}: {rejected.reason}")


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time (it may be replaced after the handler is made)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def _log_to_stderr() -> None:
    """Retries and waits are worth seeing; one handler, added once."""
    logger = logging.getLogger("meros")
    if not any(isinstance(h, _Stderr) for h in logger.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("meros: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
