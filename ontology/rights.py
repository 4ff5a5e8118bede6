"""The rights decision for one object: a standard statement, open or restricted, and why.

This first version reads the source's own statement (a URI, or the free text
sources really write) and is conservative: anything not clearly free is
restricted, and no statement at all is "copyright not evaluated".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .record import Record
from .vocab import RIGHTS

OPEN_PREFIXES = (
    RIGHTS["PDM"], RIGHTS["CC0"], RIGHTS["NoC-US"], RIGHTS["NoC-OKLR"], RIGHTS["NKC"],
    "http://rightsstatements.org/vocab/NoC-",
    "http://creativecommons.org/licenses/by/", "http://creativecommons.org/licenses/by-sa/",
)

# Free-text statements as sources write them → statement key; first match wins.
_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"restricted use|conditions sp[ée]cifiques|usage restreint|rights reserved|in copyright", re.I), "InC"),
    (re.compile(r"no known (copyright )?restrictions|free of known restrictions", re.I), "NKC"),
    (re.compile(r"domaine public|public domain|общественное достояние|қоғамдық игілік|jamoat mulki", re.I), "PDM"),
)


@dataclass(frozen=True)
class RightsDecision:
    statement: str  # a rightsstatements.org / creativecommons.org URI
    status: str  # "open" | "restricted"
    reason: dict[str, str] = field(default_factory=dict)  # language → sentence
    public_domain_from: int | None = None
    jurisdiction: str | None = None
    review: bool = False


def normalise_uri(uri: str) -> str:
    """rightsstatements/creativecommons URIs in their canonical http, trailing-slash form."""
    u = uri.strip().replace("https://", "http://")
    u = u.replace("/page/", "/vocab/")
    u = re.sub(r"\?.*$", "", u)
    return u if u.endswith("/") else u + "/"


def statement_from_source(record: Record) -> str | None:
    """The source's own statement as a standard URI, when it is clear; None otherwise."""
    if record.rights_uri and re.match(r"https?://(rightsstatements|creativecommons)\.org/", record.rights_uri):
        return normalise_uri(record.rights_uri)
    for text in record.rights_text:
        for pattern, key in _TEXT_RULES:
            if pattern.search(text.value):
                return RIGHTS[key]
    return None


def is_open(statement: str) -> bool:
    return statement.startswith(OPEN_PREFIXES)


def decide(record: Record, jurisdiction: str) -> RightsDecision:
    """Statement, status and reason for `record` under `jurisdiction`'s rules."""
    statement = statement_from_source(record)
    if statement is None:
        return RightsDecision(
            statement=RIGHTS["CNE"], status="restricted", jurisdiction=jurisdiction,
            reason={"en": "The source gives no rights statement and copyright has not been evaluated: restricted until it is."},
        )
    quoted = "; ".join(f"“{t.value}”" for t in record.rights_text) or statement
    status = "open" if is_open(statement) else "restricted"
    return RightsDecision(
        statement=statement, status=status, jurisdiction=jurisdiction,
        reason={"en": f"The source states {quoted}: {'free to use' if status == 'open' else 'use is restricted'}."},
    )
