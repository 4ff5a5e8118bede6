"""`meros rights`: recompute every object's rights decision from its stored graph.

Everything is read back from the store — creators' life years and the facts
some laws turn on, the work's dates, anonymity, the source's own statement —
so a new jurisdiction, a new year or a curator's override needs no re-harvest.
Only the decision's triples change (edm:rights, status, reasons, public-domain
year, jurisdiction, review notes); the content hash is recomputed the way the
loader computes it, so the next load with the same settings sees the graph as
unchanged. Each batch of graphs is replaced in one atomic update. Run on
1 January, it opens the works whose term ended the year before.
"""
from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from loaders.mapped import content_hash
from ontology.errors import MerosError, RecordError
from ontology.mapping import DECISION_PREDICATES, Uris, rights_triples
from ontology.rights import Override, RightsDecision, decide_facts, facts_from_graph, read_overrides
from ontology.rights_laws import JURISDICTIONS
from ontology.vocab import NS, XSD_DATETIME
from sparql.store import Store, open_store

from ..settings import store_location

BATCH = 500


@dataclass
class RightsReport:
    jurisdiction: str
    year: int
    total: int = 0
    open: int = 0
    changed: int = 0
    opened: list[str] = field(default_factory=list)  # restricted (or new) → open in this run
    closed: list[str] = field(default_factory=list)  # open → restricted in this run
    new_this_year: list[str] = field(default_factory=list)  # open, public domain from 1 January of `year`
    review: list[tuple[str, RightsDecision]] = field(default_factory=list)

    @property
    def conflicts(self) -> list[tuple[str, RightsDecision]]:
        return [(oid, d) for oid, d in self.review if d.conflict]

    def summary(self) -> str:
        return (f"Rights under {self.jurisdiction} as of {self.year}: {self.total} objects, {self.open} open, "
                f"{self.total - self.open} restricted; {self.changed} changed ({len(self.opened)} newly open, "
                f"{len(self.closed)} newly restricted); {len(self.review)} flagged for review "
                f"({len(self.conflicts)} conflicts with the source's statement).")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "rights", help="recompute the rights status of every object",
        description="Recompute every object's rights statement, status and reason from the store, under a "
                    "jurisdiction's rules (docs/rights.md).")
    p.add_argument("--jurisdiction", type=str.upper, choices=sorted(JURISDICTIONS),
                   help="whose rules apply (default: MEROS_JURISDICTION)")
    p.add_argument("--year", type=int, help="evaluate as of this year (default: the current year)")
    p.add_argument("--conflicts", action="store_true",
                   help="list the objects whose source statement and computed status disagree")
    p.add_argument("--review", action="store_true", help="list every object flagged for a curator's review")
    p.add_argument("--overrides", type=Path, metavar="FILE.csv",
                   help="curators' decisions: a CSV with columns id, statement, reason, curator "
                        "(default: MEROS_RIGHTS_OVERRIDES)")
    p.add_argument("--dry-run", action="store_true", help="compute and report, write nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    jurisdiction = args.jurisdiction or settings["JURISDICTION"]
    year = args.year if args.year is not None else date.today().year
    if not -9999 <= year <= 9999:
        raise MerosError(f"--year {year} is not a calendar year", status=400)
    overrides: dict[str, Override] = {}
    path = args.overrides or (Path(settings["RIGHTS_OVERRIDES"]) if settings.get("RIGHTS_OVERRIDES") else None)
    if path is not None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise MerosError(f"cannot read the overrides file {path}: {exc.strerror}") from None
        overrides = read_overrides(data, str(path))
    with open_store(store_location(settings)) as store:
        report = recompute(store, Uris(settings["BASE_URL"]), jurisdiction, year, overrides=overrides,
                           write=not args.dry_run)
    print(report.summary() + (" Nothing written (--dry-run)." if args.dry_run else ""))
    if report.new_this_year:
        print(f"New in the public domain in {year}: {', '.join(report.new_this_year)}")
    if args.conflicts or args.review:
        listed = report.conflicts if args.conflicts and not args.review else report.review
        print(f"{'object':<40} {'status':<10} {'statement':<48} why")
        for oid, d in listed:
            print(f"{oid:<40} {d.status:<10} {d.statement:<48} {' | '.join(d.review)}")
    return 0


def recompute(store: Store, uris: Uris, jurisdiction: str, year: int, *, overrides: dict[str, Override] | None = None,
              write: bool = True, batch_size: int = BATCH) -> RightsReport:
    """Decide every object again and rewrite the decisions that changed; overrides naming no object refuse the run.

    Per batch, one query reads only the triples the rules need and the current decision; only the graphs
    whose decision changed are read whole, rewritten and replaced (one atomic update per batch).
    """
    overrides = overrides or {}
    prefix = uris.graph("x").value[:-1]
    graphs = [g for g in store.graphs() if g.value.startswith(prefix)]
    unknown = sorted(set(overrides) - {g.value[len(prefix):] for g in graphs})
    if unknown:
        raise RecordError(f"overrides name objects that are not in the store: {', '.join(unknown)}; "
                          "nothing was changed")
    report = RightsReport(jurisdiction, year)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for batch in _chunks(graphs, batch_size):
        decided: dict[NamedNode, RightsDecision] = {}
        for graph, triples in _contents(store, batch, FACT_PREDICATES).items():
            oid = graph.value[len(prefix):]
            decision = _redecide(report, uris, oid, triples, jurisdiction, year, overrides.get(oid))
            if decision is not None:
                decided[graph] = decision
        changed = {graph: _rewritten(uris, graph, triples, decided[graph], stamp)
                   for graph, triples in _contents(store, list(decided)).items()} if decided else {}
        report.changed += len(changed)
        if changed and write:
            store.replace_graphs(changed)
    return report


def _redecide(report: RightsReport, uris: Uris, oid: str, triples: list[Triple], jurisdiction: str, year: int,
              override: Override | None) -> RightsDecision | None:
    """The object's new decision when it differs from the stored one; None when unchanged or not an object."""
    agg, cho = uris.aggregation(oid), uris.cho(oid)
    if not any(t.subject == agg and t.predicate == NS.edm.aggregatedCHO for t in triples):
        return None
    facts, source = facts_from_graph(triples, cho.value, agg.value)
    decision = decide_facts(facts, source, jurisdiction, year, override=override)
    report.total += 1
    report.open += decision.status == "open"
    if decision.review:
        report.review.append((oid, decision))
    if decision.status == "open" and decision.public_domain_from == year:
        report.new_this_year.append(oid)
    stored = {t for t in triples if t.subject == agg and t.predicate.value in DECISION_PREDICATES}
    if stored == set(rights_triples(agg, decision)):
        return None
    was_open = any(t.predicate == NS.meros.rightsStatus and t.object.value == "open" for t in stored)
    if was_open and decision.status != "open":
        report.closed.append(oid)
    elif not was_open and decision.status == "open":
        report.opened.append(oid)
    return decision


def _rewritten(uris: Uris, graph: NamedNode, triples: list[Triple], decision: RightsDecision,
               stamp: str) -> list[Triple]:
    """The whole graph with the new decision in place of the old one, a new timestamp and its content hash.

    A changed decision is a changed record (OAI-PMH datestamps, change discovery); the hash is computed
    exactly as the loader computes it (without the timestamp), so the next load sees the graph unchanged.
    """
    agg = uris.aggregation(graph.value.rsplit("/graph/", 1)[-1])
    kept = [t for t in triples if not (t.subject == agg and t.predicate.value in DECISION_PREDICATES)
            and t.predicate not in (NS.meros.contentHash, NS.prov.generatedAtTime)]
    new = kept + rights_triples(agg, decision)
    new.append(Triple(graph, NS.prov.generatedAtTime, Literal(stamp, datatype=XSD_DATETIME)))
    new.append(Triple(graph, NS.meros.contentHash, Literal(content_hash(new))))
    return new


# What the rules read (the object's dates and flags, its creators' facts, the source's statement) and the
# stored decision: a fraction of each graph.
FACT_PREDICATES: tuple[NamedNode, ...] = (
    NS.edm.aggregatedCHO, NS.dc.creator, NS.dc.type, NS.meros.yearFrom, NS.meros.yearTo, NS.meros.anonymous,
    NS.meros.published, NS.rdaGr2.dateOfBirth, NS.rdaGr2.dateOfDeath, NS.meros.repressed, NS.meros.rehabilitated,
    NS.meros.warParticipant, NS.meros.mortPourLaFrance, NS.meros.sourceRights, NS.meros.sourceStatement,
    *(NamedNode(p) for p in sorted(DECISION_PREDICATES)))


def _contents(store: Store, graphs: list[NamedNode],
              predicates: tuple[NamedNode, ...] | None = None) -> dict[NamedNode, list[Triple]]:
    """The triples of each graph (only those with `predicates`, and organisation types, when given): one query."""
    values = " ".join(f"<{g.value}>" for g in graphs)
    if predicates is None:
        pattern = "?s ?p ?o"
    else:
        org = NS.foaf.Organization.value
        pattern = (f"{{ VALUES ?p {{ {' '.join(f'<{p.value}>' for p in predicates)} }} ?s ?p ?o }} UNION "
                   f"{{ ?s a <{org}> BIND(<{NS.rdf.type.value}> AS ?p) BIND(<{org}> AS ?o) }}")
    rows = store.query(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ {pattern} }} }}",
                       union_default_graph=False)
    assert isinstance(rows, list)
    out: dict[NamedNode, list[Triple]] = defaultdict(list)
    for row in rows:
        out[row["g"]].append(Triple(row["s"], row["p"], row["o"]))  # type: ignore[arg-type,index]
    return out


def _chunks(items: list[NamedNode], size: int) -> Iterator[list[NamedNode]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
