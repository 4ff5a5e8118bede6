"""MODS: Harvard (no namespace, no declaration) and Stanford (namespaced) records from the real samples."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.base import Rejected
from loaders.mods import parse_mods
from ontology.errors import RecordError
from ontology.record import Agent, Record, Text

SAMPLES = Path(__file__).parents[2] / "loaders" / "sample_collection"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"
FANARI = SAMPLES / "mods_generic" / "mods_harvard_002038887_arabic_lithograph_1872.xml"
SUEZ = SAMPLES / "mods_generic" / "mods_stanford_bh691yj7263_suez_map_1857.xml"
LUGHAT = SAMPLES / "central_asia" / "mods" / "mods_harvard_ihp_003747716_lughat_i_turki_1825_chg_per.xml"
MUSAYYAB = SAMPLES / "central_asia" / "mods" / "mods_harvard_ihp_006197642_musayyab_namah_tashkent_1900_chg.xml"


def one(path: Path, provider: str | None = None) -> Record:
    [rec] = list(parse_mods(path.read_bytes(), f"file:{path.name}", provider=provider))
    assert isinstance(rec, Record), rec
    return rec


@pytest.mark.parametrize("path, record_id", [
    (FANARI, "harvard-002038887"), (SUEZ, "stanford-bh691yj7263"),
    (LUGHAT, "harvard-003747716"), (MUSAYYAB, "harvard-006197642"),
])
def test_each_sample_is_one_record_with_its_own_id(path: Path, record_id: str) -> None:
    rec = one(path)
    assert rec.id == record_id
    assert rec.loader == "loaders.mods" and rec.source_format == "mods"


def test_fanari_arabic_lithograph_1872() -> None:
    rec = one(FANARI)
    assert rec.titles == [Text("Kitāb Fuṣūl al-badāʼiʻ fī uṣūl al-sharāʼiʻ"),
                          Text("Fuṣūl al-badāʼiʻ fī uṣūl al-sharāʼiʻ")]  # the uniform title repeats it
    [fanari] = rec.creators
    assert (fanari.name, fanari.role) == ("Fanārī, Muḥammad ibn Ḥamzah", "creator")
    assert fanari.death == 1430  # namePart type="date": "1350 or 1351-1430 or 1431"
    # the keyDate is the Gregorian year; the display keeps the Hijri date as printed
    assert (rec.date, rec.year_from, rec.date_display) == ("1872", 1872, "1289 [1872]]")
    assert rec.place_of_origin is not None and rec.place_of_origin.name == "Istanbul"  # "[Istanbul"
    assert rec.publisher == "Maṭbaʻat al-Shaykh Yaḥyá Afandī"
    assert rec.languages == ["ar"] and (rec.genre, rec.edm_type) == ("book", "TEXT")
    assert [s.label for s in rec.subjects] == ["Islamic law -- Interpretation and construction", "Hanafites"]
    assert [p.name for p in rec.places] == ["Istanbul, Turkey"]
    assert rec.extent == "2 v. in 1 ; 24 cm."
    assert rec.is_shown_at == "http://ocp.hul.harvard.edu/dl/ihp/002038887"  # access="object in context"
    assert rec.images[0].url == "http://nrs.harvard.edu/urn-3:FHCL:2175614"
    assert rec.images[0].thumbnail and "usethumb=y" in rec.images[0].thumbnail
    assert rec.data_provider == "Widener Library"
    assert rec.is_part_of == [Text("Open Collections Program at Harvard University. Islamic Heritage Project")]
    assert rec.rights_text == []  # no accessCondition: unknown


def test_suez_map_stanford_namespaced() -> None:
    rec = one(SUEZ)
    assert rec.titles[0].value.startswith("Isthme de Suez avec Tracé de Canaux")
    assert (rec.genre, rec.edm_type) == ("map", "IMAGE")  # typeOfResource cartographic
    assert rec.creators == [Agent("Stanford Geospatial Center", role="creator", is_organisation=True)]
    assert (rec.date, rec.year_from) == ("2013", 2013)  # the keyDate: the georeferenced layer, not the map
    assert rec.rights_text == [Text("This work is in the public domain. There are no restrictions on use."),
                               Text("CC pdm: Public Domain Mark 1.0")]
    egypt = next(p for p in rec.places if p.name == "Egypt")
    assert egypt.same_as == ["http://sws.geonames.org/357994/"]
    [bbox] = [p for p in rec.places if p.lat is not None]  # two near-identical coordinate sets, one place
    assert bbox.lat == pytest.approx(30.226, abs=0.001) and bbox.lon == pytest.approx(31.229, abs=0.001)
    assert "Historical geography" in [s.label for s in rec.subjects]
    assert "Egypt" not in [s.label for s in rec.subjects]  # a place, not a topic
    assert rec.languages == ["en"] and rec.is_shown_at == "http://purl.stanford.edu/bh691yj7263"
    assert rec.data_provider == "Stanford"


def test_lughat_i_turki_chagatai_persian_dictionary() -> None:
    rec = one(LUGHAT)
    assert rec.titles == [Text("Lughat-i Turkī"), Text("Turkish-Persian dictionary")]
    assert rec.creators == [Agent("Faḍl Allāh Khān", role="creator")]
    assert rec.languages == ["fa", "chg"]
    assert rec.subjects[0].label == "Chagatai language -- Dictionaries -- Persian"
    assert rec.place_of_origin is not None and rec.place_of_origin.name == "Kalkatah"
    assert [p.name for p in rec.places] == ["Kolkata, India"]
    assert rec.year_from == 1825 and rec.extent == "244 p. ; 24 cm."


def test_musayyab_namah_tashkent_1900() -> None:
    rec = one(MUSAYYAB)
    assert rec.titles == [Text("Muṣayyab-nāmah-ʼi Turkī"), Text("Musayyab-nāmah. Chagatai")]
    assert [a.name for a in rec.creators] == ["Harīrī, Muḥammad"]
    assert rec.contributors == [Agent("Akmal Khān ibn Islām Khān")]  # no role: not a creator
    assert rec.languages == ["chg"] and rec.year_from == 1900
    assert [p.name for p in rec.places] == ["Tashkent, Uzbekistan"]
    assert rec.place_of_origin is not None and rec.place_of_origin.name == "Tashkand"
    assert rec.publisher is None  # "[s.n.]"
    assert "Ḥusayn ibn ʻAlī, -680" in [s.label for s in rec.subjects]
    assert rec.descriptions[0].value.startswith("Legendary account of Musayyab ibn Najabah")


def test_collection_of_records_and_transliterated_titles() -> None:
    body = FANARI.read_text(encoding="utf-8").replace(
        '<titleInfo type="alternative">', '<titleInfo type="alternative" lang="ara" script="Arab">', 1)
    data = f'<modsCollection xmlns="http://www.loc.gov/mods/v3">{body}{LUGHAT.read_text(encoding="utf-8")}' \
           "</modsCollection>"
    recs = list(parse_mods(data.encode(), "file:collection"))
    assert [r.id for r in recs if isinstance(r, Record)] == ["harvard-002038887", "harvard-003747716"]
    assert recs[0].titles[1].lang == "ar-Arab"  # type: ignore[union-attr]


def test_provider_from_the_argument() -> None:
    assert one(SUEZ, provider="sul").id == "sul-bh691yj7263"


def test_truncated_record() -> None:
    with pytest.raises(RecordError, match="not well-formed XML"):
        list(parse_mods((MALFORMED / "mods_stanford_suez_truncated.xml").read_bytes(), "file:x"))


def test_html_error_page() -> None:
    with pytest.raises(RecordError, match="HTML page"):
        list(parse_mods((MALFORMED / "html_error_page_503.html").read_bytes(), "file:x"))


def test_record_without_identifier_is_rejected_with_its_xml() -> None:
    [rejected] = list(parse_mods((MALFORMED / "mods_harvard_lughat_without_recordinfo.xml").read_bytes(), "file:x"))
    assert isinstance(rejected, Rejected) and "recordIdentifier" in rejected.reason
    assert "Lughat-i Turkī" in rejected.raw


def test_record_without_title_is_rejected() -> None:
    data = LUGHAT.read_bytes().replace(b"<title>Lughat-i Turk\xc4\xab</title>", b"<title></title>")
    data = data.replace(b"<title>Turkish-Persian dictionary</title>", b"")
    [rejected] = list(parse_mods(data, "file:x"))
    assert isinstance(rejected, Rejected) and "no title" in rejected.reason


def test_not_mods() -> None:
    with pytest.raises(RecordError, match="not a MODS document"):
        list(parse_mods((SAMPLES / "oai_pmh_generic" / "getrecord_oai_dc_eur_dspace_hdl_1765_315.xml").read_bytes(),
                        "file:x"))


def test_name_in_another_script_is_a_form_of_the_same_person() -> None:
    data = MUSAYYAB.read_text(encoding="utf-8").replace(
        '<name type="personal">\n<namePart>Harīrī, Muḥammad.</namePart>',
        '<name type="personal" altRepGroup="01">\n<namePart>Harīrī, Muḥammad.</namePart>', 1).replace(
        "<typeOfResource>", '<name type="personal" altRepGroup="01" script="Arab"><namePart>هريري، محمد.</namePart>'
        "</name>\n<typeOfResource>", 1)
    [rec] = list(parse_mods(data.encode(), "file:x"))
    assert isinstance(rec, Record)
    assert [a.name for a in rec.creators + rec.contributors] == ["Harīrī, Muḥammad", "Akmal Khān ibn Islām Khān"]
    assert rec.creators[0].names == [Text("هريري، محمد", "und-Arab")]


@pytest.mark.parametrize("place, publisher, kept", [
    ("[S.l.]", "[publisher not identified]", (None, None)),  # RDA's words for "none given"
    ("[Tashkand", "s.n.]", ("Tashkand", None)),  # one bracket across the imprint's fields
    ("[Tashkand] :", "[Ilin]", ("Tashkand", "[Ilin]")),  # a short name the cataloguer supplied is still a name
])
def test_an_imprint_names_only_what_it_gives(place: str, publisher: str, kept: tuple[str | None, str | None]) -> None:
    xml = MUSAYYAB.read_text(encoding="utf-8")
    edited = xml.replace('<placeTerm type="text">Tashkand</placeTerm>', f'<placeTerm type="text">{place}</placeTerm>')
    edited = edited.replace("<publisher>[s.n.]</publisher>", f"<publisher>{publisher}</publisher>")
    (rec,) = parse_mods(edited.encode(), "file:musayyab.xml")
    assert isinstance(rec, Record)
    assert (rec.place_of_origin.name if rec.place_of_origin else None, rec.publisher) == kept
