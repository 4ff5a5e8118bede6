"""Curated CSV → `Record`s: one row per work, for works no catalogue we can harvest describes.

The file is UTF-8 (a BOM is allowed) with a header row. Columns:

==================== ======== ==========================================================
column               required what it holds
==================== ======== ==========================================================
key                  yes      the local id, unique in the file ("abai-qara-sozder")
title                yes      the title as written in the script below
lang                          ISO 639 code of the title and text ("kk", "uz", "ru")
script                        ISO 15924 code of the title's script ("Cyrl", "Latn"):
                              the title is tagged `lang-Script` ("kk-Cyrl", "uz-Latn")
creator                       the author's name as written
creator_birth                 the author's birth year (digits)
creator_death                 the author's death year (digits): drives the rights decision
date                          as catalogues write it: "1890/1898", "~1530", "1909"
genre                         book, manuscript, periodical, map … (our genre keys)
place_of_publication          where it was first published or written
note                          a free-text note, in English unless `note_lang` says
note_lang                     the language of the note
rights                        a rights statement to quote verbatim
rights_uri                    a rightsstatements.org / creativecommons.org URI
same_as                       authority URIs (Wikidata, VIAF …), separated by spaces
==================== ======== ==========================================================

A note that states a fact copyright laws turn on is read into the record as
well (docs/rights.md): "executed 1937", "died in the Solovki camp" (repressed),
"rehabilitated 1988", "fought in the Great Patriotic War", "mort pour la
France", "unpublished".

A row with more cells than columns is a free-text cell with an unquoted comma
("Оян, қазақ!"): it is joined back where the fixed-format columns (key, lang,
script, years) then fit, and rejected when no single place does. A row without
key or title, with a repeated key or with a year that is not a number becomes
a `Rejected` with the raw row; the other rows are still read. A file that is
not UTF-8, or has no key/title columns, is refused whole.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from ontology.errors import RecordError
from ontology.record import Agent, Place, Record, Text

from .base import Rejected
from .genres import edm_type_of, genre_of
from .normalise import language_code, nfc, parse_date

LOADER = "loaders.csv"
REQUIRED = ("key", "title")


def parse_csv(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """One `Record` per row of a curated CSV (columns in the module docstring)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(f"CSV is not UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
                          "save it as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [nfc(h).lower() for h in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise RecordError(f"CSV has no {', '.join(missing)} column (header: {', '.join(header) or 'none'})")
        seen: set[str] = set()
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            raw = _raw(cells)
            if len(cells) > len(header):
                cells = _realign(header, cells) or cells
            row = dict(zip(header, cells))
            try:
                if len(cells) > len(header):
                    raise RecordError(f"{len(cells)} cells for {len(header)} columns (an unquoted comma?)")
                record = _record(row, source_url, provider or "curated")
                if record.local_id in seen:
                    raise RecordError(f"key {record.local_id!r} repeats an earlier row")
                record.check()
            except RecordError as exc:
                yield Rejected(source_url, f"line {reader.line_num}: {exc.message}", raw)
                continue
            seen.add(record.local_id)
            yield record
    except csv.Error as exc:
        raise RecordError(f"CSV is not readable at line {reader.line_num}: {exc}") from None


def _raw(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


_FORMATS = {"key": r"\S+", "lang": r"[a-z]{2,3}", "script": r"[A-Z][a-z]{3}", "creator_birth": r"-?\d{1,4}",
            "creator_death": r"-?\d{1,4}", "date": r".*\d.*", "genre": r"\D*"}


def _realign(header: list[str], cells: list[str]) -> list[str] | None:
    """A row with an unquoted comma in one free-text cell ("Оян, қазақ!"): the cells joined back where the
    fixed-format columns then all fit; None when no single place does."""
    extra = len(cells) - len(header)
    for column in ("note", "title", "place_of_publication", "creator"):  # the likeliest to hold a comma first
        if column not in header:
            continue
        i = header.index(column)
        merged = cells[:i] + [",".join(cells[i:i + extra + 1])] + cells[i + extra + 1:]
        row = dict(zip(header, merged))
        if all(not row.get(c, "").strip() or re.fullmatch(p, row[c].strip()) for c, p in _FORMATS.items()):
            return merged
    return None


def _year(row: dict[str, str], column: str) -> int | None:
    value = _cell(row, column)
    if not value:
        return None
    if not re.fullmatch(r"-?\d{1,4}", value):
        raise RecordError(f"{column} {value!r} is not a year")
    return int(value)


def _cell(row: dict[str, str], column: str) -> str:
    return nfc(row.get(column))


# Notes stating facts some copyright laws turn on (docs/rights.md); English, Russian, Kazakh, Uzbek wording.
_REHABILITATED = re.compile(r"rehabilitated (?:in )?(\d{4})|реабилитирован\w* (?:в )?(\d{4})|"
                            r"(\d{4}) (?:жылы )?ақталған|(\d{4})-yil(?:da)? oqlangan", re.I)
_REPRESSED = re.compile(r"\b(?:executed|shot|repressed|purged|died in (?:the |a )?(?:\w+ )?(?:camp|gulag|prison))\b|"
                        r"расстрелян|репрессирован|қуғын-сүргін|атылған|qatagʻon|otib tashlangan", re.I)
_WAR = re.compile(r"(?:fought|served|worked) (?:in|during) the (?:Great Patriotic|Second World) War|"
                  r"war veteran|участ\w+ (?:в )?Великой Отечественной", re.I)
_MORT_POUR_LA_FRANCE = re.compile(r"mort pour la France", re.I)
_UNPUBLISHED = re.compile(r"\bunpublished\b|\bnever published\b|не опубликован|жарияланбаған", re.I)


def _rights_facts(agent: Agent, note: str) -> None:
    """What the note says about the author's repression, rehabilitation and war, on the agent."""
    if m := _REHABILITATED.search(note):
        agent.rehabilitated = int(next(g for g in m.groups() if g))
        agent.repressed = True
    if _REPRESSED.search(note):
        agent.repressed = True
    if _WAR.search(note):
        agent.war_participant = True
    if _MORT_POUR_LA_FRANCE.search(note):
        agent.mort_pour_la_france = True


def _record(row: dict[str, str], source_url: str, provider: str) -> Record:
    key, title = _cell(row, "key"), _cell(row, "title")
    if not key or not title:
        raise RecordError("no " + " and no ".join(c for c, v in (("key", key), ("title", title)) if not v))
    lang = language_code(_cell(row, "lang"))
    script = _cell(row, "script").title()
    tag = f"{lang}-{script}" if lang and script else lang
    creators = []
    if _cell(row, "creator"):
        creators.append(Agent(_cell(row, "creator"), birth=_year(row, "creator_birth"),
                              death=_year(row, "creator_death"), role="author"))
    date, year_from, year_to = parse_date(_cell(row, "date"))
    genre = genre_of(_cell(row, "genre")) or (_cell(row, "genre").lower() or None)
    note = _cell(row, "note")
    for agent in creators:
        _rights_facts(agent, note)
    rights = _cell(row, "rights")
    return Record(
        provider=provider, local_id=key, titles=[Text(title, tag)], source_url=source_url, source_format="csv",
        loader=LOADER, edm_type=edm_type_of(genre), genre=genre, creators=creators, date=date,
        date_display=_cell(row, "date") or None, year_from=year_from, year_to=year_to,
        languages=[lang] if lang else [],
        place_of_origin=Place(_cell(row, "place_of_publication")) if _cell(row, "place_of_publication") else None,
        descriptions=[Text(note, language_code(_cell(row, "note_lang")) or "en")] if note else [],
        same_as=_cell(row, "same_as").split(), rights_text=[Text(rights)] if rights else [],
        rights_uri=_cell(row, "rights_uri") or None, published=False if _UNPUBLISHED.search(note) else None,
    )
