"""A normalised `Record` → its EDM graph: ProvidedCHO, Aggregation, WebResources, Agents, Places, Concepts.

Each object's triples live in one named graph `BASE/graph/{id}`, which also
holds the provenance of that graph, so replacing the graph replaces both.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .record import Agent, Concept, Image, Place, Record, Text
from .rights import RightsDecision
from .vocab import EDTF, NS, XSD_BOOLEAN, XSD_DATETIME, XSD_DECIMAL, XSD_INTEGER

Statement = tuple[NamedNode | BlankNode, NamedNode, NamedNode | BlankNode | Literal]  # a triple, unbuilt


@dataclass(frozen=True)
class Uris:
    """Where things live under the public base URL (see the contract's "Identifiers")."""

    base: str

    def cho(self, object_id: str) -> NamedNode:
        return NamedNode(f"{self.base}/id/{object_id}")

    def aggregation(self, object_id: str) -> NamedNode:
        return NamedNode(f"{self.base}/id/{object_id}#aggregation")

    def graph(self, object_id: str) -> NamedNode:
        return NamedNode(f"{self.base}/graph/{object_id}")

    def agent(self, agent: Agent) -> NamedNode:
        years = "-".join(str(y) if y is not None else "" for y in (agent.birth, agent.death)).strip("-")
        return NamedNode(f"{self.base}/id/agent/{slug(agent.name + (' ' + years if years else ''))}")

    def place(self, place: Place) -> NamedNode:
        """Same name and no coordinates → one place; coordinates tell namesakes apart."""
        where = f" {place.lat:.2f} {place.lon:.2f}" if place.lat is not None and place.lon is not None else ""
        return NamedNode(f"{self.base}/id/place/{slug(place.name + where)}")

    def concept(self, concept: Concept) -> NamedNode:
        return NamedNode(f"{self.base}/id/concept/{slug(concept.label)}")

    def image_service(self, image_id: str) -> NamedNode:
        return NamedNode(f"{self.base}/iiif/image/{image_id}")

    def manifest(self, object_id: str) -> NamedNode:
        return NamedNode(f"{self.base}/iiif/{object_id}/manifest")


def slug(text: str) -> str:
    """A readable, stable IRI segment; letters of any script are kept (IRIs allow them).

    >>> slug("Verniquet, Edme 1727-1804"), slug("Абай Құнанбайұлы")
    ('verniquet-edme-1727-1804', '%D0%B0%D0%B1%D0%B0%D0%B9-%D2%9B%D2%B1%D0%BD%D0%B0%D0%BD%D0%B1%D0%B0%D0%B9%D2%B1%D0%BB%D1%8B')
    """
    return _slug(text)


@lru_cache(maxsize=65536)  # names, places and subjects recur across a collection's records
def _slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFC", text).lower()).strip("-_")
    if not s:
        s = hashlib.sha1(text.encode()).hexdigest()[:12]
    return quote(s[:120], safe="-_")


def image_id(object_id: str, n: int) -> str:
    """Our image id for a local scan: the object id and the page number."""
    return f"{object_id}-{n}"


def _lit(text: Text) -> Literal:
    return Literal(text.value, language=text.lang) if text.lang else Literal(text.value)


def _iri(value: str) -> NamedNode | None:
    v = value.strip()
    if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", v):
        return NamedNode(v)
    return None


def record_to_graph(record: Record, rights: RightsDecision, uris: Uris, *, generated_at: str) -> tuple[NamedNode, list[Triple]]:
    """The object's named graph and its triples."""
    g, statements = record_statements(record, rights, uris, generated_at=generated_at)
    return g, [Triple(*st) for st in statements]


def record_statements(record: Record, rights: RightsDecision, uris: Uris, *,
                      generated_at: str) -> tuple[NamedNode, list[Statement]]:
    """`record_to_graph` as (subject, predicate, object) tuples, which the load serialises as they are.

    pyoxigraph builds a `Triple` with a literal object slowly (about 4 µs, twenty
    times a tuple), and a load of a million records has tens of millions of them.
    """
    record.check()
    oid = record.id
    cho, agg, g = uris.cho(oid), uris.aggregation(oid), uris.graph(oid)
    t: list[Statement] = []

    t.append((cho, NS.rdf.type, NS.edm.ProvidedCHO))
    for title in record.titles:
        t.append((cho, NS.dc.title, _lit(title)))
    for role_pred, agents in ((NS.dc.creator, record.creators), (NS.dc.contributor, record.contributors)):
        for agent in agents:
            t.append((cho, role_pred, _agent(t, agent, uris)))
    if record.date or record.date_display:
        t.append((cho, NS.dc.date, Literal(record.date_display or record.date)))
    if record.date:
        t.append((cho, NS.dcterms.created, Literal(record.date, datatype=EDTF)))
    if record.year_from is not None:
        t.append((cho, NS.meros.yearFrom, Literal(str(record.year_from), datatype=XSD_INTEGER)))
    if record.year_to is not None:
        t.append((cho, NS.meros.yearTo, Literal(str(record.year_to), datatype=XSD_INTEGER)))
    t.append((cho, NS.edm.type, Literal(record.edm_type)))
    if record.genre:
        t.append((cho, NS.dc.type, Literal(record.genre)))
    for lang in dict.fromkeys(record.languages):
        t.append((cho, NS.dc.language, Literal(lang)))
    for concept in record.subjects:
        t.append((cho, NS.dc.subject, _concept(t, concept, uris)))
    for place in record.places:
        t.append((cho, NS.dcterms.spatial, _place(t, place, uris)))
    if record.place_of_origin:
        t.append((cho, NS.dcterms.spatial, _place(t, record.place_of_origin, uris)))
    for text in record.descriptions:
        t.append((cho, NS.dc.description, _lit(text)))
    if record.publisher:
        t.append((cho, NS.dc.publisher, Literal(record.publisher)))
    for ident in dict.fromkeys(record.identifiers):
        t.append((cho, NS.dc.identifier, Literal(ident)))
    for same in dict.fromkeys(record.same_as):
        if (iri := _iri(same)) is not None:
            t.append((cho, NS.owl.sameAs, iri))
    for part in record.is_part_of:
        t.append((cho, NS.dcterms.isPartOf, _lit(part)))
    if record.extent:
        t.append((cho, NS.dcterms.extent, Literal(record.extent)))
    if record.anonymous:
        t.append((cho, NS.meros.anonymous, _bool(True)))
    if record.published is not None:
        t.append((cho, NS.meros.published, _bool(record.published)))

    t.append((agg, NS.rdf.type, NS.ore.Aggregation))
    t.append((agg, NS.edm.aggregatedCHO, cho))
    t.append((agg, NS.edm.dataProvider, Literal(record.data_provider or record.provider_name or record.provider)))
    t.append((agg, NS.edm.provider, Literal(record.provider_name or record.data_provider or record.provider)))
    if record.is_shown_at and (iri := _iri(record.is_shown_at)) is not None:
        t.append((agg, NS.edm.isShownAt, iri))
    if record.manifest_url and (iri := _iri(record.manifest_url)) is not None:
        t.append((agg, NS.meros.sourceManifest, iri))
    _rights(t, agg, rights, record)
    for n, image in enumerate(record.images, start=1):
        _web_resource(t, agg, oid, n, image, uris)

    t.append((g, NS.prov.wasDerivedFrom, _iri(record.source_url) or Literal(record.source_url)))
    t.append((g, NS.prov.generatedAtTime, Literal(generated_at, datatype=XSD_DATETIME)))
    t.append((g, NS.meros.loader, Literal(record.loader)))
    t.append((g, NS.meros.sourceFormat, Literal(record.source_format)))
    return g, list(dict.fromkeys(t))  # an agent or place named twice is still one set of triples


def _agent(t: list[Statement], agent: Agent, uris: Uris) -> NamedNode:
    node = uris.agent(agent)
    t.append((node, NS.rdf.type, NS.edm.Agent))
    t.append((node, NS.skos.prefLabel, Literal(agent.name)))
    for other in agent.names:
        t.append((node, NS.skos.altLabel, _lit(other)))
    if agent.birth is not None:
        t.append((node, NS.rdaGr2.dateOfBirth, Literal(str(agent.birth), datatype=XSD_INTEGER)))
    if agent.death is not None:
        t.append((node, NS.rdaGr2.dateOfDeath, Literal(str(agent.death), datatype=XSD_INTEGER)))
    for same in agent.same_as:
        if (iri := _iri(same)) is not None:
            t.append((node, NS.owl.sameAs, iri))
    # The facts some copyright laws turn on, kept so `meros rights` can recompute from the store.
    if agent.is_organisation:
        t.append((node, NS.rdf.type, NS.foaf.Organization))
    if agent.repressed:
        t.append((node, NS.meros.repressed, _bool(True)))
    if agent.rehabilitated is not None:
        t.append((node, NS.meros.rehabilitated, Literal(str(agent.rehabilitated), datatype=XSD_INTEGER)))
    if agent.war_participant is not None:
        t.append((node, NS.meros.warParticipant, _bool(agent.war_participant)))
    if agent.mort_pour_la_france:
        t.append((node, NS.meros.mortPourLaFrance, _bool(True)))
    return node


def _bool(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD_BOOLEAN)


def _place(t: list[Statement], place: Place, uris: Uris) -> NamedNode:
    node = uris.place(place)
    t.append((node, NS.rdf.type, NS.edm.Place))
    t.append((node, NS.skos.prefLabel, Literal(place.name)))
    if place.lat is not None and place.lon is not None:
        t.append((node, NS.wgs84.lat, Literal(repr(float(place.lat)), datatype=XSD_DECIMAL)))
        t.append((node, NS.wgs84.long, Literal(repr(float(place.lon)), datatype=XSD_DECIMAL)))
    for same in place.same_as:
        if (iri := _iri(same)) is not None:
            t.append((node, NS.owl.sameAs, iri))
    return node


def _concept(t: list[Statement], concept: Concept, uris: Uris) -> NamedNode:
    node = uris.concept(concept)
    t.append((node, NS.rdf.type, NS.skos.Concept))
    label = Literal(concept.label, language=concept.lang) if concept.lang else Literal(concept.label)
    t.append((node, NS.skos.prefLabel, label))
    for same in concept.same_as:
        if (iri := _iri(same)) is not None:
            t.append((node, NS.owl.sameAs, iri))
    return node


# The predicates of the rights decision on the aggregation: what `meros rights` rewrites, and nothing else.
DECISION_PREDICATES = frozenset(p.value for p in (
    NS.edm.rights, NS.meros.rightsStatus, NS.meros.rightsReason, NS.meros.publicDomainFrom,
    NS.meros.jurisdiction, NS.meros.reviewNeeded))


def rights_triples(agg: NamedNode, rights: RightsDecision) -> list[Triple]:
    """The decision's triples; the load and `meros rights` both write exactly these."""
    return [Triple(*st) for st in rights_statements(agg, rights)]


def rights_statements(agg: NamedNode, rights: RightsDecision) -> list[Statement]:
    t: list[Statement] = [(agg, NS.edm.rights, NamedNode(rights.statement)),
                          (agg, NS.meros.rightsStatus, Literal(rights.status))]
    for lang, sentence in rights.reason.items():
        t.append((agg, NS.meros.rightsReason, Literal(sentence, language=lang)))
    if rights.public_domain_from is not None:
        t.append((agg, NS.meros.publicDomainFrom, Literal(str(rights.public_domain_from), datatype=XSD_INTEGER)))
    if rights.jurisdiction:
        t.append((agg, NS.meros.jurisdiction, Literal(rights.jurisdiction)))
    for why in rights.review:
        t.append((agg, NS.meros.reviewNeeded, Literal(why)))
    return t


def _rights(t: list[Statement], agg: NamedNode, rights: RightsDecision, record: Record) -> None:
    t.extend(rights_statements(agg, rights))
    for text in record.rights_text:
        t.append((agg, NS.meros.sourceRights, _lit(text)))
    if record.rights_uri and (iri := _iri(record.rights_uri)) is not None:
        t.append((agg, NS.meros.sourceStatement, iri))


def _web_resource(t: list[Statement], agg: NamedNode, oid: str, n: int, image: Image, uris: Uris) -> None:
    """An image as an edm:WebResource with its IIIF service (Europeana's IIIF profile)."""
    if image.local_path:
        iid = image_id(oid, n)
        service: NamedNode | None = uris.image_service(iid)
        resource = NamedNode(f"{service.value}/full/max/0/default.jpg")
        small = image.width is not None and image.height is not None and max(image.width, image.height) <= 300
        # Image API 3 refuses to enlarge without "^": a scan already smaller than a thumbnail is served whole
        thumb = NamedNode(f"{service.value}/full/{'max' if small else '!300,300'}/0/default.jpg")
        profile, stype = "level2", "ImageService3"
    else:
        service = _iri(image.service) if image.service else None
        resource = _iri(image.url or "") or (NamedNode(f"{service.value}/full/full/0/native.jpg") if service else None)
        thumb = _iri(image.thumbnail or "")
        profile, stype = image.service_profile, image.service_type
        if resource is None:
            return
    t.append((resource, NS.rdf.type, NS.edm.WebResource))
    t.append((resource, NS.dcterms.isReferencedBy, uris.manifest(oid)))
    if image.width and image.height:
        t.append((resource, NS.ebucore.width, Literal(str(image.width), datatype=XSD_INTEGER)))
        t.append((resource, NS.ebucore.height, Literal(str(image.height), datatype=XSD_INTEGER)))
    if image.label:
        t.append((resource, NS.rdfs.label, Literal(image.label)))
    if image.local_path:
        t.append((resource, NS.meros.imageId, Literal(image_id(oid, n))))
    if service is not None:
        t.append((resource, NS.svcs.has_service, service))
        t.append((service, NS.rdf.type, NS.svcs.Service))
        t.append((service, NS.dcterms.conformsTo, NamedNode("http://iiif.io/api/image")))
        if profile:
            t.append((service, NS.doap.implements, _iri(profile) or Literal(profile)))
        if stype:
            t.append((service, NS.meros.serviceType, Literal(stype)))
    t.append((agg, NS.edm.hasView if n > 1 else NS.edm.isShownBy, resource))
    if n == 1 and thumb is not None:
        t.append((agg, NS.edm.object, thumb))
