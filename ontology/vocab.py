"""Namespaces and the terms Meros writes, as pyoxigraph `NamedNode`s.

`NS.edm.ProvidedCHO` style access keeps spelling mistakes out of the mapping:
an unknown term is an AttributeError, not a silently wrong IRI.
"""
from __future__ import annotations

from pyoxigraph import NamedNode

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "edm": "http://www.europeana.eu/schemas/edm/",
    "ore": "http://www.openarchives.org/ore/terms/",
    "rdaGr2": "http://rdvocab.info/ElementsGr2/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "wgs84": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "svcs": "http://rdfs.org/sioc/services#",
    "doap": "http://usefulinc.com/ns/doap#",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
    "ebucore": "http://www.ebu.ch/metadata/ontologies/ebucore/ebucore#",
    "meros": "https://w3id.org/meros/ontology#",
}

TERMS: dict[str, tuple[str, ...]] = {
    "rdf": ("type",),
    "rdfs": ("label", "comment", "seeAlso"),
    "owl": ("sameAs",),
    "skos": ("Concept", "prefLabel", "altLabel"),
    "dc": ("title", "creator", "contributor", "date", "subject", "type", "language", "identifier",
           "description", "publisher", "rights", "format", "source"),
    "dcterms": ("created", "issued", "spatial", "isPartOf", "alternative", "extent", "conformsTo",
                "isReferencedBy", "temporal"),
    "edm": ("ProvidedCHO", "Agent", "Place", "WebResource", "type", "aggregatedCHO", "dataProvider",
            "provider", "isShownAt", "isShownBy", "object", "rights", "begin", "end", "currentLocation",
            "hasView", "year"),
    "ore": ("Aggregation",),
    "rdaGr2": ("dateOfBirth", "dateOfDeath"),
    "foaf": ("name", "Organization"),
    "wgs84": ("lat", "long"),
    "svcs": ("Service", "has_service"),
    "doap": ("implements",),
    "prov": ("wasDerivedFrom", "generatedAtTime", "wasAttributedTo"),
    "ebucore": ("width", "height", "hasMimeType"),
    "meros": ("contentHash", "rightsStatus", "rightsReason", "publicDomainFrom", "jurisdiction", "genre",
              "yearFrom", "yearTo", "sourceFormat", "loader", "sourceRights", "thumbnail",
              "serviceType", "sourceManifest", "anonymous", "imageId", "reviewNeeded",
              "sourceStatement", "published", "repressed", "rehabilitated", "warParticipant", "mortPourLaFrance"),
}


class _Namespace:
    def __init__(self, prefix: str, base: str, terms: tuple[str, ...]) -> None:
        self.prefix, self.base = prefix, base
        for term in terms:
            setattr(self, term, NamedNode(base + term))

    def __getitem__(self, local: str) -> NamedNode:
        return NamedNode(self.base + local)


class _Namespaces:
    def __init__(self) -> None:
        for prefix, base in PREFIXES.items():
            setattr(self, prefix, _Namespace(prefix, base, TERMS.get(prefix, ())))


NS = _Namespaces()

XSD_GYEAR = NamedNode(PREFIXES["xsd"] + "gYear")
XSD_INTEGER = NamedNode(PREFIXES["xsd"] + "integer")
XSD_DECIMAL = NamedNode(PREFIXES["xsd"] + "decimal")
XSD_DATETIME = NamedNode(PREFIXES["xsd"] + "dateTime")
XSD_BOOLEAN = NamedNode(PREFIXES["xsd"] + "boolean")
EDTF = NamedNode("http://id.loc.gov/datatypes/edtf/EDTF")

# Rights statements Meros writes (rightsstatements.org and creativecommons.org URIs).
RIGHTS = {
    "PDM": "http://creativecommons.org/publicdomain/mark/1.0/",
    "CC0": "http://creativecommons.org/publicdomain/zero/1.0/",
    "NoC-US": "http://rightsstatements.org/vocab/NoC-US/1.0/",
    "NoC-OKLR": "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
    "NKC": "http://rightsstatements.org/vocab/NKC/1.0/",
    "InC": "http://rightsstatements.org/vocab/InC/1.0/",
    "InC-EDU": "http://rightsstatements.org/vocab/InC-EDU/1.0/",
    "CNE": "http://rightsstatements.org/vocab/CNE/1.0/",
    "UND": "http://rightsstatements.org/vocab/UND/1.0/",
}


def turtle_prefixes() -> str:
    """PREFIX lines for SPARQL queries and Turtle output."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
