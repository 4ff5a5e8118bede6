"""Europeana EDM in RDF/XML (full records as Europeana's API and OAI-PMH serve them).

A full record spreads the object over the ProvidedCHO, the provider's Proxy
(what the museum said) and Europeana's Proxy (its enrichments: places with
coordinates, time spans), with the rights and links on the Aggregation. All of
them are read into one Record; contextual entities (edm:Agent, edm:Place,
skos:Concept, edm:TimeSpan) resolve the links. The XML is checked with the safe
lxml parser first; pyoxigraph then reads the RDF in document order.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, Union
from urllib.parse import quote, urlsplit

from lxml import etree
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, parse

from ontology.errors import RecordError
from ontology.record import EDM_TYPES, Agent, Concept, Image, Place, Record, Text

from .base import Rejected
from .normalise import edm_type_of, language_code, nfc, object_genre, parse_agent, parse_date, parse_xml

LOADER = "loaders.edm"
PROVIDER = "europeana"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
EDM = "http://www.europeana.eu/schemas/edm/"
ORE = "http://www.openarchives.org/ore/terms/"
DC = "http://purl.org/dc/elements/1.1/"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
RDAGR2 = "http://rdvocab.info/ElementsGr2/"
OWL_SAME = "http://www.w3.org/2002/07/owl#sameAs"
FOAF_ORG = "http://xmlns.com/foaf/0.1/Organization"
Node = Union[NamedNode, BlankNode, Literal]


class _Graph:
    """Triples by subject, in document order (rdflib would lose the order of titles and labels)."""

    def __init__(self, triples: Iterable[Any]) -> None:
        self.by_subject: dict[NamedNode | BlankNode, list[tuple[str, Node]]] = {}
        for t in triples:
            self.by_subject.setdefault(t.subject, []).append((t.predicate.value, t.object))

    def objects(self, subjects: list[NamedNode | BlankNode], *predicates: str) -> list[Node]:
        out: list[Node] = []
        for s in subjects:
            out += [o for p, o in self.by_subject.get(s, []) if p in predicates and o not in out]
        return out

    def subjects(self, predicate: str, obj: Node) -> list[NamedNode | BlankNode]:
        return [s for s, po in self.by_subject.items() if (predicate, obj) in po]

    def typed(self, node: Node, type_iri: str) -> bool:
        return isinstance(node, (NamedNode, BlankNode)) and NamedNode(type_iri) in self.objects([node], RDF + "type")


def _text(lit: Literal) -> Text:
    lang = lit.language
    return Text(nfc(lit.value), (lang if len(lang) == 2 else language_code(lang) or lang) if lang else None)


def _label_literal(g: _Graph, node: Node) -> Literal | None:
    """An entity's name: its English prefLabel, else one without language, else the first."""
    labels = [o for o in g.objects([node], SKOS + "prefLabel") if isinstance(o, Literal)] \
        if isinstance(node, (NamedNode, BlankNode)) else []
    for wanted in ("en", ""):
        if found := next((lab for lab in labels if (lab.language or "") == wanted), None):
            return found
    return labels[0] if labels else None


def _label(g: _Graph, node: Node) -> str | None:
    found = _label_literal(g, node)
    return nfc(found.value) if found is not None else None


def _same(g: _Graph, node: Node) -> list[str]:
    links = g.objects([node], OWL_SAME, SKOS + "exactMatch") if isinstance(node, (NamedNode, BlankNode)) else []
    return [n.value for n in [node, *links] if isinstance(n, NamedNode) and n.value.startswith("http")]


def _year(text: str | None) -> int | None:
    return parse_date(text)[1] if text else None


def _agent(g: _Graph, node: Node) -> Agent | None:
    if isinstance(node, Literal):
        return parse_agent(node.value)
    name = _label(g, node)
    if not name:
        return None
    born = next((o.value for o in g.objects([node], RDAGR2 + "dateOfBirth") if isinstance(o, Literal)), None)
    died = next((o.value for o in g.objects([node], RDAGR2 + "dateOfDeath") if isinstance(o, Literal)), None)
    others = [_text(o) for o in g.objects([node], SKOS + "prefLabel", SKOS + "altLabel")
              if isinstance(o, Literal) and nfc(o.value) != name]
    return Agent(name=name, birth=_year(born), death=_year(died), same_as=_same(g, node),
                 names=list(dict.fromkeys(others)), is_organisation=g.typed(node, FOAF_ORG))


def _place(g: _Graph, node: NamedNode | BlankNode) -> Place | None:
    name = _label(g, node)
    if not name:
        return None

    def coord(prop: str) -> float | None:
        value = next((o.value for o in g.objects([node], WGS84 + prop) if isinstance(o, Literal)), None)
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None
    return Place(name, lat=coord("lat"), lon=coord("long"), same_as=_same(g, node))


def _dates(g: _Graph, props: list[Node]) -> tuple[str | None, str | None, int | None, int | None]:
    """(display, EDTF, first, last) from the first date given as text, else from a linked TimeSpan."""
    for node in props:
        if isinstance(node, Literal) and (parsed := parse_date(node.value))[1] is not None:
            return (nfc(node.value), *parsed)
    for node in props:
        if isinstance(node, NamedNode) and g.typed(node, EDM + "TimeSpan"):
            ends = [re.findall(r"-?\d{4}", o.value)[-1:] for o in g.objects([node], EDM + "begin", EDM + "end")
                    if isinstance(o, Literal)]
            years = [int(y[0]) for y in ends if y]
            if years:
                first, last = min(years), max(years)
                return _label(g, node), (str(first) if first == last else f"{first}/{last}"), first, last
    return None, None, None, None


def _record(g: _Graph, cho: NamedNode, source_url: str, provider: str | None) -> Record:
    proxies = g.subjects(ORE + "proxyFor", cho)
    ours = [p for p in proxies if Literal("true") not in g.objects([p], EDM + "europeanaProxy")]
    desc = [cho, *ours, *[p for p in proxies if p not in ours]]  # the provider's words before Europeana's
    aggs = [a for a in g.subjects(EDM + "aggregatedCHO", cho) if g.typed(a, ORE + "Aggregation")]
    aggs += [a for a in g.subjects(EDM + "aggregatedCHO", cho) if a not in aggs]

    def texts(*props: str) -> list[Text]:
        return list(dict.fromkeys(_text(o) for o in g.objects(desc, *props) if isinstance(o, Literal) and nfc(o.value)))

    def link(*props: str) -> str | None:
        return next((o.value for o in g.objects(aggs, *props) if isinstance(o, NamedNode)), None)

    def name(*props: str) -> str | None:
        node = next(iter(g.objects(aggs, *props)), None)
        return nfc(node.value) if isinstance(node, Literal) else _label(g, node) if node is not None else None

    local = re.sub(r"^https?://data\.europeana\.eu/item/", "", cho.value).strip("/")
    if local.startswith(("http://", "https://")):  # another aggregator's CHO: its URI path
        local = urlsplit(local).path.strip("/") or local
    types = [t.value for t in texts(DC + "type")]
    genre = object_genre(*types)
    edm_type = next((t.value for t in texts(EDM + "type") if t.value in EDM_TYPES), None) or edm_type_of(genre)
    record = Record(
        provider=provider or PROVIDER, local_id=local, titles=texts(DC + "title", DCT + "alternative"),
        source_url=source_url, source_format="edm-rdfxml", loader=LOADER, genre=genre, edm_type=edm_type,
        descriptions=texts(DC + "description"), identifiers=[t.value for t in texts(DC + "identifier")],
        languages=list(dict.fromkeys(c for t in texts(DC + "language") if (c := language_code(t.value)))),
        publisher=next((t.value for t in texts(DC + "publisher")), None),
        extent="; ".join(t.value for t in texts(DCT + "extent") if t.lang in (None, "en")) or None,
        is_part_of=[t for t in texts(DCT + "isPartOf")], rights_text=texts(DC + "rights"),
        rights_uri=link(EDM + "rights"), is_shown_at=link(EDM + "isShownAt"),
        data_provider=name(EDM + "dataProvider"), provider_name=name(EDM + "provider"),
    )
    for prop, target in ((DC + "creator", record.creators), (DC + "contributor", record.contributors)):
        target += [a for node in g.objects(desc, prop) if (a := _agent(g, node))]
    record.date_display, record.date, record.year_from, record.year_to = _dates(
        g, g.objects(desc, DCT + "created", DC + "date", DCT + "issued", EDM + "year"))
    for node in g.objects(desc, DC + "subject"):
        if isinstance(node, Literal):
            record.subjects.append(Concept(nfc(node.value), _text(node).lang))
        elif (label := _label_literal(g, node)) is not None:
            record.subjects.append(Concept(nfc(label.value), _text(label).lang, same_as=_same(g, node)))
    places = [p for node in g.objects(desc, DCT + "spatial") if isinstance(node, (NamedNode, BlankNode))
              and (p := _place(g, node))]
    names = {nfc(o.value) for node in g.objects(desc, DCT + "spatial") if not isinstance(node, Literal)
             for o in g.objects([node], SKOS + "prefLabel", SKOS + "altLabel") if isinstance(o, Literal)}
    places += [Place(nfc(n.value)) for n in g.objects(desc, DCT + "spatial") if isinstance(n, Literal)
               and nfc(n.value) not in names]
    for place in places:  # one place per name: our place IRI is made from the name
        if place.name not in [p.name for p in record.places]:
            record.places.append(place)
    for cov in texts(DC + "coverage"):  # periods ("second quarter 19th century") as subjects
        record.subjects.append(Concept(cov.value, cov.lang))
    shown_by, thumb = link(EDM + "isShownBy"), link(EDM + "object")
    if shown_by or thumb:
        record.images.append(Image(url=shown_by, thumbnail=thumb))
    landing = link(EDM + "landingPage")
    if landing and landing not in record.identifiers:
        record.identifiers.append(landing)
    return record


def _base_iri(source_url: str) -> str:
    """The base for relative IRIs (rdf:about=""): the source URL, or a file: IRI for a bare path."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", source_url) and " " not in source_url:
        return source_url
    return "file:" + quote(source_url)


def parse_edm(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """One Record per edm:ProvidedCHO of an EDM RDF/XML document (or of each rdf:RDF in an OAI-PMH page)."""
    root = parse_xml(data, "EDM document")
    rdf_tag = f"{{{RDF}}}RDF"
    blocks = [root] if root.tag == rdf_tag else list(root.iter(rdf_tag))
    if not blocks:
        raise RecordError(f"not EDM RDF/XML: no rdf:RDF element (the root is <{etree.QName(root).localname}>)")
    for block in blocks:
        xml = etree.tostring(block)  # without any DOCTYPE: no entity reaches the RDF parser
        try:
            g = _Graph(parse(xml, RdfFormat.RDF_XML, base_iri=_base_iri(source_url)))
        except (SyntaxError, ValueError) as exc:
            raise RecordError(f"EDM document is not valid RDF/XML: {exc}") from None
        chos = [s for s in g.by_subject if isinstance(s, NamedNode) and g.typed(s, EDM + "ProvidedCHO")]
        if not chos:
            yield Rejected(source_url, "no edm:ProvidedCHO in this RDF", xml.decode())
        for cho in chos:
            try:
                record = _record(g, cho, source_url, provider)
                record.check()
            except RecordError as exc:
                yield Rejected(source_url, f"{cho.value}: {exc}", xml.decode())
                continue
            yield record
