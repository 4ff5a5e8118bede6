"""Our own terms: parseable, and labelled in en, ru, kk and uz."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import rdflib

import ontology
from ontology.vocab import NS, PREFIXES, TERMS

TTL = Path(ontology.__file__).with_name("meros.ttl")
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def test_meros_ttl_parses_with_both_parsers() -> None:
    quads = list(pyoxigraph.parse(path=str(TTL), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(rdflib.Graph().parse(TTL, format="turtle"))


def test_every_meros_term_we_write_is_defined_and_labelled_in_four_languages() -> None:
    graph = rdflib.Graph().parse(TTL, format="turtle")
    for term in TERMS["meros"]:
        iri = rdflib.URIRef(PREFIXES["meros"] + term)
        langs = {label.language for label in graph.objects(iri, rdflib.URIRef(RDFS_LABEL))}
        assert {"en", "ru", "kk", "uz"} <= langs, f"meros:{term} labels: {langs}"


def test_unknown_term_is_an_error_not_a_wrong_iri() -> None:
    assert NS.edm.ProvidedCHO.value == "http://www.europeana.eu/schemas/edm/ProvidedCHO"
    try:
        NS.edm.ProvidedCho  # noqa: B018  (misspelt on purpose)
    except AttributeError:
        return
    raise AssertionError("a misspelt term must not silently make an IRI")
