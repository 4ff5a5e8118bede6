"""Curated CSV: the Kazakh and Uzbek works, with scripts, life years and vague dates; bad rows and files."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.base import Rejected
from loaders.csv import parse_csv
from ontology.errors import RecordError
from ontology.record import Record, Text

SAMPLE = Path(__file__).parents[2] / "loaders" / "sample_collection" / "central_asia" / "curated" / "works_kk_uz.csv"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"
HEADER = "key,title,lang,script,creator,creator_birth,creator_death,date,genre,place_of_publication,note\n"


def by_key() -> dict[str, Record]:
    out = list(parse_csv(SAMPLE.read_bytes(), "file:works_kk_uz.csv"))
    assert all(isinstance(r, Record) for r in out), [r for r in out if isinstance(r, Rejected)]
    return {r.local_id: r for r in out}  # type: ignore[union-attr]


def test_every_row_of_the_sample_is_a_work() -> None:
    works = by_key()
    assert len(works) == 14
    for rec in works.values():
        assert rec.provider == "curated" and rec.id == f"curated-{rec.local_id}"
        assert (rec.source_format, rec.loader) == ("csv", "loaders.csv")
        assert rec.creators[0].birth and rec.creators[0].death and rec.year_from
        assert rec.titles[0].lang in ("kk-Cyrl", "uz-Latn", "uz-Cyrl")


def test_titles_in_their_scripts_and_authors_life_years() -> None:
    works = by_key()
    abai = works["abai-qara-sozder"]
    assert abai.titles == [Text("Қара сөздер", "kk-Cyrl")] and abai.languages == ["kk"]
    assert [(a.name, a.birth, a.death) for a in abai.creators] == [("Абай Құнанбайұлы", 1845, 1904)]
    assert (abai.date, abai.year_from, abai.year_to) == ("1890/1898", 1890, 1898)
    assert abai.place_of_origin and abai.place_of_origin.name == "Семей"
    assert abai.descriptions == [Text("philosophical prose; written 1890–1898", "en")]
    xamsa = works["navoiy-xamsa"]
    assert xamsa.titles == [Text("Xamsa", "uz-Latn")] and xamsa.creators[0].death == 1501
    assert (xamsa.genre, xamsa.edm_type, xamsa.date) == ("manuscript", "TEXT", "1483/1485")
    bobur = works["bobur-boburnoma"]
    assert (bobur.date, bobur.year_from, bobur.place_of_origin) == ("1530~", 1530, None)
    assert works["gulom-shum-bola"].titles == [Text("Шум бола", "uz-Cyrl")]
    assert works["qodiriy-otkan-kunlar"].titles == [Text("O‘tkan kunlar", "uz-Latn")]
    assert works["auezov-abai-zholy"].creators[0].death == 1961


def test_unquoted_comma_in_a_title_is_joined_back() -> None:
    rec = by_key()["dulatuly-oyan-qazaq"]
    assert rec.titles == [Text("Оян, қазақ!", "kk-Cyrl")]
    assert [(a.name, a.birth, a.death) for a in rec.creators] == [("Міржақып Дулатұлы", 1885, 1935)]
    assert rec.date == "1909"


def test_unquoted_comma_in_the_note_stays_in_the_note() -> None:
    row = "masa,Маса,kk,Cyrl,Ахмет Байтұрсынұлы,1872,1937,1911,book,Орынбор,poems, first book\n"
    (rec,) = parse_csv((HEADER + row).encode(), "file:x.csv")
    assert isinstance(rec, Record) and rec.descriptions == [Text("poems, first book", "en")]
    assert (rec.creators[0].name, rec.creators[0].death, rec.date) == ("Ахмет Байтұрсынұлы", 1937, "1911")


def test_rows_without_title_or_key_are_rejected_and_the_others_read() -> None:
    out = list(parse_csv((MALFORMED / "csv_works_kk_uz_rows_without_title_or_key.csv").read_bytes(), "file:x.csv"))
    assert [type(r).__name__ for r in out] == ["Record", "Rejected", "Rejected", "Record"]
    assert "no title" in out[1].reason  # type: ignore[union-attr]
    assert out[1].raw.startswith("altynsarin-khrestomatiya,,kk,Cyrl,")  # type: ignore[union-attr]
    assert "no key" in out[2].reason and ",Xamsa,uz,Latn,Alisher Navoiy" in out[2].raw  # type: ignore[union-attr]


@pytest.mark.parametrize("row, reason", [
    ("a,Маса,kk,Cyrl,Ахмет Байтұрсынұлы,1872,nineteen-thirty-seven,1911,book,Орынбор,x\n", "not a year"),
    ("a,Маса,kk,Cyrl,Ахмет,1872,1937,1911,book,Орынбор,x\na,Маса,kk,Cyrl,Ахмет,1872,1937,1911,book,Орынбор,x\n",
     "repeats"),
    ("a,Маса,kk,Kazakh,Cyrl,Ахмет,1872,1937,1911,book,Орынбор,x\n", "12 cells for 11 columns"),
])
def test_bad_rows_are_rejected(row: str, reason: str) -> None:
    out = list(parse_csv((HEADER + row).encode(), "file:x.csv"))
    assert isinstance(out[-1], Rejected) and reason in out[-1].reason


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(RecordError, match="not UTF-8"):
        list(parse_csv((MALFORMED / "csv_works_kk_uz_cp1251.csv").read_bytes(), "file:x.csv"))


def test_a_file_without_key_or_title_column_is_refused() -> None:
    with pytest.raises(RecordError, match="no key column"):
        list(parse_csv("name,title\nx,y\n".encode(), "file:x.csv"))


def test_provider_and_optional_columns() -> None:
    data = ("\ufeffkey,title,lang,rights,rights_uri,same_as\nx,Абай жолы,kk,Public domain in KZ,"
            "http://rightsstatements.org/vocab/NoC-OKLR/1.0/,https://www.wikidata.org/wiki/Q4663924\n").encode()
    (rec,) = parse_csv(data, "file:x.csv", provider="demo")
    assert isinstance(rec, Record) and rec.id == "demo-x" and rec.titles == [Text("Абай жолы", "kk")]
    assert rec.rights_uri == "http://rightsstatements.org/vocab/NoC-OKLR/1.0/"
    assert rec.same_as == ["https://www.wikidata.org/wiki/Q4663924"]
    assert rec.rights_text == [Text("Public domain in KZ")]
