"""MARC: every real ISO 2709 and MARCXML sample (MARC 21, RUSMARC; UTF-8, MARC-8, cp1251) read for meaning."""
from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest
from pymarc import MARCReader

from loaders.base import Rejected
from loaders.marc import _coordinate, _Marc, parse_marc
from loaders.marc_read import read_marc
from ontology.errors import RecordError
from ontology.record import Record, Text

SAMPLES = Path(__file__).parents[2] / "loaders" / "sample_collection"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"
RSL_MARC21 = SAMPLES / "cyrillic_marc" / "rsl_01002988236_1804_marc21.mrc"
RSL_RUSMARC = SAMPLES / "cyrillic_marc" / "rsl_01002988236_1804_rusmarc.iso"
NAVOI = SAMPLES / "central_asia" / "marc" / "penn_3285384_navoi_muhakamat_al_lughatayn_1898_chg_880_marc21.mrc"
DLC_KZ = SAMPLES / "central_asia" / "marc" / "dlc_43037890_ocherki_istorii_kazakhskoi_ssr_1941_marc21.mrc"
MOJIBAKE = ("\ufffd", "Ð", "Ñ", "Ã", "â€", "Р°", "Рѕ")


def records(path: Path, **kw: str) -> list[Record]:
    out = list(parse_marc(path.read_bytes(), f"file:{path.name}", **kw))
    assert all(isinstance(r, Record) for r in out), [r for r in out if isinstance(r, Rejected)]
    return out  # type: ignore[return-value]


def one(path: Path) -> Record:
    (rec,) = records(path)
    return rec


def strings(rec: Record) -> list[str]:
    def walk(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in walk(v)]
        if isinstance(value, list):
            return [s for v in value for s in walk(v)]
        return []
    return walk(dataclasses.asdict(rec))


def assert_clean_text(rec: Record) -> None:
    """Every string NFC and free of the marks a wrong decoding leaves."""
    for s in strings(rec):
        assert unicodedata.is_normalized("NFC", s), s
        assert not any(m in s for m in MOJIBAKE), s


@pytest.mark.parametrize("relpath, count, provider, fmt", [
    ("cyrillic_marc/rsl_01002988236_1804_marc21.mrc", 1, "rsl", "marc21"),
    ("cyrillic_marc/rsl_01002988236_1804_marc21.xml", 1, "rsl", "marc21-xml"),
    ("cyrillic_marc/rsl_01002988236_1804_rusmarc.iso", 1, "rsl", "rusmarc"),
    ("cyrillic_marc/nlr_005177748_1805_rusmarc.mrc", 1, "nlr", "rusmarc"),
    ("cyrillic_marc/nlr_005177748_1805_rusmarc_marcxml.xml", 1, "nlr", "rusmarc-xml"),
    ("cyrillic_marc/rkp_ru03-000001_2005_marc21_cp1251.mrc", 6, "rkp", "marc21"),
    ("cyrillic_marc/rsl_005452708_1897_marcxml.xml", 1, "rsl", "marc21-xml"),
    ("central_asia/marc/dlc_43037890_ocherki_istorii_kazakhskoi_ssr_1941_marc21.mrc", 1, "loc", "marc21"),
    ("central_asia/marc/penn_3285384_navoi_muhakamat_al_lughatayn_1898_chg_880_marc21.mrc", 1, "penn", "marc21"),
    ("central_asia/marc/penn_4826279_ljs408_sharh_mulakhkhas_samarqand_1427_marc21.mrc", 1, "penn", "marc21"),
    ("loc/marcxml/marcxml_collection_dlc_example_2records.xml", 2, "loc", "marc21-xml"),
    ("loc/marcxml/marcxml_dlc_2008264012_newspaper_title.xml", 1, "loc", "marc21-xml"),
    ("loc/marcxml/marcxml_dlc_92005291_sandburg_arithmetic.xml", 1, "loc", "marc21-xml"),
])
def test_every_sample_yields_its_records(relpath: str, count: int, provider: str, fmt: str) -> None:
    recs = records(SAMPLES / relpath)
    assert len(recs) == count and len({r.id for r in recs}) == count
    for rec in recs:
        assert (rec.provider, rec.source_format, rec.loader) == (provider, fmt, "loaders.marc")
        assert rec.titles and rec.titles[0].value and rec.year_from
        assert_clean_text(rec)


def test_cp1251_record_reads_as_russian_not_mojibake() -> None:
    recs = records(SAMPLES / "cyrillic_marc" / "rkp_ru03-000001_2005_marc21_cp1251.mrc")
    first = recs[0]
    assert first.titles[0] == Text("Основы гидравлического расчета инженерных сетей : [учеб. пособие для вузов по "
                                   "специальностям <Теплогазоснабжение и вентиляция>, <Водоснабжение и водоотведение>]",
                                   "ru")
    assert [a.name for a in first.creators] == ["Ильина, Татьяна Николаевна"]
    assert first.id == "rkp-ru03-000001rkp" and first.date == "2005" and first.languages == ["ru"]
    assert first.publisher == "Изд-во Ассоц. строит. вузов" and "ISBN 5930933421" in first.identifiers
    assert recs[4].titles[0].value.startswith("Мио, мой Мио!")
    assert [(a.name, a.role) for a in recs[4].creators] == [("Линдгрен, Астрид", None),
                                                            ("Еклерис, Виталий", "illustrator")]
    assert recs[3].date == "2004"


def test_rsl_marc21_and_rusmarc_of_one_record_are_one_object() -> None:
    marc21, xml, rusmarc = one(RSL_MARC21), one(RSL_MARC21.with_suffix(".xml")), one(RSL_RUSMARC)
    assert marc21.id == xml.id == rusmarc.id == "rsl-002988236"
    title = "История XVIII столетия, или Обстоятельное описание всех важнейших произшествий"
    for rec in (marc21, xml, rusmarc):
        assert rec.titles[0].value.startswith(title) and rec.titles[0].lang == "ru"
        assert rec.titles[0].value.endswith("в течении онаго живших")
        assert [(a.name, a.birth, a.death, a.role) for a in rec.contributors] == [
            ("Озеров, Петр Петрович", None, None, "translator"),
            ("Паренаго, Михаил Алексеевич", 1780, 1832, "translator"),
            ("Дмитревский, Дмитрий Иванович", None, 1848, "translator")]  # born "1758 или 1763": not guessed
        assert (rec.date, rec.year_from, rec.year_to) == ("1804/1807", 1804, 1807)
        assert rec.place_of_origin and rec.place_of_origin.name == "Москва"
        assert rec.publisher == "В типографии С. Селивановскаго" and rec.genre == "book" and rec.languages == ["ru"]
        assert "(RuMoRGB)SK1825t2-0000277" in rec.identifiers and "РГБ 5222-10" in rec.identifiers
        assert rec.subjects[0].label == "Екатерина II, имп., 1729-1796"
        assert rec.data_provider == "Russian State Library"
    as_dict = [dataclasses.asdict(r) | {"source_format": None, "source_url": None} for r in (marc21, xml, rusmarc)]
    assert as_dict[0] == as_dict[1] == as_dict[2]


def test_nlr_record_of_the_same_work_is_another_object() -> None:
    nlr = one(SAMPLES / "cyrillic_marc" / "nlr_005177748_1805_rusmarc.mrc")
    nlr_xml = one(SAMPLES / "cyrillic_marc" / "nlr_005177748_1805_rusmarc_marcxml.xml")
    assert nlr.id == nlr_xml.id == "nlr-v19-rc-2104622" != one(RSL_RUSMARC).id
    assert nlr.titles[0].value.startswith("История XVIII столетия или Обстоятельное описание")
    assert [(a.name, a.birth, a.death) for a in nlr.creators] == [
        ("Штефер, Дитрих Генрих", 1767, 1822), ("Штефер, Иоганн Герман", 1764, 1796),
        ("Фосс, Кристиан Даниель", 1761, 1821)]
    assert (nlr.date, nlr.data_provider) == ("1805/1807", "National Library of Russia")
    assert dataclasses.replace(nlr, source_format="", source_url="") == \
        dataclasses.replace(nlr_xml, source_format="", source_url="")


def test_navoi_880_gives_the_arabic_script_title_and_name() -> None:
    rec = one(NAVOI)
    assert rec.id == "penn-3285384"
    assert rec.titles == [Text("Muhakemet'ül lûgateyn", "chg-Latn"), Text("محاكمت اللغتين", "chg-Arab")]
    (navoi,) = rec.creators
    assert (navoi.name, navoi.birth, navoi.death) == ("Alisher Navoiĭ", 1441, 1501)
    assert navoi.names == [Text("مير على شير نوائ", "chg-Arab")]
    assert [(a.name, a.death) for a in rec.contributors] == [("Ahmet Cevdet Paşa", 1895)]
    assert (rec.date, rec.date_display, rec.languages) == ("1898", "1315 [1898]", ["chg", "tr", "fa", "ota"])
    assert rec.is_shown_at == "http://hdl.library.upenn.edu/1017/d/print/3285384"
    assert "https://www.worldcat.org/oclc/122847214" in rec.same_as
    assert rec.subjects[0].label == "Chagatai language--Grammar, Comparative--Early works to 1800"


def test_samarqand_manuscript() -> None:
    rec = one(SAMPLES / "central_asia" / "marc" / "penn_4826279_ljs408_sharh_mulakhkhas_samarqand_1427_marc21.mrc")
    assert (rec.genre, rec.edm_type, rec.date, rec.year_from) == ("manuscript", "TEXT", "1427", 1427)
    assert rec.place_of_origin and rec.place_of_origin.name == "Samarqand, Uzbekistan"
    assert [a.name for a in rec.creators] == ["Rumi, Kazi-Zade"]
    ulugh = rec.contributors[0]
    assert (ulugh.name, ulugh.birth, ulugh.death, ulugh.role) == ("Ulugh Beg", 1394, 1449, "dedicatee")
    assert rec.subjects[0].label == "Jighmīnī, Maḥmūd ibn Muḥammad, d. 1221?"
    assert rec.is_shown_at == "http://hdl.library.upenn.edu/1017/d/medren/4826279"
    assert rec.languages == ["ar", "fa"] and rec.titles[0].lang == "ar-Latn"


def test_dlc_record_keeps_its_lccn_and_romanisation() -> None:
    rec = one(DLC_KZ)
    assert rec.id == "loc-43037890"
    assert rec.titles == [Text("Ocherki po istorii Kazakhskoĭ SSR", "ru-Latn")]
    assert rec.same_as[0] == "https://lccn.loc.gov/43037890" and "LCCN 43037890" in rec.identifiers
    (author,) = rec.creators
    assert (author.name, author.birth, author.death) == (
        "Vi\ufe20a\ufe21tkin, M. P. (Mikhail Porfirʹevich)", 1895, 1967)  # half marks are kept, NFC
    assert [p.name for p in rec.places] == ["Kazakhstan"]
    assert [a.name for a in rec.contributors][1] == "Akademii\ufe20a\ufe21 nauk Kazakhskoĭ SSR, Alma Ata"
    assert rec.place_of_origin and rec.place_of_origin.name == "Moskva"


def test_loc_marcxml_collection_with_prefix_and_single_record_without_namespace() -> None:
    ray, whitehouse = records(SAMPLES / "loc" / "marcxml" / "marcxml_collection_dlc_example_2records.xml")
    assert (ray.genre, ray.edm_type, ray.date) == ("sound recording", "SOUND", "1957?")
    (charles,) = ray.contributors
    assert (charles.name, charles.birth, charles.role) == ("Charles, Ray", 1930, "performer")
    assert whitehouse.provider == "loc" and whitehouse.is_shown_at == "http://www.whitehouse.gov"  # 040 $d DLC
    bee = one(SAMPLES / "loc" / "marcxml" / "marcxml_dlc_2008264012_newspaper_title.xml")
    assert (bee.genre, bee.date, bee.year_to, bee.id) == ("periodical", "1884/1922", 1922, "loc-2008264012")
    sandburg = one(SAMPLES / "loc" / "marcxml" / "marcxml_dlc_92005291_sandburg_arithmetic.xml")
    assert (sandburg.creators[0].name, sandburg.creators[0].death) == ("Sandburg, Carl", 1967)
    assert [(a.name, a.role) for a in sandburg.creators] == [("Sandburg, Carl", None), ("Rand, Ted", "illustrator")]
    assert "ISBN 0152038655" in sandburg.identifiers and sandburg.same_as == ["https://lccn.loc.gov/92005291"]


def test_rsl_crlf_marcxml_without_agency_fields() -> None:
    rec = one(SAMPLES / "cyrillic_marc" / "rsl_005452708_1897_marcxml.xml")
    assert rec.id == "rsl-005452708"  # from the holdings (852 $a РГБ)
    assert rec.titles == [Text("Вся Россия. Том второй", "ru")]  # language from an 008 with squeezed blanks
    assert rec.date == "1897" and rec.is_shown_at.endswith("rsl01005452708.pdf")  # type: ignore[union-attr]


def test_provider_argument_wins() -> None:
    assert one_with(DLC_KZ, provider="demo").id == "demo-43037890"


def one_with(path: Path, **kw: str) -> Record:
    (rec,) = records(path, **kw)
    return rec


def _to_marc8(text: str) -> str:
    """Unicode → MARC-8 bytes (as latin-1 text) for the characters of the DLC sample: diacritics go first."""
    table = {"\ufe20": "\xeb", "\ufe21": "\xec", "\u0306": "\xe6", "\u02b9": "\xa7"}
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in table and unicodedata.combining(ch):
            out.insert(len(out) - 1, table[ch])
        else:
            out.append(table.get(ch, ch))
    return "".join(out)


def test_marc8_record_decodes_like_its_utf8_original() -> None:
    marc = next(iter(MARCReader(DLC_KZ.read_bytes(), to_unicode=True, force_utf8=True)))
    assert marc is not None
    for field in marc.get_fields():
        if not field.is_control_field():
            field.subfields = [s._replace(value=_to_marc8(s.value)) for s in field.subfields]
    marc.leader = marc.leader[:9] + " " + marc.leader[10:]
    marc.force_utf8 = marc.to_unicode = False  # write the latin-1 carried MARC-8 bytes as they are
    data = marc.as_marc()
    assert b"V\xebi\xecatkin" in data  # Vi︠a︡tkin in MARC-8: the diacritics before their letters
    (rec,) = parse_marc(data, "file:marc8.mrc")
    assert isinstance(rec, Record)
    original = one(DLC_KZ)
    assert (rec.titles, rec.creators, rec.contributors) == (original.titles, original.creators, original.contributors)


def test_034_coordinates_give_the_place_its_position() -> None:
    assert (_coordinate("W0770000"), _coordinate("N0385300"), _coordinate("-77.03")) == (-77.0, 38.883333, -77.03)
    xml = (SAMPLES / "loc" / "marcxml" / "marcxml_dlc_2008264012_newspaper_title.xml").read_text()
    field = ('<datafield tag="034" ind1="1" ind2=" "><subfield code="a">a</subfield><subfield code="d">W0770700'
             '</subfield><subfield code="e">W0770000</subfield><subfield code="f">N0385900</subfield>'
             '<subfield code="g">N0385300</subfield></datafield>')
    (rec,) = parse_marc(xml.replace("<datafield", field + "<datafield", 1).encode(), "file:bee-034.xml")
    assert isinstance(rec, Record)
    (place,) = rec.places
    assert (place.name, place.lat, place.lon) == ("Washington (D.C.)", pytest.approx(38.93333),
                                                  pytest.approx(-77.05833))


def test_no_place_and_no_publisher_given_are_left_out() -> None:
    """A cataloguer's "[S.l.] : [s.n.]" (the Russian "б.м. : б.и.", the English "n.p.", RDA's "not identified")
    names no place and no publisher."""
    xml = (SAMPLES / "loc" / "marcxml" / "marcxml_dlc_2008264012_newspaper_title.xml").read_text()
    (rec,) = parse_marc(xml.encode(), "file:bee.xml")
    assert isinstance(rec, Record) and rec.publisher == "Bee Pub. Co." and rec.place_of_origin is not None
    for place, publisher in (("[S.l.] :", "[s.n.]"), ("[Б.м.] :", "[б. и.]"), ("[n.p.] :", "[n.p.]"),
                             ("[Place of publication not identified] :", "[publisher not identified]")):
        imprint = xml.replace("Washington, D.C. :", place).replace("Bee Pub. Co.", publisher)
        (rec,) = parse_marc(imprint.encode(), "file:bee-sl.xml")
        assert isinstance(rec, Record) and (rec.place_of_origin, rec.publisher) == (None, None), place


def test_truncated_iso2709_record_is_rejected_with_its_bytes() -> None:
    (rej,) = parse_marc((MALFORMED / "marc_rsl_01002988236_marc21_truncated.mrc").read_bytes(), "file:t.mrc")
    assert isinstance(rej, Rejected) and "truncated" in rej.reason and rej.raw.startswith("04181nam")


def test_truncated_third_record_does_not_stop_the_first_two() -> None:
    out = list(parse_marc((MALFORMED / "marc_rkp_cp1251_third_record_truncated.mrc").read_bytes(), "file:t.mrc"))
    assert [type(r).__name__ for r in out] == ["Record", "Record", "Rejected"]
    assert out[1].titles[0].value == "Психологический тренинг с подростками"  # type: ignore[union-attr]


def test_record_without_001_is_rejected() -> None:
    xml = (SAMPLES / "loc" / "marcxml" / "marcxml_dlc_92005291_sandburg_arithmetic.xml").read_text()
    start = xml.index('controlfield tag="001">') - len("<marc:" if "<marc:controlfield" in xml else "<")
    end = xml.index("</", start)
    broken = xml[:start] + xml[xml.index(">", end) + 1:]
    (rej,) = parse_marc(broken.encode(), "file:no001.xml")
    assert isinstance(rej, Rejected) and "001" in rej.reason and "Sandburg" in rej.raw


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>", "HTML"),
    (b'<?xml version="1.0"?><searchRetrieveResponse/>', "no MARC record"),
    (b"not a marc record", "not MARC"),
])
def test_unreadable_documents_raise(data: bytes, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        list(parse_marc(data, "file:bad"))


def test_marcxchange_namespace_is_read_like_marcxml() -> None:
    xml = (SAMPLES / "cyrillic_marc" / "nlr_005177748_1805_rusmarc_marcxml.xml").read_text(encoding="utf-8")
    xchange = xml.replace("http://www.loc.gov/MARC21/slim", "info:lc/xmlns/marcxchange-v1")
    (rec,) = parse_marc(xchange.encode(), "file:nlr-marcxchange.xml")
    assert isinstance(rec, Record) and rec.id == "nlr-v19-rc-2104622" and rec.source_format == "rusmarc-xml"


@pytest.mark.parametrize("path", sorted((SAMPLES / "cyrillic_marc").glob("*.mrc")) +
                         sorted((SAMPLES / "central_asia" / "marc").glob("*.mrc")), ids=lambda p: p.name)
def test_field_index_answers_as_pymarc(path: Path) -> None:
    """The mapping's tag index (`_Marc`) gives the fields pymarc would, in the record's order."""
    marcs = [m for m, _, _ in read_marc(path.read_bytes()) if not isinstance(m, str)]
    assert marcs
    for marc in marcs:
        indexed = _Marc(marc)
        tags = sorted({f.tag for f in marc.fields}) + ["999", "245"]
        for tag in tags:
            assert indexed.get_fields(tag) == marc.get_fields(tag), tag
        assert indexed.get_fields("600", "100", "245", "650") == marc.get_fields("600", "100", "245", "650")
        assert indexed.get_fields(*tags) == marc.get_fields(*tags) == marc.fields
