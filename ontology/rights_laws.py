"""The copyright laws Meros applies, per jurisdiction: their terms, and each rule with its legal source.

Data only: `rights_rules` computes a work's term from them. docs/rights.md
lists the same rules with their sources (a test keeps the two in step).
"""
from __future__ import annotations

from dataclasses import dataclass


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
