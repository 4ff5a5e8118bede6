"""The SPARQL 1.1 Service Description of /sparql: what it speaks, its formats, its limits, where the data is described."""
from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ontology.vocab import NS

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"

RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def _sd(local: str) -> NamedNode:
    return NamedNode(SD + local)


def service_description(base: str, *, timeout: float, max_rows: int, federation: tuple[str, ...] = ()) -> list[Triple]:
    """The endpoint's description as triples (serialised by the caller in the negotiated RDF format)."""
    endpoint = NamedNode(f"{base}/sparql")
    service = NamedNode(f"{base}/sparql#service")
    dataset = NamedNode(f"{base}/sparql#dataset")
    default_graph = BlankNode()
    t = [
        Triple(service, NS.rdf.type, _sd("Service")),
        Triple(service, _sd("endpoint"), endpoint),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        Triple(service, _sd("defaultEntailmentRegime"), NamedNode("http://www.w3.org/ns/entailment/Simple")),
        Triple(service, NS.dcterms["title"], Literal("Meros SPARQL endpoint", language="en")),
        Triple(service, NS.rdfs.comment, Literal(
            f"Read-only SPARQL 1.1 Query endpoint. Each query may run {timeout:g} s (MEROS_SPARQL_TIMEOUT) and "
            f"returns at most {max_rows} rows (MEROS_SPARQL_MAX_ROWS; the response headers X-Meros-Max-Rows and "
            "X-Meros-Truncated announce the cap). Every object's triples are in its own named graph "
            f"<{base}/graph/{{id}}>; the default graph is their union unless the request names a dataset.",
            language="en")),
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, NS.rdf.type, _sd("Dataset")),
        Triple(dataset, _sd("defaultGraph"), default_graph),
        Triple(default_graph, NS.rdf.type, _sd("Graph")),
        Triple(dataset, NS.rdfs.seeAlso, NamedNode(f"{base}/void")),
        Triple(NamedNode(f"{base}/void#meros"), NamedNode(VOID + "sparqlEndpoint"), endpoint),
    ]
    t += [Triple(service, _sd("resultFormat"), NamedNode(FORMATS + f)) for f in RESULT_FORMAT_IRIS]
    if federation:
        t.append(Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
        t += [Triple(service, NS.rdfs.comment, Literal(f"SERVICE allowed: <{url}>", language="en")) for url in federation]
    return t
