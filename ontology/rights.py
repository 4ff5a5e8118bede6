"""The rights decision for one object: a standard statement, open or restricted, and a reason a reader can check.

Inputs: the creators' life years and the facts some laws turn on, the work's
dates, whether it is anonymous or published (`rights_rules.Facts`), the
source's own statement (a URI, or the words sources really write), and a
curator's override. The term comes from the configured jurisdiction's rules
(`rights_rules`); the source's statement is read into a rightsstatements.org /
creativecommons.org URI where it is clear. When the two disagree, the more
restrictive wins and the object is flagged for review; when the rules cannot
decide (missing dates), a clear statement from the source is followed, and
with none the object is "copyright not evaluated" and restricted.

The same `decide_facts` runs at load time (from a `Record`) and in
`meros rights` (from the stored graph), so both write identical triples.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Triple

from .errors import ConfigError, RecordError
from .record import Record, Text
from .rights_laws import JURISDICTIONS, Jurisdiction
from .rights_rules import Facts, Person, Term, term
from .rights_text import STATEMENT_NAMES, Clause, render_all
from .vocab import NS, RIGHTS

RS = "http://rightsstatements.org/vocab/{}/1.0/"
STATEMENTS: dict[str, str] = {key: RIGHTS.get(key, RS.format(key)) for key in STATEMENT_NAMES}
_KEY_OF = {uri: key for key, uri in STATEMENTS.items()}

# What a statement claims: no copyright ("free"), a holder's licence or waiver, free in the US only,
# restricted, or not evaluated.
_FREE = {"PDM", "NKC", "NoC-OKLR", "NoC-NC", "NoC-CR"}
_US_ONLY = {"NoC-US"}
_UNKNOWN = {"CNE", "UND"}
_SEVERITY = {"free": 0, "licence": 1, "us": 2, "unknown": 3, "restrictive": 4}

# Free-text statements as sources write them → statement key (or CC licence); first match in a text wins,
# and across texts the most restrictive.
_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"restricted use|conditions sp[ée]cifiques|usage restreint|rights reserved|droits réservés|"
                r"(?<!not )in copyright|access_restricted|права защищены|охраняется авторским правом|"
                r"reading room only|только в читальном зале|оқу залында ғана", re.I), "InC"),
    (re.compile(r"copyright not evaluated", re.I), "CNE"),
    (re.compile(r"copyright undetermined|rights undetermined", re.I), "UND"),
    (re.compile(r"no copyright\s*[-–—]\s*united states|not aware of any u\.?\s?s\.? copyright|"
                r"public domain in the united states", re.I), "NoC-US"),
    (re.compile(r"\bcc[ -]?(by(?:-nc)?(?:-nd|-sa)?)[ -]?(\d\.\d)\b", re.I), "licence"),
    (re.compile(r"\bcc0\b|public domain dedication", re.I), "CC0"),
    (re.compile(r"public domain mark|\bcc pdm\b|free of known restrictions under copyright law", re.I), "PDM"),
    (re.compile(r"no known (copyright )?restrictions|no known copyright", re.I), "NKC"),
    (re.compile(r"domaine public|public domain|publiek domein|gemeinfrei|общественное достояние|"
                r"қоғамдық игілік|jamoat mulki", re.I), "PDM"),
)


@dataclass(frozen=True)
class RightsDecision:
    statement: str  # a rightsstatements.org / creativecommons.org URI
    status: str  # "open" | "restricted"
    reason: dict[str, str] = field(default_factory=dict)  # language → sentence, all five languages
    public_domain_from: int | None = None
    jurisdiction: str | None = None
    review: tuple[str, ...] = ()  # why a curator should look (meros:reviewNeeded); empty when nothing to check
    conflict: bool = False  # the source's statement and the computation disagree
    source_statement: str | None = None  # the source's statement as a standard URI, when clear
    curator: str | None = None  # set when a curator's override decided


@dataclass(frozen=True)
class SourceRights:
    """The source's own statement: its URI (any IRI it gave) and its words, verbatim."""

    uri: str | None = None
    texts: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Override:
    """A curator's decision for one object (a row of the overrides CSV)."""

    object_id: str
    statement: str
    reason: str
    curator: str


def normalise_uri(uri: str) -> str:
    """rightsstatements/creativecommons URIs in their canonical http, trailing-slash form.

    >>> normalise_uri("https://rightsstatements.org/page/InC/1.0/?language=en")
    'http://rightsstatements.org/vocab/InC/1.0/'
    """
    u = uri.strip().replace("https://", "http://")
    u = u.replace("/page/", "/vocab/")
    u = re.sub(r"\?.*$", "", u)
    return u if u.endswith("/") else u + "/"


def kind_of(statement: str | None) -> str | None:
    """'free', 'licence', 'us', 'unknown' or 'restrictive' for a standard statement URI."""
    if statement is None:
        return None
    if statement.startswith("http://creativecommons.org/licenses/") or statement == STATEMENTS["CC0"]:
        return "licence"
    key = _KEY_OF.get(statement)
    if key in _FREE:
        return "free"
    if key in _US_ONLY:
        return "us"
    if key in _UNKNOWN:
        return "unknown"
    return "restrictive"


def is_open(statement: str, jurisdiction: str | None = None) -> bool:
    """Whether a statement lets anyone use the object in `jurisdiction` (NoC-US only in the US)."""
    kind = kind_of(statement)
    return kind in ("free", "licence") or (kind == "us" and jurisdiction in (None, "US"))


def statement_of(source: SourceRights) -> str | None:
    """The source's statement as a standard URI when it is clear; None otherwise.

    >>> statement_of(SourceRights(texts=(Text("conditions spécifiques d'utilisation", "fr"), Text("restricted use"))))
    'http://rightsstatements.org/vocab/InC/1.0/'
    >>> statement_of(SourceRights(texts=(Text("Glen Robson. CC BY-SA 3.0"),)))
    'http://creativecommons.org/licenses/by-sa/3.0/'
    """
    return _statement_of(source)


@lru_cache(maxsize=1024)  # a library words all its records' rights alike: read each wording once
def _statement_of(source: SourceRights) -> str | None:
    if source.uri and re.match(r"https?://(rightsstatements|creativecommons)\.org/", source.uri):
        return normalise_uri(source.uri)
    found: list[str] = []
    for text in source.texts:
        for pattern, key in _TEXT_RULES:
            m = pattern.search(text.value)
            if m:
                found.append(f"http://creativecommons.org/licenses/{m.group(1).lower()}/{m.group(2)}/"
                             if key == "licence" else STATEMENTS[key])
                break
    return max(found, key=lambda s: _SEVERITY[kind_of(s) or "free"], default=None)


def statement_from_source(record: Record) -> str | None:
    return statement_of(source_of(record))


def source_of(record: Record) -> SourceRights:
    uri = record.rights_uri.strip() if record.rights_uri else None
    if uri and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", uri):
        uri = None  # not an IRI: the mapping does not store it either
    return SourceRights(uri, _sorted_texts(record.rights_text))


def _sorted_texts(texts: Iterable[Text]) -> tuple[Text, ...]:
    return tuple(sorted(set(texts), key=lambda t: (t.lang or "", t.value)))


def _agent_key(name: str, birth: int | None, death: int | None) -> str:
    from .mapping import Uris  # the mapping imports this module; the agent's URI segment tells creators apart
    from .record import Agent

    return Uris("http://x").agent(Agent(name, birth=birth, death=death)).value.rsplit("/id/agent/", 1)[-1]


def facts_of(record: Record) -> Facts:
    """The rules' view of a record; creators merged as the graph merges their nodes."""
    merged: dict[str, Person] = {}
    for a in record.creators:
        key = _agent_key(a.name, a.birth, a.death)
        p = Person(key, a.birth, a.death, a.is_organisation, a.repressed, a.rehabilitated, a.war_participant,
                   a.mort_pour_la_france)
        merged[key] = _merge(merged[key], p) if key in merged else p
    return Facts(tuple(merged.values()), record.year_from, record.year_to, record.anonymous, record.published,
                 record.genre)


def _merge(a: Person, b: Person) -> Person:
    wars = {a.war_participant, b.war_participant} - {None}
    rehab = [y for y in (a.rehabilitated, b.rehabilitated) if y is not None]
    return Person(a.key, a.birth, a.death, a.organisation or b.organisation, a.repressed or b.repressed,
                  max(rehab) if rehab else None, (True in wars) if wars else None,
                  a.mort_pour_la_france or b.mort_pour_la_france)


def facts_from_graph(triples: Iterable[Triple], cho: str, agg: str) -> tuple[Facts, SourceRights]:
    """The same facts read back from an object's stored graph (what `meros rights` recomputes from)."""
    props: dict[str, dict[str, list[object]]] = {}
    for t in triples:
        props.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)  # type: ignore[union-attr]
    c, a = props.get(cho, {}), props.get(agg, {})

    def one(p: dict[str, list[object]], pred: NamedNode) -> str | None:
        vals = sorted(v.value for v in p.get(pred.value, []))  # type: ignore[attr-defined]
        return vals[-1] if vals else None

    def year(p: dict[str, list[object]], pred: NamedNode) -> int | None:
        v = one(p, pred)
        return int(v) if v is not None and re.fullmatch(r"-?\d+", v) else None

    def flag(p: dict[str, list[object]], pred: NamedNode) -> bool | None:
        vals = {v.value for v in p.get(pred.value, [])}  # type: ignore[attr-defined]
        return True if "true" in vals else (False if "false" in vals else None)

    persons = []
    for node in sorted({n.value for n in c.get(NS.dc.creator.value, [])}):  # type: ignore[attr-defined]
        ap = props.get(node, {})
        types = {v.value for v in ap.get(NS.rdf.type.value, [])}  # type: ignore[attr-defined]
        persons.append(Person(node.rsplit("/id/agent/", 1)[-1], year(ap, NS.rdaGr2.dateOfBirth),
                              year(ap, NS.rdaGr2.dateOfDeath), NS.foaf.Organization.value in types,
                              bool(flag(ap, NS.meros.repressed)), year(ap, NS.meros.rehabilitated),
                              flag(ap, NS.meros.warParticipant), bool(flag(ap, NS.meros.mortPourLaFrance))))
    texts = [Text(v.value, v.language) for v in a.get(NS.meros.sourceRights.value, [])  # type: ignore[attr-defined]
             if isinstance(v, Literal)]
    facts = Facts(tuple(persons), year(c, NS.meros.yearFrom), year(c, NS.meros.yearTo),
                  bool(flag(c, NS.meros.anonymous)), flag(c, NS.meros.published), one(c, NS.dc.type))
    return facts, SourceRights(one(a, NS.meros.sourceStatement), _sorted_texts(texts))


def jurisdiction_of(code: str) -> Jurisdiction:
    j = JURISDICTIONS.get(code.upper())
    if j is None:
        raise ConfigError(f"jurisdiction {code!r} has no rules; valid: {', '.join(JURISDICTIONS)}")
    return j


def decide(record: Record, jurisdiction: str, year: int | None = None, *, override: Override | None = None,
           overrides: Mapping[str, Override] | None = None) -> RightsDecision:
    """Statement, status and reason for `record` under `jurisdiction`'s rules, as of `year` (default: this year).

    A curator's decision comes as `override`, or as `overrides` (by object id, as `read_overrides` gives them).
    """
    if override is None and overrides:
        override = overrides.get(record.id)
    return decide_facts(facts_of(record), source_of(record), jurisdiction, year, override=override)


def decide_facts(facts: Facts, source: SourceRights, jurisdiction: str, year: int | None = None, *,
                 override: Override | None = None) -> RightsDecision:
    """The decision from the rules' facts and the source's statement (the table in docs/rights.md)."""
    j = jurisdiction_of(jurisdiction)
    year = date.today().year if year is None else year
    t = term(j, facts, year)
    stmt = statement_of(source)
    if override is not None:
        return _overridden(j, t, override, stmt)
    kind, quote = kind_of(stmt), _quote(source, stmt)
    computed = list(t.clauses)
    exact_pd = t.pd_from if not t.bounded else None

    def decision(statement: str, status: str, clauses: list[Clause], pd_from: int | None = None,
                 conflict: str | None = None) -> RightsDecision:
        review = ((f"conflict: {conflict}",) if conflict else ()) + t.review
        return RightsDecision(statement, status, render_all(clauses), pd_from, j.code, review, bool(conflict), stmt)

    if kind == "licence" and t.state != "pd":  # the holder's licence or waiver: open, whatever the term
        shown = computed if t.state == "protected" else []
        return decision(stmt, "open", [Clause("source_licence", quote=quote), *shown])  # type: ignore[arg-type]
    if t.state == "pd":
        if kind == "restrictive":
            return decision(stmt, "restricted", [*computed, Clause("source_stricter", quote=quote)],  # type: ignore[arg-type]
                            conflict=f"the source states {_en(quote)} but under the {j.code} rules the work is "
                                     f"public domain since {t.pd_from}")
        statement = STATEMENTS["PDM"]
        if j.us and term(JURISDICTIONS["FR"], facts, year).state != "pd":
            statement = STATEMENTS["NoC-US"]  # public domain by the US publication rule only
        agree = [Clause("source_agrees", quote=quote)] if kind in ("free", "us", "licence") else []
        return decision(statement, "open", [*computed, *agree], exact_pd)
    us = None if j.us else term(JURISDICTIONS["US"], facts, year)  # "NoC-US" when public domain only there
    fallback = STATEMENTS["NoC-US"] if us is not None and us.state == "pd" else None
    us_note = [Clause("us_pd", year=us.pd_from)] if fallback and us is not None and not us.bounded else []
    if t.state == "protected":
        if kind == "free" or (kind == "us" and j.us):
            return decision(fallback or STATEMENTS["InC"], "restricted",
                            [*computed, Clause("source_opener", quote=quote), *us_note], t.pd_from,
                            conflict=f"the source states {_en(quote)} but under the {j.code} rules the work is "
                                     f"protected until the end of {t.end}")
        statement = stmt if kind == "restrictive" else (fallback or STATEMENTS["InC"])
        extra = [Clause("source_states", quote=quote)] if stmt else []
        return decision(statement, "restricted", [*computed, *extra, *us_note], t.pd_from)
    # The rules cannot decide: a clear statement from the source is followed, else not evaluated.
    if kind in ("free", "licence") or (kind == "us" and j.us):
        return decision(stmt, "open", [Clause("source_followed", quote=quote, country=j.code)])  # type: ignore[arg-type]
    if kind == "restrictive":
        return decision(stmt, "restricted", [Clause("source_restricts", quote=quote)])  # type: ignore[arg-type]
    extra = [Clause("source_states", quote=quote)] if stmt else []
    return decision(stmt or fallback or STATEMENTS["CNE"], "restricted", [*computed, *extra, *us_note])


def _overridden(j: Jurisdiction, t: Term, o: Override, stmt: str | None) -> RightsDecision:
    status = "open" if is_open(o.statement, j.code) else "restricted"
    pd_from = t.pd_from if status == "open" and t.state == "pd" and not t.bounded else None
    reason = render_all([Clause("curator", curator=o.curator, text=o.reason)])
    return RightsDecision(o.statement, status, reason, pd_from, j.code, (), False, stmt, o.curator)


def _quote(source: SourceRights, stmt: str | None) -> tuple[tuple[str, str], ...]:
    """What the source said, per language where it said it in several: the words, else the statement's name."""
    if source.texts:
        return tuple((t.lang or "", _shorten(t.value)) for t in source.texts)
    key = _KEY_OF.get(stmt or "")
    if key:
        return tuple(STATEMENT_NAMES[key].items())
    return (("", stmt or source.uri or ""),)


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _en(quote: tuple[tuple[str, str], ...]) -> str:
    return "“" + (dict(quote).get("en") or quote[0][1]) + "”"


def statement_uri(value: str) -> str:
    """A curator's statement, as a URI or a short key ("PDM", "InC", "NoC-US", "CC-BY-4.0"), in canonical form."""
    v = value.strip()
    if v in STATEMENTS:
        return STATEMENTS[v]
    m = re.fullmatch(r"CC[- ](BY(?:-NC)?(?:-ND|-SA)?)[- ](\d\.\d)", v, re.I)
    if m:
        return f"http://creativecommons.org/licenses/{m.group(1).lower()}/{m.group(2)}/"
    if re.match(r"https?://(rightsstatements\.org/(vocab|page)/|creativecommons\.org/(licenses|publicdomain)/)", v):
        uri = normalise_uri(v)
        if uri in _KEY_OF or uri.startswith("http://creativecommons.org/licenses/"):
            return uri
    raise ValueError(f"{value!r} is not a rights statement (a rightsstatements.org or creativecommons.org URI, "
                     f"or one of {', '.join(STATEMENTS)})")


OVERRIDE_COLUMNS = ("id", "statement", "reason", "curator")


def read_overrides(data: bytes, source: str = "overrides CSV") -> dict[str, Override]:
    """Curators' overrides from a UTF-8 CSV with columns id, statement, reason, curator; every problem reported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(f"{source}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip().lower() for h in (rows[0] if rows else [])]
    missing = [c for c in OVERRIDE_COLUMNS if c not in header]
    if missing:
        raise RecordError(f"{source}: no {', '.join(missing)} column (needs {', '.join(OVERRIDE_COLUMNS)}; "
                          f"header: {', '.join(header) or 'none'})")
    out: dict[str, Override] = {}
    problems: list[str] = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        empty = [c for c in OVERRIDE_COLUMNS if not row[c]]
        if empty:
            problems.append(f"line {line}: no {', '.join(empty)}")
            continue
        try:
            uri = statement_uri(row["statement"])
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if row["id"] in out:
            problems.append(f"line {line}: id {row['id']!r} repeats an earlier row")
            continue
        out[row["id"]] = Override(row["id"], uri, row["reason"], row["curator"])
    if problems:
        raise RecordError(f"{source}: " + "; ".join(problems))
    return out

