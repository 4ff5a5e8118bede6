"""The two metadata formats: simple Dublin Core (oai_dc) from the object's view, EDM as RDF/XML from its graph."""
from __future__ import annotations

from lxml import etree
import pyoxigraph as ox
from pyoxigraph import Triple

from ontology.mapping import Uris
from ontology.vocab import NS, PREFIXES
from sparql.objects import ObjectView, get_object
from sparql.store import Store

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# prefix → (schema, namespace)
FORMATS: dict[str, tuple[str, str]] = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS),
    "edm": ("http://www.europeana.eu/schemas/edm/EDM.xsd", "http://www.europeana.eu/schemas/edm/"),
}
DCMI_TYPES = {"TEXT": "Text", "IMAGE": "Image", "SOUND": "Sound", "VIDEO": "MovingImage", "3D": "PhysicalObject"}


def oai_dc(obj: ObjectView, uris: Uris) -> etree._Element:
    """Simple Dublin Core: what every harvester understands (titles and descriptions keep their language)."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {FORMATS['oai_dc'][0]}")

    def add(name: str, value: str | None, lang: str | None = None) -> None:
        if value:
            el = etree.SubElement(root, f"{{{DC_NS}}}{name}")
            el.text = value
            if lang:
                el.set(XML_LANG, lang)

    for t in obj.titles:
        add("title", t.value, t.lang)
    for a in obj.creators:
        add("creator", a.name)
    for a in obj.contributors:
        add("contributor", a.name)
    for _, label in obj.subjects:
        add("subject", label)
    for d in obj.descriptions:
        add("description", d.value, d.lang)
    add("publisher", obj.publisher)
    add("date", obj.date)
    add("type", obj.genre)
    add("type", DCMI_TYPES.get(obj.edm_type, obj.edm_type))
    add("identifier", obj.uri)
    for ident in obj.identifiers:
        add("identifier", ident)
    if obj.is_shown_at:
        add("identifier", obj.is_shown_at)
    for lang in obj.languages:
        add("language", lang)
    for p in obj.places:
        add("coverage", p.name)
    add("relation", uris.manifest(obj.id).value)
    add("rights", obj.rights_statement)
    for r in obj.rights_reason:
        add("rights", r.value, r.lang)
    return root


def edm(store: Store, uris: Uris, object_id: str) -> etree._Element:
    """The object's EDM graph as RDF/XML, each resource a typed node (edm:ProvidedCHO, ore:Aggregation, …)."""
    g = uris.graph(object_id)
    triples: list[Triple] = store.query(  # type: ignore[assignment]
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g.value}> {{ ?s ?p ?o }} }}", union_default_graph=False)
    cho, agg = uris.cho(object_id), uris.aggregation(object_id)
    # the graph's own provenance stays in the store (and the datestamp says when it changed)
    kept = [t for t in triples if t.subject != g]
    order = {cho: 0, agg: 1}

    def key(t: Triple) -> tuple[int, str, int, str]:
        return (order.get(t.subject, 2), str(t.subject), 0 if t.predicate == NS.rdf.type else 1, str(t.predicate))

    body = ox.serialize(sorted(kept, key=key), format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)
    return etree.fromstring(body)


def metadata(prefix: str, store: Store, uris: Uris, object_id: str) -> etree._Element:
    if prefix == "oai_dc":
        return oai_dc(get_object(store, uris, object_id), uris)
    return edm(store, uris, object_id)
