"""OAI-PMH: oai_dc and MODS pages, bare oai_dc records, and the harvester's readers, from the real samples."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.base import Rejected
from loaders.mods import parse_mods
from loaders.oai import deleted_identifiers, oai_error, parse_oai_dc, parse_oai_mods, resumption_token
from ontology.errors import RecordError
from ontology.record import Agent, Record, Text

SAMPLES = Path(__file__).parents[2] / "loaders" / "sample_collection"
EUR_LIST = SAMPLES / "oai_pmh_generic" / "listrecords_oai_dc_eur_dspace_2003.xml"
EUR_GET = SAMPLES / "oai_pmh_generic" / "getrecord_oai_dc_eur_dspace_hdl_1765_315.xml"
HARVARD_MODS = SAMPLES / "oai_pmh_generic" / "listrecords_mods_harvard_librarycloud_botanicals.xml"
CENTRAL_ASIA_DC = SAMPLES / "central_asia" / "oai_dc"
LUGHAT_DC = CENTRAL_ASIA_DC / "oai_dc_harvard_librarycloud_990037477160203941_lughat_i_turki_1825_per_chg.xml"
MUSAYYAB_DC = CENTRAL_ASIA_DC / "oai_dc_harvard_librarycloud_990061976420203941_musayyab_namah_tashkent_1900_chg.xml"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"


def records(parser, data: bytes, provider: str | None = None) -> list[Record]:  # type: ignore[no-untyped-def]
    out = list(parser(data, "file:page", provider=provider))
    assert all(isinstance(r, Record) for r in out), [r for r in out if isinstance(r, Rejected)]
    return out


# --- EUR DSpace, oai_dc ----------------------------------------------------------------------

def test_eur_listrecords_16_records_with_handles() -> None:
    recs = records(parse_oai_dc, EUR_LIST.read_bytes())
    assert len(recs) == 16
    assert [r.local_id for r in recs][:3] == ["1765/308", "1765/309", "1765/311"]
    assert {r.provider for r in recs} == {"eur"}  # from the repository's host, dspace.ubib.eur.nl
    first = recs[0]
    assert first.id == "eur-1765-308"
    assert first.titles == [Text("Kijken in het brein: Over de mogelijkheden van neuromarketing")]
    assert first.contributors == [Agent("Smidts, A.")]
    assert first.is_shown_at == "http://hdl.handle.net/1765/308"
    assert first.source_url == \
        "http://dspace.ubib.eur.nl/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier=hdl:1765/308"
    assert (first.date, first.year_from) == ("2003-04-15", 2003)
    assert first.languages == []  # dc:language "other"
    assert {lang for r in recs for lang in r.languages} == {"en", "nl"}  # "en_US" read as en
    assert "hdl:1765/308" in first.identifiers
    assert {r.edm_type for r in recs} == {"TEXT"}
    returns = next(r for r in recs if r.local_id == "1765/316")
    assert [a.name for a in returns.contributors] == ["Toktay, B.", "Laan, E.A. van der", "Brito, M.P. de"]
    assert returns.is_part_of == [Text("ERS;ERS-2003-023-LIS")]
    assert next(r for r in recs if r.local_id == "1765/325").extent == "48 pages"


def test_eur_getrecord_one_record() -> None:
    [rec] = records(parse_oai_dc, EUR_GET.read_bytes())
    assert rec.id == "eur-1765-315"
    assert rec.titles[0].value.startswith("De vrouwenbeweging online.")
    assert rec.contributors == [Agent("Edwards, A.R.")]
    assert rec.languages == ["nl"] and len(rec.subjects) == 4


def test_provider_argument_wins() -> None:
    [rec] = records(parse_oai_dc, EUR_GET.read_bytes(), provider="erasmus")
    assert rec.id == "erasmus-1765-315"


# --- Harvard LibraryCloud: bare oai_dc with Arabic script as character references ---------------

def test_lughat_i_turki_bare_oai_dc() -> None:
    [rec] = records(parse_oai_dc, LUGHAT_DC.read_bytes())
    assert rec.id == "harvard-003747716"  # the HOLLIS number inside the Alma id: same id as the MODS record
    assert rec.titles[0] == Text("Lughat-i Turkī")
    assert Text("لغت تركي", "und-Arab") in rec.titles  # &#1604;&#1594;… decoded, NFC, script tagged
    assert rec.creators == [Agent("Faḍl Allāh Khān", names=[Text("فضل الله خان")])]
    assert rec.contributors == []  # the Arabic form is the same person, not another contributor
    assert rec.languages == ["fa", "chg"]
    assert (rec.date, rec.year_from) == ("1825", 1825)
    assert rec.publisher == "Ṭabʻkhānah-ʼi Shaykh Hidāyat Allāh"  # holdings lists are not publishers
    assert rec.data_provider == "Widener Library, Harvard University"
    assert rec.rights_text == []
    assert rec.is_shown_at == "https://id.lib.harvard.edu/digital_collections/990037477160203941"
    assert rec.same_as == ["https://id.lib.harvard.edu/alma/990037477160203941/catalog"]


def test_musayyab_namah_pairs_arabic_forms_with_their_people() -> None:
    [rec] = records(parse_oai_dc, MUSAYYAB_DC.read_bytes(), provider="harvard")
    assert rec.id == "harvard-006197642"
    assert rec.creators == [Agent("Harīrī, Muḥammad", names=[Text("هريري، محمد")])]
    assert rec.contributors == [Agent("Akmal Khān ibn Islām Khān", names=[Text("اكمل خان بن اسلام خان")])]
    assert rec.languages == ["chg", "fa", "ar"]
    assert rec.publisher is None  # "[s.n.]" and "[د.م.]،": not named
    assert (rec.genre, rec.edm_type, rec.year_from) == ("book", "TEXT", 1900)


def test_bare_dc_and_mods_of_the_same_book_share_an_id() -> None:
    [dc] = records(parse_oai_dc, LUGHAT_DC.read_bytes())
    mods_file = SAMPLES / "central_asia" / "mods" / "mods_harvard_ihp_003747716_lughat_i_turki_1825_chg_per.xml"
    [mods] = records(parse_mods, mods_file.read_bytes())
    assert dc.id == mods.id and dc.year_from == mods.year_from


# --- Harvard LibraryCloud: MODS in OAI-PMH ------------------------------------------------------

def test_botanicals_mods_page() -> None:
    data = HARVARD_MODS.read_bytes()
    recs = records(parse_oai_mods, data)
    assert len(recs) == 10
    assert "arn00007c00007" not in [r.local_id for r in recs]  # the page really skips plate 7
    plate = recs[0]
    assert plate.id == "harvard-arn00007c00001"
    assert plate.titles == [Text("Plate 1. Clematis cylindrica")]
    # the plate states no creator or date: the collection it belongs to does
    assert plate.creators == [Agent("Riocreux, Alfred", 1820, 1912, "originator")]
    assert (plate.date, plate.year_from, plate.year_to) == ("1860", 1860, 1860)
    assert plate.is_part_of == [Text("Alfred Riocreux botanical watercolors")]
    assert plate.rights_text[0].value.startswith("The collection is available by appointment for research.")
    assert plate.images[0].url == "https://nrs.harvard.edu/urn-3:FMUS.ARN:37524535"
    assert plate.images[0].thumbnail == "https://nrs.harvard.edu/urn-3:FMUS.ARN:37524536?width=150"
    assert plate.data_provider == "Arnold Arboretum Library (Cambridge), Botany Libraries, Harvard University"
    assert plate.loader == "loaders.oai" and plate.languages == []  # "und"
    assert resumption_token(data) == "AoEuYXJuMDAwMDdjMDAwMTE=:botanicals:10:mods"


def test_oai_dc_parser_rejects_mods_records() -> None:
    out = list(parse_oai_dc(HARVARD_MODS.read_bytes(), "file:page"))
    assert len(out) == 10 and all(isinstance(r, Rejected) and "not oai_dc" in r.reason for r in out)


# --- the harvester's readers --------------------------------------------------------------------

def test_resumption_token_absent_or_empty_means_last_page() -> None:
    data = EUR_LIST.read_bytes()
    assert resumption_token(data) is None
    last = data.replace(b"</ListRecords>", b'<resumptionToken completeListSize="16" cursor="0"/></ListRecords>')
    assert resumption_token(last) is None


def test_deleted_records_are_skipped_and_listed() -> None:
    data = EUR_LIST.read_bytes().replace(
        b"<header><identifier>hdl:1765/309</identifier>",
        b'<header status="deleted"><identifier>hdl:1765/309</identifier>')
    assert deleted_identifiers(data) == ["hdl:1765/309"]
    recs = records(parse_oai_dc, data)
    assert len(recs) == 15 and "1765/309" not in [r.local_id for r in recs]
    assert deleted_identifiers(EUR_LIST.read_bytes()) == []


def test_oai_errors() -> None:
    data = EUR_GET.read_bytes()
    start, end = data.index(b"<GetRecord>"), data.index(b"</GetRecord>") + len(b"</GetRecord>")
    missing = data[:start] + b'<error code="idDoesNotExist">hdl:1765/999 is unknown</error>' + data[end:]
    assert oai_error(missing) == ("idDoesNotExist", "hdl:1765/999 is unknown")
    with pytest.raises(RecordError, match="idDoesNotExist"):
        list(parse_oai_dc(missing, "file:x"))
    empty = data[:start] + b'<error code="noRecordsMatch">no records</error>' + data[end:]
    assert list(parse_oai_dc(empty, "file:x")) == []
    assert oai_error(data) is None


# --- what goes wrong -----------------------------------------------------------------------------

def test_truncated_page() -> None:
    with pytest.raises(RecordError, match="not well-formed XML"):
        list(parse_oai_dc((MALFORMED / "oai_listrecords_eur_truncated.xml").read_bytes(), "file:x"))


def test_html_error_page() -> None:
    with pytest.raises(RecordError, match="HTML page"):
        list(parse_oai_dc((MALFORMED / "html_error_page_503.html").read_bytes(), "file:x"))
    with pytest.raises(RecordError, match="HTML page"):
        resumption_token((MALFORMED / "html_error_page_503.html").read_bytes())


def test_record_without_title_is_rejected_and_the_page_goes_on() -> None:
    data = (MALFORMED / "oai_listrecords_eur_second_record_without_title.xml").read_bytes()
    out = list(parse_oai_dc(data, "file:page"))
    rejected = [r for r in out if isinstance(r, Rejected)]
    assert len(rejected) == 1 and "no title" in rejected[0].reason
    assert "<identifier>hdl:1765/309</identifier>" in rejected[0].raw
    assert rejected[0].source_url.endswith("identifier=hdl:1765/309")
    assert len([r for r in out if isinstance(r, Record)]) == 15


def test_not_oai_pmh() -> None:
    with pytest.raises(RecordError, match="not an OAI-PMH response"):
        list(parse_oai_dc((SAMPLES / "mods_generic" / "mods_stanford_bh691yj7263_suez_map_1857.xml").read_bytes(), "x"))


def test_bare_record_without_any_hint_of_its_provider() -> None:
    data = LUGHAT_DC.read_bytes().replace(b"https://", b"")  # no URL left to tell the institution
    [rejected] = list(parse_oai_dc(data, "file:x"))
    assert isinstance(rejected, Rejected) and "provider" in rejected.reason


def test_a_publisher_in_brackets_is_dropped_only_when_it_says_none_is_given() -> None:
    xml = MUSAYYAB_DC.read_text(encoding="utf-8")
    assert records(parse_oai_dc, xml.encode(), provider="harvard")[0].publisher is None  # [s.n.], [د.م.]،
    named = xml.replace("<dc:publisher>[s.n.]</dc:publisher>", "<dc:publisher>[Ilin]</dc:publisher>")
    assert records(parse_oai_dc, named.encode(), provider="harvard")[0].publisher == "[Ilin]"
