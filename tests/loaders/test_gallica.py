"""Gallica: SRU pages, OAIRecord, the IIIF manifest, Pagination and Issues, read from the real samples."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.base import Rejected
from loaders.gallica import parse_issues, parse_manifest, parse_oairecord, parse_pagination, parse_sru
from ontology.errors import RecordError
from ontology.record import Agent, Record, Text

SAMPLES = Path(__file__).parents[2] / "loaders" / "sample_collection" / "gallica"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"


def records(parser, path: Path) -> list[Record]:  # type: ignore[no-untyped-def]
    out = list(parser(path.read_bytes(), f"file:{path.name}"))
    assert all(isinstance(r, Record) for r in out), [r for r in out if isinstance(r, Rejected)]
    return out


def by_id(recs: list[Record]) -> dict[str, Record]:
    return {r.id: r for r in recs}


# --- SRU -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, count", [
    ("sru_maps_carte_nouvelle_france_2records.xml", 2),
    ("sru_periodicals_fascicule_no_rights.xml", 15),
    ("sru_petit_journal_brazza_1934.xml", 50),
    ("sru_serials_17thc_20papers.xml", 20),
    ("sru_zero_results.xml", 0),
])
def test_every_sru_page_yields_one_record_per_srw_record(name: str, count: int) -> None:
    recs = records(parse_sru, SAMPLES / "sru" / name)
    assert len(recs) == count
    assert len({r.id for r in recs}) == count
    for r in recs:
        assert r.provider == "gallica" and r.loader == "loaders.gallica" and r.source_format == "gallica-sru"
        assert r.is_shown_at and r.is_shown_at.startswith("https://gallica.bnf.fr/ark:/12148/")
        assert r.is_shown_at in r.identifiers


def test_manuscript_map_of_1686_by_franquelin() -> None:
    franquelin = by_id(records(parse_sru, SAMPLES / "sru" / "sru_maps_carte_nouvelle_france_2records.xml"))[
        "gallica-btv1b55012939c"]
    assert franquelin.titles[0].value.startswith("Carte gé[né]ralle du voyage que Mons[ieu]r De Meulles")
    assert franquelin.creators[0] == Agent("Franquelin, Jean-Baptiste", 1650, None, "Cartographe")
    assert (franquelin.creators[1].name, franquelin.creators[1].death) == ("Meulles, Jacques de", 1703)
    # "manuscript cartographic resource" + "carte": a hand-drawn map is still a map, an image
    assert (franquelin.genre, franquelin.edm_type) == ("map", "IMAGE")
    assert (franquelin.date, franquelin.year_from, franquelin.year_to) == ("1686", 1686, 1686)
    assert franquelin.rights_text == [Text("domaine public", "fr"), Text("public domain", "en")]
    assert franquelin.rights_uri is None  # the rights engine turns words into a statement, not the loader
    assert franquelin.same_as == ["http://catalogue.bnf.fr/ark:/12148/cb43641368f"]
    assert Text("Notice de recueil : http://catalogue.bnf.fr/ark:/12148/cb43641351q") in franquelin.is_part_of
    assert franquelin.data_provider == "Bibliothèque nationale de France, département Cartes et plans"
    assert "GE SH 18 PF 132 DIV 2 P 2" in franquelin.identifiers
    assert franquelin.provider_name == "Gallica (BnF)"
    assert [p.name for p in franquelin.places] == ["Canada – Québec"]
    assert [s.label for s in franquelin.subjects] == ["Nouvelle-France, Colonie de la", "Acadie", "Québec"]
    assert franquelin.languages == ["fr"]
    assert franquelin.extent == "1 carte : ms, aquarellée ; 124 x 189 cm"
    assert franquelin.manifest_url == "https://gallica.bnf.fr/iiif/ark:/12148/btv1b55012939c/manifest.json"
    assert franquelin.source_url == "https://gallica.bnf.fr/services/OAIRecord?ark=btv1b55012939c"
    [view] = franquelin.images
    assert view.thumbnail == "https://gallica.bnf.fr/ark:/12148/btv1b55012939c.thumbnail"  # from extraRecordData
    assert (view.service, view.service_type) == ("https://gallica.bnf.fr/iiif/ark:/12148/btv1b55012939c/f1",
                                                 "ImageService1")
    assert view.width is None and view.height is None  # not in SRU: never guessed


def test_restricted_map_keeps_gallica_words_verbatim() -> None:
    port_breton = by_id(records(parse_sru, SAMPLES / "sru" / "sru_maps_carte_nouvelle_france_2records.xml"))[
        "gallica-btv1b10870266z"]
    assert port_breton.rights_text == [
        Text("conditions spécifiques d'utilisation - Société de Géographie", "fr"), Text("restricted use", "en")]
    assert port_breton.creators == [Agent("Auxais, Maur d'", role="Cartographe")]
    assert port_breton.data_provider == "Bibliothèque nationale de France, département Société de Géographie"
    assert port_breton.genre == "map" and port_breton.year_from == 1881


def test_periodical_title_records_have_unknown_rights_and_no_manifest() -> None:
    recs = records(parse_sru, SAMPLES / "sru" / "sru_periodicals_fascicule_no_rights.xml")
    assert {r.genre for r in recs} == {"periodical"} and {r.edm_type for r in recs} == {"TEXT"}
    anti = by_id(recs)["gallica-cb32699739p"]
    assert anti.titles == [Text("L'Anti-cafard. Revue anti-boche, publiée très irrégulièrement avec le concours "
                                "de toutes les bonnes volontés")]  # Gallica repeats the title: kept once
    assert anti.rights_text == []  # no dc:rights: unknown, never guessed
    assert anti.is_shown_at == "https://gallica.bnf.fr/ark:/12148/cb32699739p/date"
    assert anti.manifest_url is None  # a periodical's title has issues, not pages
    assert anti.images[0].service == "https://gallica.bnf.fr/iiif/ark:/12148/btv1b550055958/f1"  # Gallica's pick
    assert (anti.date, anti.year_from, anti.year_to) == ("19XX", 1900, 1999)
    memoria = by_id(recs)["gallica-cb339033288"]
    assert (memoria.date_display, memoria.year_from, memoria.year_to) == ("1913-????", 1913, None)
    assert memoria.contributors == [Agent("Supremo conselho para Portugal", role="Éditeur scientifique")]
    assert memoria.languages == ["pt"]
    assert sum(1 for r in recs if r.rights_text) < len(recs) // 2


def test_petit_journal_issues_1934_1935() -> None:
    recs = records(parse_sru, SAMPLES / "sru" / "sru_petit_journal_brazza_1934.xml")
    assert {r.titles[0].value for r in recs} == {"Le Petit journal"}
    assert min(r.year_from for r in recs if r.year_from) == 1934
    first = by_id(recs)["gallica-bpt6k633680c"]
    assert (first.date, first.year_from, first.year_to) == ("1934-07-24", 1934, 1934)
    assert first.creators == [Agent("Parti social français", role="Auteur du texte")]
    assert first.publisher is None and first.place_of_origin is not None and first.place_of_origin.name == "Paris"
    assert all(r.rights_text == [Text("domaine public", "fr"), Text("public domain", "en")] for r in recs)
    assert "https://gallica.bnf.fr/ark:/12148/cb32895690j/date" in [t.value for t in first.is_part_of]
    assert first.data_provider == "Bibliothèque nationale de France"


def test_17th_century_serials() -> None:
    recs = by_id(records(parse_sru, SAMPLES / "sru" / "sru_serials_17thc_20papers.xml"))
    desc = recs["gallica-bpt6k1511024c"]
    assert desc.titles == [Text("Description de l'état present de la France")]
    assert desc.creators == [Agent("Marchais, Antoine", role="Auteur du texte")]
    assert desc.data_provider == "Bibliothèque nationale de France, département Arsenal"
    assert desc.year_from == 1654 and desc.genre == "periodical"
    assert all(1600 <= r.year_from <= 1700 for r in recs.values() if r.year_from)


def test_zero_results_page_yields_nothing() -> None:
    assert list(parse_sru((SAMPLES / "sru" / "sru_zero_results.xml").read_bytes(), "file:zero")) == []


# --- OAIRecord -------------------------------------------------------------------------------

def test_oairecord_periodical_issue_public_domain() -> None:
    [issue] = records(parse_oairecord, SAMPLES / "oairecord" / "oairecord_bpt6k5603637g_periodical_issue_pd.xml")
    assert issue.id == "gallica-bpt6k5603637g"
    assert issue.titles == [Text("La Nouvelle France : journal de la colonie libre de Port-Breton, Océanie")]
    assert issue.rights_text == [Text("domaine public", "fr"), Text("public domain", "en")]  # from xml:lang
    assert (issue.date, issue.genre) == ("1879-07-15", "periodical")
    assert issue.place_of_origin is not None and issue.place_of_origin.name == "Marseille"
    assert issue.data_provider == "Bibliothèque nationale de France, département Droit, économie, politique"
    assert issue.source_format == "gallica-oairecord"


def test_oairecord_map_is_the_same_object_as_in_sru() -> None:
    [from_oai] = records(parse_oairecord, SAMPLES / "oairecord" / "oairecord_btv1b10870266z_map_restricted_use.xml")
    from_sru = by_id(records(parse_sru, SAMPLES / "sru" / "sru_maps_carte_nouvelle_france_2records.xml"))[from_oai.id]
    assert from_oai.source_url == from_sru.source_url
    assert from_oai.titles == from_sru.titles and from_oai.rights_text == from_sru.rights_text
    assert (from_oai.genre, from_oai.edm_type) == ("map", "IMAGE")


# --- IIIF manifest, Pagination, Issues -------------------------------------------------------

def test_manifest_verniquet_atlas_has_74_image_api_1_1_canvases() -> None:
    [atlas] = records(parse_manifest, SAMPLES / "iiif" / "manifest_v2_btv1b53243704g_map_atlas_verniquet.json")
    assert atlas.id == "gallica-btv1b53243704g"
    assert atlas.titles[0].value.startswith("Atlas du plan général de la ville de Paris")  # not the shelfmark label
    assert atlas.creators[0] == Agent("Verniquet, Edme", 1727, 1804, "Auteur du texte")
    assert (atlas.date, atlas.year_from, atlas.year_to) == ("179X", 1790, 1799)
    assert (atlas.genre, atlas.edm_type, atlas.languages) == ("map", "IMAGE", ["fr"])
    assert atlas.manifest_url == "https://gallica.bnf.fr/iiif/ark:/12148/btv1b53243704g/manifest.json"
    assert atlas.is_shown_at == "https://gallica.bnf.fr/ark:/12148/btv1b53243704g"
    assert len(atlas.images) == 74
    first, last = atlas.images[0], atlas.images[-1]
    assert first.service == "https://gallica.bnf.fr/iiif/ark:/12148/btv1b53243704g/f1"
    assert first.service_type == "ImageService1"
    assert first.service_profile == "http://library.stanford.edu/iiif/image-api/1.1/compliance.html#level2"
    assert (first.width, first.height) == (7900, 11060)
    assert (last.service, last.width, last.height) == (
        "https://gallica.bnf.fr/iiif/ark:/12148/btv1b53243704g/f74", 11088, 8036)
    assert all(i.service_type == "ImageService1" and i.width and i.height for i in atlas.images)


def test_pagination_gives_labels_and_sizes_in_view_order() -> None:
    pages = parse_pagination((SAMPLES / "pagination" / "pagination_bpt6k5603637g.xml").read_bytes())
    assert len(pages) == 12
    assert pages[0] == ("NP", 2515, 3218)
    assert pages[3] == ("2", 3208, 3942)


def test_issues_of_one_year_and_list_of_years() -> None:
    issues = parse_issues((SAMPLES / "issues" / "issues_1879_cb328261098.xml").read_bytes())
    assert [i["ark"] for i in issues][:2] == ["bpt6k5603637g", "bpt6k56068358"]
    assert issues[0]["date"] == "1879-07-15" and issues[0]["label"] == "15 juillet 1879"
    assert issues[-1]["date"] == "1879-12-15" and {i["parent_ark"] for i in issues} == {"cb328261098"}
    years = parse_issues((SAMPLES / "issues" / "issues_years_cb34431794k.xml").read_bytes())
    assert [y["year"] for y in years] == list(range(1861, 1943))
    assert years[0]["parent_ark"] == "cb34431794k"


# --- what goes wrong -------------------------------------------------------------------------

def test_truncated_sru_page_is_an_error_of_the_document() -> None:
    with pytest.raises(RecordError, match="not well-formed XML"):
        list(parse_sru((MALFORMED / "gallica_sru_maps_truncated.xml").read_bytes(), "file:t"))


def test_html_error_page_instead_of_xml() -> None:
    page = (MALFORMED / "html_error_page_503.html").read_bytes()
    with pytest.raises(RecordError, match="HTML page.*indisponible"):
        list(parse_sru(page, "file:p"))
    with pytest.raises(RecordError, match="HTML page"):
        list(parse_manifest(page, "file:p"))
    with pytest.raises(RecordError):
        parse_pagination(page)


def test_record_without_title_is_rejected_and_the_page_goes_on() -> None:
    data = (MALFORMED / "gallica_sru_maps_first_record_without_title.xml").read_bytes()
    out = list(parse_sru(data, "file:page"))
    [rejected] = [r for r in out if isinstance(r, Rejected)]
    assert "no title" in rejected.reason and "btv1b55012939c" in rejected.raw
    assert rejected.raw.lstrip().startswith("<srw:record")
    assert [r.id for r in out if isinstance(r, Record)] == ["gallica-btv1b10870266z"]


def test_record_without_ark_is_rejected() -> None:
    data = (SAMPLES / "sru" / "sru_maps_carte_nouvelle_france_2records.xml").read_bytes()
    data = data.replace(b"ark:/12148/btv1b10870266z", b"")  # no ark left in identifier, link or uri
    out = list(parse_sru(data, "file:page"))
    assert [type(r).__name__ for r in out] == ["Record", "Rejected"]
    assert "no Gallica ark" in out[1].reason  # type: ignore[union-attr]


def test_utf8_bytes_under_a_latin1_declaration_are_read_as_utf8() -> None:
    data = (MALFORMED / "gallica_oairecord_map_utf8_bytes_declared_iso8859_1.xml").read_bytes()
    [rec] = list(parse_oairecord(data, "file:x"))
    assert isinstance(rec, Record)
    assert rec.data_provider == "Bibliothèque nationale de France, département Société de Géographie"


def test_8bit_bytes_under_a_utf8_declaration_are_refused() -> None:
    data = (MALFORMED / "gallica_sru_maps_cp1252_bytes_declared_utf8.xml").read_bytes()
    with pytest.raises(RecordError, match="not well-formed XML"):
        list(parse_sru(data, "file:x"))


def test_truncated_manifest() -> None:
    with pytest.raises(RecordError, match="not valid JSON"):
        list(parse_manifest((MALFORMED / "gallica_manifest_verniquet_truncated.json").read_bytes(), "file:m"))


def test_not_an_sru_response() -> None:
    data = (SAMPLES / "oairecord" / "oairecord_bpt6k5603637g_periodical_issue_pd.xml").read_bytes()
    with pytest.raises(RecordError, match="not a Gallica SRU response"):
        list(parse_sru(data, "file:x"))


def test_sru_diagnostic_is_an_error_of_the_request() -> None:
    data = (SAMPLES / "sru" / "sru_zero_results.xml").read_bytes().replace(b"<srw:records/>", (
        b"<srw:diagnostics><diag:diagnostic><diag:uri>info:srw/diagnostic/1/10</diag:uri>"
        b"<diag:message>Query syntax error</diag:message></diag:diagnostic></srw:diagnostics>"))
    with pytest.raises(RecordError, match="Query syntax error"):
        list(parse_sru(data, "file:x"))


def test_json_that_is_not_a_presentation_2_manifest() -> None:
    with pytest.raises(RecordError, match="no sequences"):
        list(parse_manifest(b'{"@context": "http://iiif.io/api/presentation/3/context.json", "items": []}', "x"))


@pytest.mark.parametrize("publisher, kept", [
    ("[s.n.] (S.l.)", (None, None)),
    ("[n.p.] (Paris)", (None, "Paris")),
    ("[Plon] (Paris)", ("[Plon]", "Paris")),  # a short name the cataloguer supplied is still a name
])
def test_a_publisher_in_brackets_is_dropped_only_when_it_says_none_is_given(publisher: str,
                                                                            kept: tuple[str | None, str | None]) -> None:
    page = (SAMPLES / "sru" / "sru_petit_journal_brazza_1934.xml").read_text(encoding="utf-8")
    edited = page.replace("<dc:publisher>[s.n.] (Paris)</dc:publisher>", f"<dc:publisher>{publisher}</dc:publisher>")
    first = by_id(list(r for r in parse_sru(edited.encode(), "file:sru.xml") if isinstance(r, Record)))[
        "gallica-bpt6k633680c"]
    assert (first.publisher, first.place_of_origin.name if first.place_of_origin else None) == kept
