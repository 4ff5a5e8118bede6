"""MARC records → `Record`s: ISO 2709 or MARCXML, MARC 21 or UNIMARC/RUSMARC, UTF-8, MARC-8 or Windows-1251.

Documents are read, and each record's encoding decided, by `loaders.marc_read`.
The flavour comes from the fields present: 245 → MARC 21; 200 and no 245 → UNIMARC (RUSMARC when
catalogued in Russia).

Provider: the `provider` argument, else the record's agency through `AGENCIES`
(MARC 21: 003, then the last 040 $d, 040 $c, 040 $a; UNIMARC: 801 $b of the
modifying, then original, then transcribing agency; last, the holder in
852 $a). Local id: 001, so one source record gives one id in every
serialisation and flavour (RSL MARC 21 and RSL RUSMARC of the same record are
the same object).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pymarc import Field
from pymarc import Record as MarcRecord

from ontology.errors import RecordError
from ontology.record import Agent, Concept, Place, Record, Text

from .base import Rejected
from .genres import edm_type_of, genre_of
from .marc_read import read_marc
from .normalise import known, language_code, nfc, parse_date, parse_life_years, strip_isbd, unbracket
from .scripts import lang_tag

LOADER = "loaders.marc"
AGENCIES = {"dlc": "loc", "rumorgb": "rsl", "rusprnb": "nlr", "nlr": "nlr", "pu": "penn", "pau": "penn",
            "paulm": "penn", "paum": "penn", "pauu": "penn", "ru-rkp": "rkp", "rumorkp": "rkp", "ргб": "rsl",
            "рнб": "nlr"}
INSTITUTIONS = {"loc": "Library of Congress", "rsl": "Russian State Library", "nlr": "National Library of Russia",
                "penn": "University of Pennsylvania Libraries", "rkp": "Russian Book Chamber"}
# Leader/06 (both flavours; UNIMARC 'b' is manuscript text, MARC 21 't').
_LEADER_GENRE = {"t": "manuscript", "b": "manuscript", "p": "manuscript", "c": "music score", "d": "music score",
                 "e": "map", "f": "map", "i": "sound recording", "j": "sound recording", "k": "photograph",
                 "g": "video", "r": "object"}
# MARC 21 $4 codes and UNIMARC numeric relator codes → the role we show.
_ROLES = {"aut": "author", "trl": "translator", "ill": "illustrator", "edt": "editor", "pbl": "publisher",
          "ctg": "cartographer", "prf": "performer", "cmp": "composer", "art": "artist", "pht": "photographer",
          "fmo": "former owner", "dte": "dedicatee", "dnr": "donor", "cre": "creator", "scr": "scribe",
          "070": "author", "730": "translator", "440": "illustrator", "340": "editor", "650": "publisher",
          "180": "cartographer", "220": "compiler", "390": "former owner", "080": "author of introduction",
          "ill": "illustrator", "tr": "translator", "ed": "editor", "comp": "compiler", "пер": "translator",
          "ил": "illustrator", "ред": "editor", "сост": "compiler", "авт": "author"}  # and $e abbreviations
_CREATOR_ROLES = {"author", "creator", "artist", "cartographer", "composer", "photographer", "illustrator", "автор"}


@dataclass(frozen=True)
class _Flavour:
    """Where each thing lives in one MARC flavour, so one mapping serves both."""

    name: str
    title: tuple[str, str, str]  # tag, title codes, subtitle codes
    imprints: tuple[str, ...]
    imprint_codes: str  # place, publisher, date
    languages: tuple[str, str]
    creators: tuple[str, ...]
    by_role: tuple[str, ...]  # creator or contributor depending on the role
    contributors: tuple[str, ...]
    person_subject: tuple[str, ...]
    subjects: tuple[str, ...]
    places: tuple[str, ...]
    subdivisions: str
    notes: tuple[str, ...]
    rights: tuple[str, ...]
    extent: tuple[str, str]
    series: tuple[str, str]
    coordinates: str
    life_code: str
    numbers: tuple[tuple[str, str], ...]  # (tag, "ISBN"/"ISSN")
    deposit: tuple[str, str]  # legal deposit number: tag, (agency code, number code)


MARC21 = _Flavour("marc21", ("245", "a", "bnp"), ("264", "260"), "abc", ("041", "a"), ("100", "110", "111"),
                  ("700", "710", "711"), (), ("600",), ("610", "611", "630", "650"), ("651",), "vxyz",
                  ("500", "520"), ("506", "540"), ("300", "abc"), ("490", "av"), "034", "d",
                  (("020", "ISBN"), ("022", "ISSN")), ("017", "ba"))
UNIMARC = _Flavour("unimarc", ("200", "a", "ehi"), ("214", "210"), "acd", ("101", "a"), ("700", "701", "710", "711"),
                   (), ("702", "712"), ("600",), ("601", "605", "606", "610"), ("607",), "jxyz",
                   ("300", "330"), ("371",), ("215", "acde"), ("225", "av"), "123", "f",
                   (("010", "ISBN"), ("011", "ISSN")), ("021", "ab"))


def parse_marc(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """One `Record` per MARC record of an ISO 2709 or MARCXML document; unmappable records become `Rejected`."""
    for marc, raw, container in read_marc(data):
        if isinstance(marc, str):
            yield Rejected(source_url, marc, raw)
            continue
        try:
            record = _record(marc, source_url, provider, container)
            record.check()
        except RecordError as exc:
            yield Rejected(source_url, exc.message, raw)
            continue
        yield record


# --- mapping ---------------------------------------------------------------------------------------

class _Marc:
    """A MARC record's fields by tag: the mapping asks for some forty tags of each record, and pymarc's
    `get_fields` looks through every field each time."""

    def __init__(self, record: MarcRecord) -> None:
        self.leader = record.leader
        self.fields: list[Field] = record.fields
        self._by_tag: dict[str, list[Field]] = {}
        for f in self.fields:
            self._by_tag.setdefault(f.tag, []).append(f)

    def get_fields(self, *tags: str) -> list[Field]:
        """The fields with these tags, in the record's order (as pymarc's `get_fields`)."""
        if len(tags) == 1:
            return list(self._by_tag.get(tags[0], ()))
        wanted = set(tags)
        return [f for f in self.fields if f.tag in wanted]


def _subs(field: Field, codes: str) -> list[str]:
    return [v for v in (nfc(s.value) for s in field.subfields if s.code in codes) if v]


def _first(fields: list[Field], code: str) -> str:
    for f in fields:
        for v in _subs(f, code):
            return v
    return ""


def _control(marc: _Marc, tag: str) -> str:
    fields = marc.get_fields(tag)
    return (fields[0].data or "") if fields and fields[0].is_control_field() else ""


def _unimarc_general(marc: _Marc) -> str:
    """UNIMARC 100 $a, a fixed-position field: read raw (nfc would fold its spaces)."""
    return next((s.value for f in marc.get_fields("100") for s in f.subfields if s.code == "a"), "").ljust(36)


def _agency(marc: _Marc, fl: _Flavour) -> str:
    if fl is MARC21:
        f040 = marc.get_fields("040")
        found = [_control(marc, "003")] + [v for f in f040 for v in reversed(_subs(f, "d"))]
        found += [_first(f040, "c"), _first(f040, "a"), _first(marc.get_fields("852"), "a")]
    else:
        order = {"2": 0, "0": 1, "1": 2}
        f801 = sorted(reversed(marc.get_fields("801")), key=lambda f: order.get(f.indicator2, 3))
        found = [_first([f], "b") for f in f801] + [_first(marc.get_fields("852"), "a")]
    return next((c.strip() for c in found if c.strip()), "")


def _record(record: MarcRecord, source_url: str, provider: str | None, container: str) -> Record:
    marc = _Marc(record)
    fl = MARC21 if marc.get_fields("245") or not marc.get_fields("200") else UNIMARC
    local = _control(marc, "001").strip()
    if not local:
        raise RecordError("MARC record without a 001 control number")
    agency = _agency(marc, fl)
    provider = provider or AGENCIES.get(agency.lower()) or re.sub(r"[^a-z0-9-]+", "-", agency.lower()).strip("-")
    if not provider:
        raise RecordError(f"MARC record {local}: no agency (003, 040, 801) to name the provider; pass provider=")
    general = _unimarc_general(marc)
    russian = "RU" in [_first([f], "a") for f in marc.get_fields("801")] or general[22:25] == "rus"
    cat_lang = language_code(_first(marc.get_fields("040"), "b") if fl is MARC21 else general[22:25]) or "en"
    langs = _languages(marc, fl)
    titles, creators, contributors = _titles_and_agents(marc, fl, langs[0] if langs else None)
    imprint = next((f for t in fl.imprints for f in marc.get_fields(t) if t != "264" or f.indicator2 in "1 "), None)
    place, publisher, date_text = (_first([imprint], c) if imprint else "" for c in fl.imprint_codes)
    date, year_from, year_to = parse_date(date_text)
    if date is None:
        date, year_from, year_to = _coded_date(marc, fl)
    subjects, places = _subjects(marc, fl, cat_lang)
    identifiers, same_as = _identifiers(marc, fl, local)
    is_shown_at = next((u for f in marc.get_fields("856") if f.indicator2 != "2" for u in _subs(f, "u")), None)
    if is_shown_at is None and provider == "loc" and same_as[:1] and "lccn.loc.gov" in same_as[0]:
        is_shown_at = same_as[0]
    origin = known(unbracket(strip_isbd(place)))
    genre = _genre(marc, fl)
    return Record(
        provider=provider, local_id=local, titles=titles, source_url=source_url, loader=LOADER,
        source_format=("rusmarc" if fl is UNIMARC and russian else fl.name) + ("-xml" if container == "xml" else ""),
        edm_type=edm_type_of(genre), genre=genre, creators=creators, contributors=contributors,
        date=date, date_display=strip_isbd(date_text) or None, year_from=year_from, year_to=year_to,
        languages=langs, subjects=subjects, places=places + _coordinates(marc, fl, places),
        place_of_origin=Place(origin) if origin else None,
        descriptions=[Text(v, cat_lang) for t in fl.notes for f in marc.get_fields(t) for v in _subs(f, "a")],
        publisher=known(unbracket(strip_isbd(publisher))), identifiers=identifiers, same_as=same_as,
        is_part_of=[Text(s, lang_tag(langs[0] if langs else None, s)) for f in marc.get_fields(fl.series[0])
                    for s in [" ; ".join(strip_isbd(v) for v in _subs(f, fl.series[1]))] if s],
        extent=" ".join(v for f in marc.get_fields(fl.extent[0])[:1] for v in _subs(f, fl.extent[1])) or None,
        data_provider=INSTITUTIONS.get(provider), is_shown_at=is_shown_at,
        rights_text=[Text(v, cat_lang) for t in fl.rights for f in marc.get_fields(t) for v in _subs(f, "a")],
    )


def _titles_and_agents(marc: _Marc, fl: _Flavour,
                       lang: str | None) -> tuple[list[Text], list[Agent], list[Agent]]:
    """Titles and agents, with their 880 vernacular forms (a title in Arabic script → 'chg-Arab')."""
    linked: dict[tuple[str, str] | None, list[Field]] = {}
    for f in marc.get_fields("880"):
        if (key := _link(f)) is not None:  # an 880 with occurrence 00 has no romanised partner
            linked.setdefault(key, []).append(f)
    titles: list[Text] = []
    for f in marc.get_fields(fl.title[0])[:1]:
        title = _title(f, fl)
        titles += [Text(title, lang_tag(lang, title))] if title else []
        titles += [Text(t, lang_tag(lang, t, always_script=True))
                   for v in linked.get(_link(f), []) if (t := _title(v, fl))]
    creators: list[Agent] = []
    contributors: list[Agent] = []
    for tag in fl.creators + fl.by_role + fl.contributors:
        for f in marc.get_fields(tag):
            agent = _agent(f, fl)
            agent.names += [Text(n, lang_tag(lang, n, always_script=True))
                            for v in linked.get(_link(f), []) if (n := _agent(v, fl).name)]
            creator = tag in fl.creators or (tag in fl.by_role and (agent.role or "").lower() in _CREATOR_ROLES)
            if agent.name:
                (creators if creator else contributors).append(agent)
    return titles, creators, contributors


def _title(f: Field, fl: _Flavour) -> str:
    _, main, sub = fl.title
    head = " ; ".join(strip_isbd(v) for v in _subs(f, main))
    return " : ".join(part for p in [head, *_subs(f, sub)] if (part := strip_isbd(p)))


_LINKAGE = re.compile(r"(\d{3})-(\d{2})")


def _link(f: Field) -> tuple[str, str] | None:
    """The (tag, occurrence) an 880 field and its romanised field share through $6 ('880-02' ↔ '245-02/r')."""
    m = _LINKAGE.match(_first([f], "6"))
    if not m or m.group(2) == "00":
        return None
    return (f.tag, m.group(2)) if f.tag != "880" else (m.group(1), m.group(2))


def _agent(f: Field, fl: _Flavour) -> Agent:
    org = f.tag[1] == "1"  # x10/x11 (MARC 21), 71x/601 aside (UNIMARC): corporate names
    if org:
        name = ". ".join(strip_isbd(v) for v in _subs(f, "ab"))
    elif fl is UNIMARC:
        surname, forename = _first([f], "a"), _first([f], "g") or _first([f], "b")
        name = surname + (f", {forename}" if forename else "")
        name += "".join(f" {v}" for v in _subs(f, "d")) + "".join(f", {strip_isbd(v)}" for v in _subs(f, "c"))
    else:
        name = ""
        for s in f.subfields:  # only the name's subfields are cleaned: $d, $e, $0, $4 … are read below
            if s.code in "abq":
                if v := strip_isbd(s.value):
                    name = f"{name} {v}" if name else v
            elif s.code == "c" and (v := strip_isbd(s.value)):
                name = f"{name}, {v}"
    birth, death = parse_life_years(_first([f], fl.life_code))
    codes = _subs(f, "4")
    terms = [t.strip(" .,") for t in _subs(f, "e")]
    role = next((_ROLES[c] for c in codes + [t.lower() for t in terms] if c in _ROLES), None) or \
        ", ".join(terms) or (codes[0] if codes else None)
    same_as = [u for u in (_authority(v) for v in _subs(f, "01")) if u]
    return Agent(name=strip_isbd(name), birth=birth, death=death, role=role or None, is_organisation=org,
                 same_as=same_as)


def _authority(value: str) -> str | None:
    if value.startswith(("http://", "https://")):
        return value
    m = re.fullmatch(r"\(DLC\)\s*([a-z]{1,3})\s*(\d+)", value)
    return f"http://id.loc.gov/authorities/names/{m.group(1)}{m.group(2)}" if m else None


def _languages(marc: _Marc, fl: _Flavour) -> list[str]:
    codes = []
    for f in marc.get_fields(fl.languages[0]):
        for v in _subs(f, fl.languages[1]):
            v = v.replace(" ", "")
            codes += [v[i:i + 3] for i in range(0, len(v), 3)] if len(v) % 3 == 0 else [v]
    f008 = _control(marc, "008")
    if fl is MARC21 and len(f008) == 40:
        codes.append(f008[35:38])
    elif fl is MARC21 and not codes:  # an 008 with its blanks squeezed (RSL XML): the code before 38-39
        codes += re.findall(r"([a-z]{3})\s+[a-z|]?\s*$", f008)
    out: list[str] = []
    for c in codes:
        code = language_code(c) if c.isalpha() and c.lower() != "mul" else None
        if code and code not in out:
            out.append(code)
    return out


def _coded_date(marc: _Marc, fl: _Flavour) -> tuple[str | None, int | None, int | None]:
    """The date from 008/06-14 (MARC 21) or 100 $a/08-16 (UNIMARC) when the imprint has none."""
    coded = _control(marc, "008")[6:15] if fl is MARC21 else _unimarc_general(marc)[8:17]
    if len(coded) < 9 or not re.fullmatch(r"\d[\du]{3}", coded[1:5]):
        return None, None, None
    kind, d1, d2 = coded[0], coded[1:5].replace("u", "X"), coded[5:9]
    if kind in "mdikqgb" and re.fullmatch(r"\d{4}", d2) and d2 not in ("9999", coded[1:5]):
        return parse_date(f"{d1}/{d2}" if "X" not in d1 else d1)
    return parse_date(d1)


def _heading(f: Field, fl: _Flavour) -> str:
    subdivisions = [strip_isbd(v) for v in _subs(f, fl.subdivisions)]
    main = " ".join(strip_isbd(v) for v in _subs(f, "abcdgt" if fl is MARC21 else "abcdg"))
    return "--".join(p for p in [main, *subdivisions] if p)


def _subjects(marc: _Marc, fl: _Flavour, lang: str) -> tuple[list[Concept], list[Place]]:
    subjects: list[Concept] = []
    places: list[Place] = []
    for f in marc.get_fields(*fl.person_subject):
        agent = _agent(f, fl)
        dates = _first([f], fl.life_code)
        label = "--".join([agent.name + (f", {dates}" if dates else "")] +
                          [strip_isbd(v) for v in _subs(f, fl.subdivisions)])
        subjects.append(Concept(label, lang, agent.same_as))
    for f in marc.get_fields(*fl.subjects):
        if _heading(f, fl):
            subjects.append(Concept(_heading(f, fl), lang, [u for u in map(_authority, _subs(f, "01")) if u]))
    for f in marc.get_fields(*fl.places):
        name = strip_isbd(_first([f], "a"))
        if name and all(p.name != name for p in places):
            places.append(Place(name))
        if _subs(f, fl.subdivisions):
            subjects.append(Concept(_heading(f, fl), lang))
    return subjects, places


def _coordinate(value: str) -> float | None:
    """A coordinate of 034/123: 'W0770000' (hemisphere, degrees, minutes, seconds) or decimal ('-77.03')."""
    v = value.strip().upper()
    m = re.fullmatch(r"([NSEW])(\d{3})(\d{2})(\d{2}(?:\.\d+)?)", v)
    if m:
        deg = int(m.group(2)) + int(m.group(3)) / 60 + float(m.group(4)) / 3600
        return round(-deg if m.group(1) in "SW" else deg, 6)
    m = re.fullmatch(r"([NSEW+-]?)(\d{1,3}\.\d+)", v)
    if m:
        return -float(m.group(2)) if m.group(1) in ("S", "W", "-") else float(m.group(2))
    return None


def _coordinates(marc: _Marc, fl: _Flavour, places: list[Place]) -> list[Place]:
    """The centre of the 034/123 bounding box ($d west, $e east, $f north, $g south), on the 651 place if any."""
    for f in marc.get_fields(fl.coordinates):
        lon = [c for c in (_coordinate(v) for v in _subs(f, "de")) if c is not None]
        lat = [c for c in (_coordinate(v) for v in _subs(f, "fg")) if c is not None]
        if not lon or not lat:
            continue
        la, lo = round(sum(lat) / len(lat), 6), round(sum(lon) / len(lon), 6)
        if places:
            places[0].lat, places[0].lon = la, lo
            return []
        name = _first(marc.get_fields("255"), "c") or f"{la}, {lo}"
        return [Place(name, la, lo)]
    return []


def _identifiers(marc: _Marc, fl: _Flavour, local: str) -> tuple[list[str], list[str]]:
    """Control and standard numbers; the LCCN and OCLC number also as URIs for owl:sameAs."""
    ids, same_as = [local], []
    lccn = re.sub(r"\s+", "", _first(marc.get_fields("010"), "a").split("/")[0]) if fl is MARC21 else ""
    if lccn:
        ids.append(f"LCCN {lccn}")
        same_as.append(f"https://lccn.loc.gov/{lccn}")
    ids += [f"{kind} {v.split()[0]}" for tag, kind in fl.numbers for f in marc.get_fields(tag) for v in _subs(f, "a")]
    ids += [" ".join(_subs(f, fl.deposit[1][0]) + _subs(f, fl.deposit[1][1])) for f in marc.get_fields(fl.deposit[0])]
    for v in (v for f in marc.get_fields("035") for v in _subs(f, "a")):
        ids.append(v)
        m = re.fullmatch(r"\(OCoLC\)\D*(\d+)", v)
        same_as += [f"https://www.worldcat.org/oclc/{m.group(1)}"] if m else []
    return list(dict.fromkeys(i for i in ids if i)), list(dict.fromkeys(same_as))


def _genre(marc: _Marc, fl: _Flavour) -> str | None:
    kind, level = marc.leader[6], marc.leader[7]
    if kind == "a":
        if level in "sbi" and fl is MARC21 or level in "s" and fl is UNIMARC:
            return "periodical"
        return genre_of(_first(marc.get_fields("245"), "h")) or "book"  # "[manuscript]" in older records
    if kind == "k":
        words = [v for t in ("655", "300") for f in marc.get_fields(t) for v in _subs(f, "ab")]
        return next((g for g in (genre_of(w) for w in words) if g in ("print", "drawing", "photograph")),
                    "photograph")
    return _LEADER_GENRE.get(kind)
