"""Europeana EDM RDF/XML: the Rijksmuseum full record (provider and Europeana proxies, contextual places)."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.base import Rejected
from loaders.edm import parse_edm
from ontology.errors import RecordError
from ontology.record import Agent, Record, Text

SAMPLE = Path(__file__).parents[2] / "loaders" / "sample_collection" / "europeana_edm" / \
    "edm_rdfxml_90402_BK_1978_399_rijksmuseum_pdm.xml"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"
SOURCE = "https://api.europeana.eu/record/v2/90402/BK_1978_399.rdf"


def one(data: bytes) -> Record:
    [rec] = list(parse_edm(data, SOURCE))
    assert isinstance(rec, Record), rec
    return rec


def test_rijksmuseum_purse() -> None:
    rec = one(SAMPLE.read_bytes())
    assert rec.id == "europeana-90402-bk-1978-399" and rec.local_id == "90402/BK_1978_399"
    assert rec.titles == [Text("Beurs van beschilderd creme-wit fluweel, met gouden beugel", "nl")]
    assert rec.rights_uri == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert rec.rights_text == [Text("Public Domain"), Text("Publiek Domein")]
    assert rec.is_shown_at == "http://hdl.handle.net/10934/RM0001.COLLECT.12801"
    assert rec.images[0].url and rec.images[0].url.startswith("https://lh3.ggpht.com/V4jYDrlLI8WiHjv_")
    assert (rec.data_provider, rec.provider_name) == ("Rijksmuseum", "Rijksmuseum")
    assert (rec.date, rec.year_from, rec.year_to) == ("1835", 1835, 1835)
    assert rec.edm_type == "IMAGE" and rec.languages == ["nl"]
    assert rec.descriptions[0].lang == "nl" and rec.descriptions[0].value.startswith("Beursje van beschilderd")
    assert "BK-1978-399" in rec.identifiers
    assert "https://www.europeana.eu/item/90402/BK_1978_399" in rec.identifiers
    assert rec.source_url == SOURCE and rec.loader == "loaders.edm"


def test_places_from_europeana_enrichment_with_coordinates() -> None:
    rec = one(SAMPLE.read_bytes())
    names = [p.name for p in rec.places]
    assert names == ["Switzerland", "Geneva", "Canton of Geneva"]  # one place per name, English label
    swiss = rec.places[0]
    assert (swiss.lat, swiss.lon) == (47.00016, 8.01427)
    assert "http://sws.geonames.org/2658434/" in swiss.same_as
    assert "Genève" not in names  # the provider's literal is the enriched place, not another one
    assert [s.label for s in rec.subjects] == ["second quarter 19th century", "tweede kwart 19e eeuw"]


def test_agents_with_rdagr2_life_dates() -> None:
    data = SAMPLE.read_bytes().replace(b"</rdf:RDF>", b"""
    <edm:Agent xmlns:skos="http://www.w3.org/2004/02/skos/core#" xmlns:rdaGr2="http://rdvocab.info/ElementsGr2/"
               rdf:about="http://data.europeana.eu/agent/base/60404">
        <skos:prefLabel xml:lang="en">Rembrandt</skos:prefLabel>
        <skos:prefLabel xml:lang="nl">Rembrandt van Rijn</skos:prefLabel>
        <rdaGr2:dateOfBirth>1606-07-15</rdaGr2:dateOfBirth>
        <rdaGr2:dateOfDeath>1669-10-04</rdaGr2:dateOfDeath>
    </edm:Agent></rdf:RDF>""").replace(
        b"<edm:europeanaProxy>false</edm:europeanaProxy>",
        b'<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'rdf:resource="http://data.europeana.eu/agent/base/60404"/>'
        b'<dc:contributor xmlns:dc="http://purl.org/dc/elements/1.1/">Six, C.I. (1890-1970)</dc:contributor>'
        b"<edm:europeanaProxy>false</edm:europeanaProxy>")
    rec = one(data)
    assert rec.creators == [Agent("Rembrandt", 1606, 1669, same_as=["http://data.europeana.eu/agent/base/60404"],
                                  names=[Text("Rembrandt van Rijn", "nl")])]
    assert rec.contributors == [Agent("Six, C.I.", 1890, 1970)]


def test_truncated_document() -> None:
    with pytest.raises(RecordError, match="not well-formed XML"):
        list(parse_edm((MALFORMED / "edm_rijksmuseum_truncated.xml").read_bytes(), SOURCE))


def test_html_error_page() -> None:
    with pytest.raises(RecordError, match="HTML page"):
        list(parse_edm((MALFORMED / "html_error_page_503.html").read_bytes(), SOURCE))


def test_rdf_without_a_provided_cho_is_rejected() -> None:
    data = SAMPLE.read_bytes().replace(b"edm:ProvidedCHO", b"edm:NonInformationResource")
    [rejected] = list(parse_edm(data, SOURCE))
    assert isinstance(rejected, Rejected) and "ProvidedCHO" in rejected.reason


def test_cho_without_title_is_rejected() -> None:
    data = SAMPLE.read_bytes()
    start = data.index(b"<dc:title")
    data = data[:start] + data[data.index(b"</dc:title>") + len(b"</dc:title>"):]
    [rejected] = list(parse_edm(data, SOURCE))
    assert isinstance(rejected, Rejected) and "no title" in rejected.reason


def test_not_rdf() -> None:
    with pytest.raises(RecordError, match="no rdf:RDF"):
        list(parse_edm(b"<results><notice/></results>", SOURCE))


def _insert_after_first_title(extra: bytes) -> bytes:
    data = SAMPLE.read_bytes()
    at = data.index(b">", data.index(b"<dc:title")) + 1
    return data[:at] + extra + data[at:]


RDF_ROOT = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'


@pytest.mark.parametrize("data", [
    _insert_after_first_title(b"a \x01 b"),  # a character XML forbids
    SAMPLE.read_bytes().rstrip() + RDF_ROOT,  # a second root
    SAMPLE.read_bytes()[:-40],  # cut inside the last element
], ids=["control-character", "second-root", "truncated"])
def test_what_xml_forbids_is_refused_whichever_parser_reads_it(data: bytes) -> None:
    """The sample read as it is goes straight to pyoxigraph, which lets these through: they must still be refused."""
    with pytest.raises(RecordError, match="not well-formed XML"):
        list(parse_edm(data, SOURCE))


def test_a_latin1_declaration_over_utf8_bytes_reads_as_utf8() -> None:
    """Not the plain path (pyoxigraph reads UTF-8 only): lxml reads it, and the record is the same."""
    data = SAMPLE.read_bytes()
    assert one(data.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')) == one(data)
