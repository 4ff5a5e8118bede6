"""Copyright terms per jurisdiction, each rule with its legal source, and the term they give one work.

Terms run to the end of a calendar year: an author who died in 1902 under
"life + 70" is protected until 31 December 1972, so the work is public domain
from 1 January 1973. A `Term` is computed only from what the record says;
where a fact is missing, the one provable bound used is that no one lives past
125 (death ≤ birth + 125, or ≤ the work's latest year + 125), and a term that
cannot be shown to have ended is "unknown", never guessed. Where a law leaves
a question open (Uzbekistan's 2021 extension, a posthumous first edition, a
rehabilitation), the longer term applies and the reason says so, with a note
for review. docs/rights.md lists the same rules with their sources (a test
keeps the two in step).

>>> t = term(JURISDICTIONS["KZ"], Facts(creators=(Person("a", death=1902),)), 2026)
>>> (t.state, t.pd_from)
('pd', 1973)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .rights_text import Clause

LIFESPAN = 125  # no one lives longer: the one bound used for an unknown death year
WAR_YEARS = (1941, 1945)  # the Great Patriotic War, for the Russian +4
US_PUBLISHED = 95  # years from publication (17 U.S.C. § 304, and § 302(c) for anonymous works)
US_UNPUBLISHED = 120  # years from creation for unpublished works without a known author (§ 302(c))
US_1978 = 1978  # works published from 1978 on: life + 70 (§ 302(a))
US_303A = 2002  # unpublished works created before 1978 are protected at least until the end of 2002 (§ 303(a))
PRINTED_GENRES = frozenset({"book", "periodical", "newspaper", "map", "print", "music score"})


@dataclass(frozen=True)
class Source:
    citation: str
    url: str | None = None


@dataclass(frozen=True)
class Rule:
    """One row of the rules table: what the law says, in a sentence, and where."""

    key: str
    summary: str
    source: Source


@dataclass(frozen=True)
class Transition:
    """An earlier, shorter term: works whose former term ended by `expired_by` …"""

    former_life: int
    expired_by: int  # … on 31 December of this year
    amended: int  # the year of the extension
    settled: bool  # True: they stay public domain (RU); False: unsettled, the longer term applies, flagged (UZ)


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    law: Source
    life: int = 70
    anonymous: int | None = 70  # years from publication for anonymous and pseudonymous works
    collective: int | None = None  # years from publication for a collective work of an organisation (FR)
    posthumous: int | None = None  # years from a first publication after the author's death (within the term)
    rehabilitation: bool = False  # the term runs from posthumous rehabilitation
    war_years: int = 0  # RU: more years for authors who worked or fought in the Great Patriotic War
    mort_pour_la_france: int = 0  # FR: more years for authors "mort pour la France"
    transition: Transition | None = None
    us: bool = False  # the United States' publication-based rules
    rules: tuple[Rule, ...] = ()


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


def _rule(key: str, summary: str, citation: str, url: str | None = None) -> Rule:
    return Rule(key, summary, Source(citation, url))


_KZ_LAW = "Law of the Republic of Kazakhstan of 10 June 1996 No. 6-I “On copyright and related rights”"
_KZ_URL = "https://adilet.zan.kz/rus/docs/Z960000006_"
_UZ_LAW = "Law of the Republic of Uzbekistan of 20 July 2006 No. ZRU-42 “On copyright and related rights”"
_UZ_URL = "https://www.wipo.int/wipolex/en/members/profile/UZ"
_RU_LAW = "Civil Code of the Russian Federation, Part Four (Federal Law of 18 December 2006 No. 230-FZ)"
_RU_URL = "https://www.consultant.ru/document/cons_doc_LAW_64629/"
_FR_LAW = "Code de la propriété intellectuelle (CPI)"
_FR_URL = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006069414/"
_US_LAW = "Copyright Act of 1976, 17 U.S.C. chapter 3 (duration of copyright)"
_US_URL = "https://www.copyright.gov/title17/92chap3.html"

JURISDICTIONS: dict[str, Jurisdiction] = {
    "KZ": Jurisdiction(
        "KZ", "Kazakhstan", Source(_KZ_LAW, _KZ_URL), posthumous=70, rehabilitation=True,
        rules=(
            _rule("life", "Life of the author + 70 years; for a joint work, the last surviving co-author.",
                  f"{_KZ_LAW}, art. 28", _KZ_URL),
            _rule("anonymous", "Anonymous and pseudonymous works: 70 years from lawful publication.",
                  f"{_KZ_LAW}, art. 28", _KZ_URL),
            _rule("posthumous", "Works first published after the author's death: 70 years from publication "
                  "(applied to editions dated within the author's term; flagged when it changes the answer).",
                  f"{_KZ_LAW}, art. 28", _KZ_URL),
            _rule("rehabilitation", "Authors repressed and rehabilitated after death: the term runs from the year "
                  "of rehabilitation (flagged for review).", f"{_KZ_LAW}, art. 28", _KZ_URL),
            _rule("calendar", "Terms are counted from 1 January of the year after the event.",
                  f"{_KZ_LAW}, art. 28", _KZ_URL),
        )),
    "UZ": Jurisdiction(
        "UZ", "Uzbekistan", Source(_UZ_LAW, _UZ_URL), posthumous=70, rehabilitation=True,
        transition=Transition(former_life=50, expired_by=2020, amended=2021, settled=False),
        rules=(
            _rule("life", "Life of the author + 70 years (life + 50 before the 2021 amendment); joint works: the "
                  "last surviving co-author.", f"{_UZ_LAW}, as amended by the Law of 20 August 2021", _UZ_URL),
            _rule("anonymous", "Anonymous and pseudonymous works: 70 years from lawful publication.",
                  f"{_UZ_LAW}, as amended by the Law of 20 August 2021", _UZ_URL),
            _rule("posthumous", "Works first published after the author's death: 70 years from publication "
                  "(applied to editions dated within the author's term; flagged when it changes the answer).",
                  f"{_UZ_LAW}, as amended by the Law of 20 August 2021", _UZ_URL),
            _rule("transition", "Authors whose life + 50 term ended before the 2021 amendment (died 1951–1970): "
                  "whether protection revived is unsettled; the longer term applies, flagged for review.",
                  "Law of the Republic of Uzbekistan of 20 August 2021 (term extended to life + 70)", _UZ_URL),
            _rule("rehabilitation", "Repressed authors: whether the term runs from rehabilitation is not settled "
                  "in our sources; it is counted from rehabilitation, as in RU and KZ, and flagged for review.",
                  f"{_UZ_LAW} (no express provision found; the Russian and Kazakh rule is applied)", _UZ_URL),
        )),
    "RU": Jurisdiction(
        "RU", "Russia", Source(_RU_LAW, _RU_URL), posthumous=70, rehabilitation=True,
        war_years=4, transition=Transition(former_life=50, expired_by=1992, amended=2004, settled=True),
        rules=(
            _rule("life", "Life of the author + 70 years, from 1 January of the year after death; joint works: the "
                  "last surviving co-author.", f"{_RU_LAW}, art. 1281(1)", _RU_URL),
            _rule("anonymous", "Anonymous and pseudonymous works: 70 years from lawful publication.",
                  f"{_RU_LAW}, art. 1281(2)", _RU_URL),
            _rule("posthumous", "Works first published within 70 years after the author's death: 70 years from "
                  "publication.", f"{_RU_LAW}, art. 1281(3)", _RU_URL),
            _rule("rehabilitation", "Authors repressed and rehabilitated after death: 70 years from 1 January of "
                  "the year after rehabilitation (flagged for review).", f"{_RU_LAW}, art. 1281(4)", _RU_URL),
            _rule("war", "Authors who worked during or fought in the Great Patriotic War: +4 years (applied to "
                  "every author alive in 1941–1945 unless the source says otherwise).", f"{_RU_LAW}, art. 1281(5)",
                  _RU_URL),
            _rule("transition", "Works whose former 50-year term (+4 for the war) ended before 1 January 1993 stay "
                  "in the public domain.", "Federal Law of 18 December 2006 No. 231-FZ, art. 6"),
        )),
    "FR": Jurisdiction(
        "FR", "France", Source(_FR_LAW, _FR_URL), collective=70, mort_pour_la_france=30,
        rules=(
            _rule("life", "Life of the author + 70 years, to the end of the calendar year.",
                  f"{_FR_LAW}, art. L123-1", _FR_URL),
            _rule("joint", "Works of collaboration: the last surviving co-author.", f"{_FR_LAW}, art. L123-2",
                  _FR_URL),
            _rule("anonymous", "Anonymous, pseudonymous and collective works: 70 years from 1 January after "
                  "publication.", f"{_FR_LAW}, art. L123-3", _FR_URL),
            _rule("posthumous", "Posthumous works published after the term expired: 25 years from publication, for "
                  "the publisher (not applied: a first publication cannot be told from a reprint).",
                  f"{_FR_LAW}, art. L123-4", _FR_URL),
            _rule("mort_pour_la_france", "Authors “mort pour la France”: +30 years (applied when the source says "
                  "so, flagged for review).", f"{_FR_LAW}, art. L123-10", _FR_URL),
            _rule("war_extensions", "The wartime extensions of art. L123-8 and L123-9 are absorbed by the 70-year "
                  "term (not added).", "Cour de cassation, 1re chambre civile, 27 February 2007, no. 04-12.138"),
            _rule("eu", "Harmonised term of protection in the European Union.",
                  "Directive 2006/116/EC of 12 December 2006, art. 1",
                  "https://eur-lex.europa.eu/eli/dir/2006/116/oj"),
        )),
    "US": Jurisdiction(
        "US", "United States", Source(_US_LAW, _US_URL), anonymous=None, us=True,
        rules=(
            _rule("published", "Works published before 1978: 95 years from publication, so as of 2026 everything "
                  "published before 1931 (publication year + 95 ≤ year − 1); the term assumes renewal or "
                  "restoration (URAA, § 104A).", "17 U.S.C. § 304", _US_URL),
            _rule("life", "Works published from 1978 on and unpublished works: life of the author + 70 years.",
                  "17 U.S.C. § 302(a)", _US_URL),
            _rule("anonymous", "Anonymous works and works made for hire: 95 years from publication or 120 from "
                  "creation.", "17 U.S.C. § 302(c)", _US_URL),
            _rule("unpublished", "Unpublished works created before 1978: protected at least until 31 December 2002.",
                  "17 U.S.C. § 303(a)", _US_URL),
            _rule("calendar", "All terms run to the end of the calendar year.", "17 U.S.C. § 305", _US_URL),
        )),
}
