"""Record → EDM graph, compared by graph isomorphism with the expected Turtle."""
from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import isomorphic

from ontology.errors import RecordError
from ontology.mapping import Uris, record_to_graph
from ontology.vocab import NS
from ontology.record import Agent, Concept, Image, Place, Record, Text
from ontology.rights import decide
from ontology.validate import to_rdflib, validate

BASE = "http://127.0.0.1:5000"


def franquelin() -> Record:
    """The 1686 Franquelin manuscript map, as the Gallica SRU sample describes it."""
    return Record(
        provider="gallica", local_id="btv1b55012939c",
        titles=[Text("Carte généralle du voyage que Monsieur De Meulles…", "fr")],
        source_url="https://gallica.bnf.fr/services/OAIRecord?ark=btv1b55012939c",
        source_format="gallica-sru", loader="loaders.gallica", edm_type="IMAGE", genre="map",
        creators=[Agent("Franquelin, Jean-Baptiste", birth=1650, role="Cartographe")],
        date="1686", date_display="1686", year_from=1686, year_to=1686, languages=["fr"],
        subjects=[Concept("Acadie")], places=[Place("Québec", 46.81, -71.21)],
        data_provider="Bibliothèque nationale de France", provider_name="Gallica (BnF)",
        is_shown_at="https://gallica.bnf.fr/ark:/12148/btv1b55012939c",
        images=[Image(service="https://gallica.bnf.fr/iiif/ark:/12148/btv1b55012939c/f1", service_type="ImageService1",
                      service_profile="http://library.stanford.edu/iiif/image-api/1.1/compliance.html#level2",
                      width=6000, height=4000)],
        rights_text=[Text("domaine public", "fr"), Text("public domain", "en")],
    )


EXPECTED = """
@prefix dc: <http://purl.org/dc/elements/1.1/> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix edm: <http://www.europeana.eu/schemas/edm/> . @prefix ore: <http://www.openarchives.org/ore/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdaGr2: <http://rdvocab.info/ElementsGr2/> .
@prefix wgs84: <http://www.w3.org/2003/01/geo/wgs84_pos#> . @prefix svcs: <http://rdfs.org/sioc/services#> .
@prefix doap: <http://usefulinc.com/ns/doap#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ebucore: <http://www.ebu.ch/metadata/ontologies/ebucore/ebucore#> .
@prefix meros: <https://w3id.org/meros/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix edtf: <http://id.loc.gov/datatypes/edtf/> .
<http://127.0.0.1:5000/id/gallica-btv1b55012939c> a edm:ProvidedCHO ;
  dc:title "Carte généralle du voyage que Monsieur De Meulles…"@fr ;
  dc:creator <http://127.0.0.1:5000/id/agent/franquelin-jean-baptiste-1650> ;
  dc:date "1686" ; dcterms:created "1686"^^edtf:EDTF ;
  meros:yearFrom 1686 ; meros:yearTo 1686 ; edm:type "IMAGE" ; dc:type "map" ; dc:language "fr" ;
  dc:subject <http://127.0.0.1:5000/id/concept/acadie> ;
  dcterms:spatial <http://127.0.0.1:5000/id/place/qu%C3%A9bec-46-81-71-21> .
<http://127.0.0.1:5000/id/agent/franquelin-jean-baptiste-1650> a edm:Agent ;
  skos:prefLabel "Franquelin, Jean-Baptiste" ; rdaGr2:dateOfBirth 1650 .
<http://127.0.0.1:5000/id/concept/acadie> a skos:Concept ; skos:prefLabel "Acadie" .
<http://127.0.0.1:5000/id/place/qu%C3%A9bec-46-81-71-21> a edm:Place ; skos:prefLabel "Québec" ;
  wgs84:lat 46.81 ; wgs84:long -71.21 .
<http://127.0.0.1:5000/id/gallica-btv1b55012939c#aggregation> a ore:Aggregation ;
  edm:aggregatedCHO <http://127.0.0.1:5000/id/gallica-btv1b55012939c> ;
  edm:dataProvider "Bibliothèque nationale de France" ; edm:provider "Gallica (BnF)" ;
  edm:isShownAt <https://gallica.bnf.fr/ark:/12148/btv1b55012939c> ;
  edm:rights <http://creativecommons.org/publicdomain/mark/1.0/> ;
  meros:rightsStatus "open" ; meros:jurisdiction "KZ" ;
  meros:rightsReason "Muallif 1650-yilda tugʻilgan, vafot etgan yili nomaʼlum, demak, 1775-yildan kechiktirmay vafot etgan (hech kim 125 yoshdan ortiq yashamaydi): Qozogʻistonda kechi bilan 1846-yil 1-yanvardan boshlab jamoat mulki (muallif umri + 70 yil). Manba ham shuni koʻrsatadi: «public domain»."@uz ;
  meros:rightsReason "Автор 1650 жылы туған, қайтыс болған жылы белгісіз, демек 1775 жылдан кешіктірмей қайтыс болған (ешкім 125 жастан асып өмір сүрмейді): Қазақстанда 1846 жылғы 1 қаңтардан кешіктірмей қоғамдық игілік (автордың өмірі + 70 жыл). Дереккөз де осыны көрсетеді: «public domain»."@kk ;
  meros:rightsReason "Год рождения автора — 1650, год смерти неизвестен, следовательно, смерть наступила не позднее 1775 года (никто не живёт дольше 125 лет): общественное достояние в Казахстане не позднее чем с 1 января 1846 года (жизнь автора + 70 лет). Источник также указывает: «public domain»."@ru ;
  meros:rightsReason "Author born 1650, death year unknown, so died by 1775 at the latest (no one lives past 125): public domain in Kazakhstan since 1 January 1846 at the latest (life + 70). The source also states “public domain”."@en ;
  meros:rightsReason "Naissance de l'auteur en 1650, année de décès inconnue, donc décès au plus tard en 1775 (personne ne vit plus de 125 ans) : domaine public au Kazakhstan au plus tard depuis le 1er janvier 1846 (vie de l'auteur + 70 ans). La source indique aussi « domaine public »."@fr ;
  meros:sourceRights "domaine public"@fr, "public domain"@en ;
  edm:isShownBy <https://gallica.bnf.fr/iiif/ark:/12148/btv1b55012939c/f1/full/full/0/native.jpg> .
<https://gallica.bnf.fr/iiif/ark:/12148/btv1b55012939c/f1/full/full/0/native.jpg> a edm:WebResource ;
  dcterms:isReferencedBy <http://127.0.0.1:5000/iiif/gallica-btv1b55012939c/manifest> ;
  ebucore:width 6000 ; ebucore:height 4000 ;
  svcs:has_service <https://gallica.bnf.fr/iiif/ark:/12148/btv1b55012939c/f1> .
<https://gallica.bnf.fr/iiif/ark:/12148/btv1b55012939c/f1> a svcs:Service ;
  dcterms:conformsTo <http://iiif.io/api/image> ;
  doap:implements <http://library.stanford.edu/iiif/image-api/1.1/compliance.html#level2> ;
  meros:serviceType "ImageService1" .
<http://127.0.0.1:5000/graph/gallica-btv1b55012939c>
  prov:wasDerivedFrom <https://gallica.bnf.fr/services/OAIRecord?ark=btv1b55012939c> ;
  prov:generatedAtTime "2026-01-01T00:00:00Z"^^xsd:dateTime ;
  meros:loader "loaders.gallica" ; meros:sourceFormat "gallica-sru" .
"""


def test_record_maps_to_the_expected_edm_graph() -> None:
    record = franquelin()
    graph, triples = record_to_graph(record, decide(record, "KZ"), Uris(BASE), generated_at="2026-01-01T00:00:00Z")
    assert graph.value == f"{BASE}/graph/gallica-btv1b55012939c"
    expected = rdflib.Graph().parse(data=EXPECTED, format="turtle")
    got = to_rdflib(triples)
    assert isomorphic(got, expected), (set(got) ^ set(expected))


def test_mapped_graph_conforms_to_the_shapes() -> None:
    record = franquelin()
    _, triples = record_to_graph(record, decide(record, "KZ"), Uris(BASE), generated_at="2026-01-01T00:00:00Z")
    conforms, report = validate(triples)
    assert conforms, report


def test_graph_without_rights_breaks_the_shapes() -> None:
    record = franquelin()
    _, triples = record_to_graph(record, decide(record, "KZ"), Uris(BASE), generated_at="2026-01-01T00:00:00Z")
    stripped = [t for t in triples if "rights" not in t.predicate.value.lower()]
    conforms, report = validate(stripped)
    assert not conforms
    assert "rights" in report


def test_record_without_title_is_refused() -> None:
    record = franquelin()
    record.titles = [Text("  ")]
    with pytest.raises(RecordError, match="no title"):
        record_to_graph(record, decide(record, "KZ"), Uris(BASE), generated_at="2026-01-01T00:00:00Z")


def test_source_without_statement_is_restricted_and_not_evaluated() -> None:
    record = franquelin()
    record.rights_text = []
    record.creators, record.year_from, record.year_to = [], None, None  # nothing the rules could compute from
    decision = decide(record, "KZ")
    assert decision.status == "restricted"
    assert decision.statement == "http://rightsstatements.org/vocab/CNE/1.0/"


def test_restricted_use_statement_is_restricted() -> None:
    record = franquelin()
    record.rights_text = [Text("conditions spécifiques d'utilisation - Société de Géographie", "fr"), Text("restricted use", "en")]
    decision = decide(record, "KZ")
    assert (decision.status, decision.statement) == ("restricted", "http://rightsstatements.org/vocab/InC/1.0/")


def test_the_load_writes_what_pyoxigraph_serialises() -> None:
    """The load builds each graph's N-Triples from tuples (`record_statements`, `mapped`), not from
    pyoxigraph Triples: the text must be byte for byte pyoxigraph's, or stored content hashes would change."""
    from pyoxigraph import RdfFormat, Triple, serialize

    from loaders.collection import sample_records
    from loaders.mapped import MapSpec, content_hash, mapped
    from ontology.record import Record

    spec = MapSpec.of(Uris(BASE), "KZ")
    stamp = NS.prov.generatedAtTime
    records = [r for r in sample_records() if isinstance(r, Record)]
    assert len(records) > 100
    literals_with_escapes = 0
    for record in records:
        graph, statements = spec.graph(record)
        triples = [Triple(*st) for st in statements]
        m = mapped(graph, statements)
        expected = serialize([t for t in triples if t.predicate != stamp], format=RdfFormat.N_TRIPLES)
        expected += serialize([t for t in triples if t.predicate == stamp], format=RdfFormat.N_TRIPLES)
        assert m.ntriples == expected, record.id
        assert m.hash == content_hash(triples) == mapped(graph, triples).hash
        assert m.triples == [t for t in triples if t.predicate != stamp] + [t for t in triples if t.predicate == stamp]
        literals_with_escapes += b'\\"' in m.ntriples or b"\\n" in m.ntriples
    assert literals_with_escapes  # the samples' quotes and newlines in literals are part of what is compared


def test_the_content_hash_does_not_depend_on_how_the_lines_are_sorted() -> None:
    """`mapped` sorts whole lines, newline included; `content_hash` sorts pyoxigraph's lines without it. Literals
    that differ only in a control character or a space at the end are where the two orders could part."""
    from pyoxigraph import Literal, NamedNode, Triple

    from loaders.mapped import content_hash, mapped

    s, p = NamedNode(f"{BASE}/id/x"), NS.dc.title
    statements = [(s, p, Literal(text)) for text in ("a", "a\t", "a ", "a\x01", "a\n", "a\tb", "a.", "a\\", "a\"")]
    statements += [(s, p, Literal("a", language="en")), (s, p, Literal("a", language="en-gb"))]
    m = mapped(NamedNode(f"{BASE}/graph/x"), statements)
    assert m.hash == content_hash([Triple(*st) for st in statements])
    assert m.nquads.count(b"\n") == len(statements)
