"""The decision: source statements read from the real sample records, conflicts, overrides, reasons, and the
same decision whether computed from a `Record` at load time or from its stored graph by `meros rights`."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import pytest

from loaders.base import Rejected
from loaders.collection import sample_records
from ontology.errors import ConfigError, RecordError
from ontology.mapping import Uris, record_to_graph
from ontology.record import Agent, Record, Text
from ontology.rights import (STATEMENTS, SourceRights, decide, decide_facts, facts_from_graph, read_overrides,
                             statement_from_source, statement_of, statement_uri)
from ontology.rights_messages import LANGUAGES

YEAR = 2026
BASE = "http://127.0.0.1:5000"
PDM, InC, CNE, NKC, NOC_US = (STATEMENTS[k] for k in ("PDM", "InC", "CNE", "NKC", "NoC-US"))


@lru_cache(maxsize=1)
def samples() -> dict[str, Record]:
    """Every record of the bundled sample collection, read by its source's own parser."""
    return {r.id: r for r in sample_records() if not isinstance(r, Rejected)}


def sample(object_id: str) -> Record:
    return samples()[object_id]


@pytest.mark.parametrize("object_id, statement", [
    ("gallica-btv1b10870266z", InC),  # oairecord: "conditions spécifiques d'utilisation" / "restricted use"
    ("gallica-bpt6k5603637g", PDM),  # oairecord: "domaine public" / "public domain"
    ("princeton-p00001703h", NKC),  # the manifest's rightsstatements.org NKC URI
    ("northwestern-faf0c573-76e7-4002-933f-2bdff0d656e4", NOC_US),
    ("loc-73691632", NOC_US),  # loc.gov: "…not aware of any U.S. copyright protection…"
    ("stanford-bh691yj7263", PDM),  # MODS: "This work is in the public domain." / "CC pdm"
    ("allardpierson-berckenrode-iiif", PDM),  # the Public Domain Mark's own words
    ("europeana-90402-bk-1978-399", PDM),
    ("riksarkivet-arkis-40008772", PDM),  # https and no trailing slash, normalised
    ("iiifcookbook-0008-rights", "http://creativecommons.org/licenses/by-sa/3.0/"),
    ("harvard-arn00007c00001", None),  # "available by appointment for research": no statement
    ("gallica-btv1b53243704g", None),  # Gallica's terms page is not a standard statement
    ("curated-abai-qara-sozder", None),
])
def test_source_statements_of_the_sample_collection(object_id: str, statement: str | None) -> None:
    assert statement_from_source(sample(object_id)) == statement


@pytest.mark.parametrize("object_id, code, status, statement, pd_from, flagged", [
    ("gallica-btv1b10870266z", "KZ", "restricted", InC, None, False),  # "restricted use", nothing to compute
    ("gallica-bpt6k5603637g", "KZ", "open", PDM, None, False),  # "domaine public": followed, dates unknown
    ("gallica-btv1b55012939c", "KZ", "open", PDM, None, False),  # Franquelin b. 1650: PD by the 125-year bound
    ("princeton-p00001703h", "KZ", "open", NKC, None, False),
    ("princeton-pmk61sm00s", "KZ", "open", PDM, 1572, False),  # author died 1501: computed, agrees with NKC
    ("northwestern-faf0c573-76e7-4002-933f-2bdff0d656e4", "US", "open", PDM, 2019, False),
    ("curated-abai-qara-sozder", "KZ", "open", PDM, 1975, False),  # Abai, d. 1904
    ("curated-auezov-abai-zholy", "KZ", "restricted", InC, 2032, False),  # Auezov, d. 1961
    ("curated-gulom-shum-bola", "UZ", "restricted", InC, 2037, True),  # Gʻafur Gʻulom, d. 1966: transition
    ("curated-gulom-shum-bola", "KZ", "restricted", InC, 2037, False),
    ("curated-baitursynuly-masa", "KZ", "restricted", NOC_US, 2059, True),  # "rehabilitated 1988"
    ("curated-qodiriy-otkan-kunlar", "UZ", "restricted", NOC_US, None, True),  # "executed 1938", year unknown
    ("curated-qodiriy-otkan-kunlar", "FR", "open", PDM, 2009, False),  # France has no rehabilitation rule
    ("gallica-btv1b10870266z", "US", "restricted", InC, None, True),  # PD in the US, the source restricts
    ("gallica-bpt6k633680c", "US", "restricted", InC, 2030, True),  # "domaine public", but 1934 in the US
    ("iiifcookbook-0008-rights", "KZ", "open", "http://creativecommons.org/licenses/by-sa/3.0/", None, False),
    ("iiifcookbook-0001-mvm-image", "KZ", "restricted", CNE, None, False),  # no statement, no facts
])
def test_decisions_for_sample_records(object_id: str, code: str, status: str, statement: str,
                                      pd_from: int | None, flagged: bool) -> None:
    d = decide(sample(object_id), code, YEAR)
    assert (d.status, d.statement, d.public_domain_from, d.jurisdiction) == (status, statement, pd_from, code)
    assert bool(d.review) is flagged, d.review


def test_auezov_opens_on_1_january_2032_and_the_reason_says_so() -> None:
    auezov = sample("curated-auezov-abai-zholy")
    before, after = decide(auezov, "KZ", 2031), decide(auezov, "KZ", 2032)
    assert (before.status, after.status) == ("restricted", "open")
    assert after.statement == PDM and after.public_domain_from == 2032
    assert before.reason["en"] == ("Author died 1961: protected in Kazakhstan until the end of 2031, public domain "
                                   "from 1 January 2032 (life + 70).")
    assert after.reason["en"] == "Author died 1961: public domain in Kazakhstan since 1 January 2032 (life + 70)."


def test_the_issue_example_reason() -> None:
    record = replace(sample("curated-abai-qara-sozder"), creators=[Agent("X", death=1902)])
    assert decide(record, "KZ", YEAR).reason["en"] == (
        "Author died 1902: public domain in Kazakhstan since 1 January 1973 (life + 70).")


def test_transition_case_is_flagged_with_why() -> None:
    d = decide(sample("curated-gulom-shum-bola"), "UZ", YEAR)
    assert d.review and d.review[0].startswith("transition:") and "2017" in d.review[0]
    assert "1 January 2017" in d.reason["en"] and "2021" in d.reason["en"]
    assert not d.conflict


def test_source_open_but_computation_protected_is_a_conflict_and_restricted() -> None:
    record = replace(sample("curated-makataev-olender"), rights_text=[Text("Public domain", "en")])
    d = decide(record, "KZ", YEAR)
    assert (d.status, d.statement, d.conflict, d.public_domain_from) == ("restricted", InC, True, 2047)
    assert d.source_statement == PDM
    assert d.review[0].startswith("conflict: the source states “Public domain”")
    assert "“Public domain”" in d.reason["en"] and "curator" in d.reason["en"]


def test_source_restrictive_but_computation_open_is_a_conflict_and_restricted() -> None:
    record = replace(sample("curated-abai-qara-sozder"), rights_text=[Text("All rights reserved", "en")])
    d = decide(record, "KZ", YEAR)
    assert (d.status, d.statement, d.conflict, d.public_domain_from) == ("restricted", InC, True, None)
    assert "1975" in d.review[0]


def test_a_licence_opens_a_protected_work_without_conflict() -> None:
    record = replace(sample("curated-makataev-olender"),
                     rights_uri="https://creativecommons.org/licenses/by/4.0/")
    d = decide(record, "KZ", YEAR)
    assert (d.status, d.statement, d.conflict) == ("open", "http://creativecommons.org/licenses/by/4.0/", False)
    assert "2047" in d.reason["en"]  # the term is still stated


def test_no_copyright_us_only_opens_in_the_us() -> None:
    comey = sample("northwestern-faf0c573-76e7-4002-933f-2bdff0d656e4")  # d. 1954, published 1923
    assert decide(comey, "US", 2024).statement == NOC_US and decide(comey, "US", 2024).status == "open"
    in_kz = decide(comey, "KZ", 2024)  # protected in KZ until the end of 2024, public domain in the US
    assert (in_kz.status, in_kz.statement, in_kz.conflict) == ("restricted", NOC_US, False)
    assert "In the United States it is in the public domain since 1 January 2019." in in_kz.reason["en"]
    assert decide(comey, "KZ", 2025).statement == PDM


def test_unknown_jurisdiction_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="KZ, UZ, RU, FR, US"):
        decide(sample("curated-abai-qara-sozder"), "XX", YEAR)


@pytest.mark.parametrize("object_id, code", [
    ("curated-auezov-abai-zholy", "KZ"), ("gallica-btv1b10870266z", "US"), ("curated-gulom-shum-bola", "UZ"),
    ("curated-baitursynuly-masa", "RU"), ("gallica-bpt6k5603637g", "FR"), ("iiifcookbook-0001-mvm-image", "KZ"),
])
def test_reasons_are_in_all_five_languages_in_their_scripts(object_id: str, code: str) -> None:
    d = decide(sample(object_id), code, YEAR)
    assert set(d.reason) == set(LANGUAGES)
    assert len(set(d.reason.values())) == 5 and all(len(s) > 40 for s in d.reason.values())
    cyrillic = re.compile(r"[\u0400-\u04FF]")
    assert not cyrillic.search(d.reason["uz"]) and not cyrillic.search(d.reason["en"])  # uz is Latin
    assert cyrillic.search(d.reason["kk"]) and cyrillic.search(d.reason["ru"])
    years = {y for y in re.findall(r"\b(1\d{3}|20\d{2})\b", d.reason["en"])}
    for lang in LANGUAGES:  # the same facts in every language
        assert years <= set(re.findall(r"\b(1\d{3}|20\d{2})\b", d.reason[lang])), lang


def test_load_and_recompute_decide_the_same_for_every_sample_record() -> None:
    """What the loader writes and what `meros rights` reads back give the same decision, triple for triple."""
    uris = Uris(BASE)
    for record in samples().values():
        for code in ("KZ", "UZ", "RU", "FR", "US"):
            at_load = decide(record, code, YEAR)
            g, triples = record_to_graph(record, at_load, uris, generated_at="2026-01-01T00:00:00Z")
            facts, source = facts_from_graph(triples, uris.cho(record.id).value, uris.aggregation(record.id).value)
            assert decide_facts(facts, source, code, YEAR) == at_load, (record.id, code)


@pytest.mark.parametrize("object_id, code", [
    ("curated-auezov-abai-zholy", "KZ"), ("curated-gulom-shum-bola", "UZ"), ("curated-baitursynuly-masa", "RU"),
    ("gallica-bpt6k633680c", "US"), ("iiifcookbook-0008-rights", "FR"), ("iiifcookbook-0001-mvm-image", "KZ"),
])
def test_decided_graphs_conform_to_the_shapes(object_id: str, code: str) -> None:
    """One edm:rights URI, one status, reasons as language-tagged strings, at most one public-domain year."""
    from ontology.validate import validate

    record = sample(object_id)
    _, triples = record_to_graph(record, decide(record, code, YEAR), Uris(BASE), generated_at="2026-01-01T00:00:00Z")
    conforms, report = validate(triples)
    assert conforms, report


def test_statement_of_takes_the_most_restrictive_of_several_texts() -> None:
    texts = (Text("public domain", "en"), Text("Rights reserved", "fr"))
    assert statement_of(SourceRights(texts=texts)) == InC
    assert statement_of(SourceRights(texts=(Text("This work is not in copyright"),))) is None
    assert statement_of(SourceRights(texts=(Text("loc.gov: access_restricted", "en"),))) == InC  # loc.gov JSON flag
    assert statement_of(SourceRights(texts=(Text("Только в читальном зале", "ru"),))) == InC  # kazneb


OVERRIDES = ("id,statement,reason,curator\n"
             "curated-auezov-abai-zholy,PDM,Rights released by the heirs (letter of 2024-03-01),A. Seitkali\n"
             "curated-abai-qara-sozder,https://rightsstatements.org/page/InC-EDU/1.0/?language=kk,Edition rights,"
             "A. Seitkali\n"
             "gallica-btv1b10870266z,NoC-US,Checked the Société de Géographie terms,J. Martin\n")


def test_overrides_csv_is_read_and_decides() -> None:
    overrides = read_overrides(OVERRIDES.encode())
    assert set(overrides) == {"curated-auezov-abai-zholy", "curated-abai-qara-sozder", "gallica-btv1b10870266z"}
    assert overrides["curated-abai-qara-sozder"].statement == STATEMENTS["InC-EDU"]
    d = decide(sample("curated-auezov-abai-zholy"), "KZ", YEAR, override=overrides["curated-auezov-abai-zholy"])
    assert (d.status, d.statement, d.curator, d.review, d.conflict) == ("open", PDM, "A. Seitkali", (), False)
    assert d.reason["en"] == "Decided by curator A. Seitkali: Rights released by the heirs (letter of 2024-03-01)"
    assert set(d.reason) == set(LANGUAGES) and "A. Seitkali" in d.reason["kk"]
    abai = decide(sample("curated-abai-qara-sozder"), "KZ", YEAR, override=overrides["curated-abai-qara-sozder"])
    assert abai.status == "restricted" and abai.public_domain_from is None
    assert decide(sample("curated-auezov-abai-zholy"), "KZ", YEAR, overrides=overrides).curator == "A. Seitkali"
    assert decide(sample("curated-makataev-olender"), "KZ", YEAR, overrides=overrides).curator is None
    noc_us = overrides["gallica-btv1b10870266z"]  # "No Copyright – United States" opens only under US rules
    assert decide(sample("gallica-btv1b10870266z"), "US", YEAR, override=noc_us).status == "open"
    assert decide(sample("gallica-btv1b10870266z"), "KZ", YEAR, override=noc_us).status == "restricted"


@pytest.mark.parametrize("csv_text, message", [
    ("id,statement,reason\nx,PDM,why\n", "no curator column"),
    ("id,statement,reason,curator\nx,Public domain,why,A\n", "line 2: 'Public domain' is not a rights statement"),
    ("id,statement,reason,curator\nx,PDM,,A\n", "line 2: no reason"),
    ("id,statement,reason,curator\nx,PDM,why,A\nx,InC,again,B\n", "line 3: id 'x' repeats"),
    ("id,statement,reason,curator\nx,http://example.org/licence,why,A\n", "not a rights statement"),
])
def test_bad_overrides_are_refused_with_the_line(csv_text: str, message: str) -> None:
    with pytest.raises(RecordError, match=re.escape(message)):
        read_overrides(csv_text.encode())


def test_overrides_not_in_utf8_are_refused() -> None:
    with pytest.raises(RecordError, match="not UTF-8"):
        read_overrides("id,statement,reason,curator\nx,PDM,réservé,A\n".encode("cp1252"))


@pytest.mark.parametrize("value, uri", [
    ("PDM", PDM), ("CC0", STATEMENTS["CC0"]), ("CC-BY-SA-4.0", "http://creativecommons.org/licenses/by-sa/4.0/"),
    ("https://creativecommons.org/licenses/by/4.0", "http://creativecommons.org/licenses/by/4.0/"),
    ("http://rightsstatements.org/vocab/NoC-US/1.0/", NOC_US),
])
def test_statement_uri_accepts_keys_and_uris(value: str, uri: str) -> None:
    assert statement_uri(value) == uri
