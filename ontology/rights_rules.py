"""Copyright terms per jurisdiction, each rule with its legal source, and the term they give one work.

Terms run to the end of a calendar year: an author who died in 1902 under
"life + 70" is protected until 31 December 1972, so the work is public domain
from 1 January 1973. A `Term` is computed only from what the record says;
where a fact is missing, the one provable bound used is that no one lives past
125 (death ≤ birth + 125, or ≤ the work's latest year + 125), and a term that
cannot be shown to have ended is "unknown", never guessed. Where a law leaves
a question open (Uzbekistan's 2021 extension, a posthumous first edition, a
rehabilitation), the longer term applies and the reason says so, with a note
for review. The laws themselves, with their sources, are in `rights_laws`.

>>> from ontology.rights_laws import JURISDICTIONS
>>> t = term(JURISDICTIONS["KZ"], Facts(creators=(Person("a", death=1902),)), 2026)
>>> (t.state, t.pd_from)
('pd', 1973)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .rights_laws import Jurisdiction
from .rights_text import Clause

LIFESPAN = 125  # no one lives longer: the one bound used for an unknown death year
WAR_YEARS = (1941, 1945)  # the Great Patriotic War, for the Russian +4
US_PUBLISHED = 95  # years from publication (17 U.S.C. § 304, and § 302(c) for anonymous works)
US_UNPUBLISHED = 120  # years from creation for unpublished works without a known author (§ 302(c))
US_1978 = 1978  # works published from 1978 on: life + 70 (§ 302(a))
US_303A = 2002  # unpublished works created before 1978 are protected at least until the end of 2002 (§ 303(a))
PRINTED_GENRES = frozenset({"book", "periodical", "newspaper", "map", "print", "music score"})


@dataclass(frozen=True)
class Person:
    """A creator as the rules see it: life years and the facts some laws turn on."""

    key: str  # tells two creators apart (the agent's URI segment)
    birth: int | None = None
    death: int | None = None
    organisation: bool = False
    repressed: bool = False
    rehabilitated: int | None = None
    war_participant: bool | None = None
    mort_pour_la_france: bool = False


@dataclass(frozen=True)
class Facts:
    """Everything the rules read about one work, from a `Record` or from its stored graph."""

    creators: tuple[Person, ...] = ()
    year_from: int | None = None
    year_to: int | None = None  # the latest year the work can date from: the conservative "publication" year
    anonymous: bool = False
    published: bool | None = None
    genre: str | None = None

    def was_published(self) -> bool | None:
        """Published as the record says; a manuscript is not, printed genres are; otherwise unknown."""
        if self.published is not None:
            return self.published
        if self.genre == "manuscript":
            return False
        return True if self.genre in PRINTED_GENRES else None


@dataclass(frozen=True)
class Term:
    """The outcome under one jurisdiction in one year: public domain, protected, or unknown — and why."""

    state: str  # "pd" | "protected" | "unknown"
    end: int | None = None  # the last protected year, exact or (bounded) at the latest
    bounded: bool = False
    clauses: tuple[Clause, ...] = ()
    review: tuple[str, ...] = ()

    @property
    def pd_from(self) -> int | None:
        return None if self.end is None else self.end + 1


@dataclass
class _Reading:
    """One way of counting the term before it meets the evaluation year."""

    end: int
    bounded: bool
    basis: Clause
    rule: str
    n: int
    notes: list[Clause] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


def _unknown(key: str, country: str, review: tuple[str, ...] = (), **params: object) -> Term:
    return Term("unknown", clauses=(Clause(key, country=country, **params),), review=review)


def term(j: Jurisdiction, facts: Facts, year: int) -> Term:
    """The work's term under `j`'s rules, evaluated on 1 January… 31 December of `year`."""
    reading = _us_reading(j, facts, year) if j.us else _life_rules_reading(j, facts, year)
    if isinstance(reading, Term):
        return reading
    return _finish(j, reading, year)


def _finish(j: Jurisdiction, r: _Reading, year: int) -> Term:
    pd_from = r.end + 1
    if pd_from <= year:
        result = Clause("pd_latest" if r.bounded else "pd", country=j.code, year=pd_from, rule=r.rule, n=r.n)
        return Term("pd", r.end, r.bounded, (r.basis, result, *r.notes), tuple(r.review))
    if r.bounded:
        return _unknown("not_proven", j.code, latest=r.end)
    result = Clause("protected", country=j.code, last=r.end, year=pd_from, rule=r.rule, n=r.n)
    return Term("protected", r.end, False, (r.basis, result, *r.notes), tuple(r.review))


def _life_rules_reading(j: Jurisdiction, facts: Facts, year: int) -> _Reading | Term:
    persons = [p for p in facts.creators if not p.organisation]
    organisations = [p for p in facts.creators if p.organisation]
    made = facts.year_to
    if not persons and (facts.anonymous or (organisations and j.collective)):
        if made is None:
            return _unknown("not_evaluated", j.code)
        n = (j.anonymous if facts.anonymous else j.collective) or j.life
        basis = Clause("anonymous" if facts.anonymous else "collective", pub=made)
        reading = _Reading(made + n, False, basis, "publication", n)
        _transition(j, reading, made, 0, year)
        return reading
    if not persons:  # nobody named (or only organisations): whoever made it died by made + 125
        if made is None:
            return _unknown("not_evaluated", j.code)
        key = "date_bound" if organisations else "nobody_bound"
        persons = [Person("?", death=None)]
        reading = _authors(j, persons, made, year, nobody_key=key)
    else:
        reading = _authors(j, persons, made, year)
    if isinstance(reading, Term):
        return reading
    return _posthumous(j, facts, persons, reading, year)


def _authors(j: Jurisdiction, persons: list[Person], made: int | None, year: int, *, life: int | None = None,
             nobody_key: str | None = None) -> _Reading | Term:
    """Life-based term of a (joint) work: counted from the last author to die, or to be rehabilitated."""
    life = j.life if life is None else life
    best: _Reading | None = None
    for p in persons:
        if p.death is not None:
            d, bounded, basis = p.death, False, Clause("died", death=p.death)
        elif p.birth is not None:
            d, bounded = p.birth + LIFESPAN, True
            basis = Clause("born_bound", birth=p.birth, bound=d)
        elif made is not None:
            d, bounded = made + LIFESPAN, True
            basis = Clause(nobody_key or "date_bound", made=made, bound=d)
        else:
            return _unknown("not_evaluated", j.code)
        start, rule, notes, review = d, "life", [], []
        if j.rehabilitation and (p.repressed or p.rehabilitated is not None):
            if p.rehabilitated is None:
                return _unknown("rehabilitation_unknown", j.code, review=(
                    "rehabilitation: the source says an author was repressed but gives no year of rehabilitation; "
                    "the term may run from it",))
            if p.rehabilitated > d or bounded:
                start, rule = max(p.rehabilitated, d), "rehabilitation"
                basis = Clause("rehabilitated", death=d, rehab=p.rehabilitated)
                notes.append(Clause("review"))
                review.append(f"rehabilitation: the term is counted from rehabilitation in {p.rehabilitated}; "
                              "check the year and that it was posthumous")
        ext = 0
        if j.war_years:
            if p.war_participant:
                ext += j.war_years
                notes.append(Clause("war_stated"))
            elif p.war_participant is None and d >= WAR_YEARS[0] and (p.birth is None or p.birth <= WAR_YEARS[1]):
                ext += j.war_years
                notes.append(Clause("war_assumed"))
        if j.mort_pour_la_france and p.mort_pour_la_france:
            ext += j.mort_pour_la_france
            notes.append(Clause("mort_pour_la_france"))
            review.append("mort pour la France: the source gives the mention; 30 years are added")
        reading = _Reading(start + life + ext, bounded, basis, rule, life + ext, notes, review)
        _transition(j, reading, start, ext, year)
        if best is None or reading.end > best.end:
            best = reading
    assert best is not None
    if len({p.key for p in persons}) > 1 and best.basis.key == "died":
        best.basis = Clause("died_last", death=best.basis.get("death"))
    return best


def _transition(j: Jurisdiction, r: _Reading, start: int, ext: int, year: int) -> None:
    """An earlier shorter term: settled (the work stays public domain) or open (longer term, flagged)."""
    t = j.transition
    if t is None:
        return
    former_end = start + t.former_life + ext
    if former_end > t.expired_by or r.end <= t.expired_by:  # the former term still ran, or both ended long ago
        return
    if t.settled:
        r.end, r.n = former_end, t.former_life + ext
        r.notes.append(Clause("former_term_settled", year=former_end + 1))
    elif r.end >= year:  # open question, and it matters this year
        r.notes.append(Clause("former_term_open", year=former_end + 1, amended=t.amended))
        r.review.append(f"transition: public domain from {former_end + 1} under the former life + {t.former_life}, "
                        f"protected until the end of {r.end} under the {t.amended} extension")


def _posthumous(j: Jurisdiction, facts: Facts, persons: list[Person], r: _Reading, year: int) -> _Reading:
    """An edition dated after its author's death, while the term still ran, may be the first (posthumous)
    publication, with a term counted from it: the longer reading applies, flagged when it changes the answer.

    An edition dated after the term ended is read as what it nearly always is, a reprint of a work already in
    the public domain (the Russian Code says so outright, art. 1281(3)); counting from it would lock up every
    modern edition of the classics.
    """
    made = facts.year_to
    if (not j.posthumous or r.bounded or made is None or r.rule == "rehabilitation"
            or facts.was_published() is False or any(p.death is None for p in persons)):
        return r
    last_death = max(p.death for p in persons if p.death is not None)
    if not last_death < made <= r.end:
        return r
    n = j.posthumous
    alt_end = made + n
    if alt_end <= r.end:
        return r
    notes, review = list(r.notes), list(r.review)
    if (r.end < year) != (alt_end < year):
        notes.append(Clause("posthumous_question", year=r.end + 1))
        review.append(f"posthumous: dated {made}, after the author's death in {last_death}; if it is not the first "
                      f"publication it is public domain from {r.end + 1}")
    return _Reading(alt_end, False, Clause("posthumous", pub=made, death=last_death), "publication", n, notes, review)


def _us_reading(j: Jurisdiction, facts: Facts, year: int) -> _Reading | Term:
    """17 U.S.C.: published works by publication year (95 years; life + 70 from 1978), unpublished by life."""
    persons = [p for p in facts.creators if not p.organisation]
    made = facts.year_to
    published = facts.was_published()
    readings: list[_Reading] = []
    if published is not False:
        if made is None:
            return _unknown("not_evaluated", j.code)
        if made < US_1978 or not persons:
            n = US_PUBLISHED
            if made < US_1978:  # the 1909 Act's 28 + 28 years, extended to 75 (1978) and 95 (1998) if still running
                n = next(k for k, until in ((56, US_1978), (75, 1998), (US_PUBLISHED, 10**6)) if made + k < until)
            r = _Reading(made + n, False, Clause("published", pub=made), "publication", n)
            if n == 56:  # ended before the 1976 Act: say "by 1978 at the latest", not a year before the Act
                r.end, r.bounded = US_1978 - 1, True
            if made < US_1978 and r.end >= year:
                r.notes.append(Clause("us_renewal"))
            readings.append(r)
        else:
            a = _authors(j, persons, made, year)
            if isinstance(a, Term):
                return a
            readings.append(a)
    if published is not True:
        if persons:
            a = _authors(j, persons, made, year)
            if isinstance(a, Term):
                return a
        elif made is not None:
            a = _Reading(made + US_UNPUBLISHED, False, Clause("unpublished_nobody", made=made), "creation",
                         US_UNPUBLISHED)
        else:
            return _unknown("not_evaluated", j.code)
        if made is not None and made < US_1978 and a.end < US_303A:
            a.end = US_303A
            a.notes.append(Clause("us_303a"))
        readings.append(a)
    best = max(readings, key=lambda r: (r.end, r.bounded))
    if len(readings) == 2 and len({r.end < year for r in readings}) == 2:
        best.notes.append(Clause("us_publication_unknown"))
    return best
