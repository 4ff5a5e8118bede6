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
from .genres import edm_type_of, object_genre
from .normalise import language_code, nfc, parse_agent, parse_date, parse_xml

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
    """Triples by subject and predicate, in document order (rdflib would lose the order of titles and labels)."""

    def __init__(self, triples: Iterable[Any]) -> None:
        self.by_subject: dict[NamedNode | BlankNode, dict[str, list[tuple[int, Node]]]] = {}
        for i, t in enumerate(triples):
            by_predicate = self.by_subject.get(t.subject)
            if by_predicate is None:
                by_predicate = self.by_subject[t.subject] = {}
            by_predicate.setdefault(t.predicate.value, []).append((i, t.object))

    def objects(self, subjects: list[NamedNode | BlankNode], *predicates: str) -> list[Node]:
        out: list[Node] = []
        for s in subjects:
            by_predicate = self.by_subject.get(s)
            if not by_predicate:
                continue
            found = [x for p in predicates for x in by_predicate.get(p, ())]
            if len(predicates) > 1:
                found.sort(key=_position)  # document order across the predicates
            out += [o for _, o in found if o not in out]
        return out

    def subjects(self, predicate: str, obj: Node) -> list[NamedNode | BlankNode]:
        return [s for s, by_predicate in self.by_subject.items()
                if any(o == obj for _, o in by_predicate.get(predicate, ()))]

    def typed(self, node: Node, type_iri: str) -> bool:
        by_predicate = self.by_subject.get(node) if isinstance(node, (NamedNode, BlankNode)) else None
        return by_predicate is not None and any(
            isinstance(o, NamedNode) and o.value == type_iri for _, o in by_predicate.get(RDF + "type", ()))


def _position(found: tuple[int, Node]) -> int:
    return found[0]


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
    spatial_texts = [n for n in g.objects(desc, DCT + "spatial") if isinstance(n, Literal)]
    if spatial_texts:  # a name that repeats a linked place's label is that place
        labels = {o.value for node in g.objects(desc, DCT + "spatial") if not isinstance(node, Literal)
                  for o in g.objects([node], SKOS + "prefLabel", SKOS + "altLabel") if isinstance(o, Literal)}
        wanted = [name for n in spatial_texts if (name := nfc(n.value)) not in labels]
        if wanted:  # labels are seldom not NFC: normalise them only when a name is still unmatched
            labels = {nfc(label) for label in labels}
        places += [Place(name) for name in wanted if name not in labels]
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


_PLAIN_ROOT = re.compile(rb'(?:\xef\xbb\xbf)?\s*(?:<\?xml(?:\s+(?:version|standalone)\s*=\s*["\'][^"\']*["\'])*'
                         rb'(?:\s+encoding\s*=\s*["\']utf-?8["\'])?(?:\s+standalone\s*=\s*["\'][^"\']*["\'])?\s*\?>\s*)?'
                         rb'<([A-Za-z_][\w.-]*):RDF\s[^>]*?xmlns:\1\s*=\s*["\']' + re.escape(RDF.encode()) + rb'["\']', re.I)
_NOT_XML_CHARS = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20)])  # the C0 controls XML 1.0 forbids


def _plain(data: bytes) -> bool:
    """Whether the document is what Europeana serves, so pyoxigraph may read it as it is: UTF-8, an rdf:RDF root
    declaring its prefix, no DTD, one root closed at the very end, no character XML forbids.

    pyoxigraph checks the rest of well-formedness as it parses, but not these (it
    reads a truncated document without complaint); anything else goes through lxml.
    """
    root = _PLAIN_ROOT.match(data)
    if root is None or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return False
    qname = root.group(1) + b":RDF"
    return data[-1024:].rstrip().endswith(b"</" + qname + b">") and data.count(qname) == 2 \
        and len(data.translate(None, _NOT_XML_CHARS)) == len(data)


def _rdf_blocks(data: bytes, source_url: str) -> Iterator[tuple[bytes, list[Any]]]:
    """Each rdf:RDF of the document as (its XML, its triples).

    A plain document goes to pyoxigraph as it is; anything else (or a plain one
    pyoxigraph refuses) is parsed safely by lxml first, which says what is wrong,
    and each rdf:RDF is re-serialised without the DTD, so no entity reaches the RDF parser.
    """
    base = _base_iri(source_url)
    if _plain(data):
        try:
            yield data, list(parse(data, RdfFormat.RDF_XML, base_iri=base))
            return
        except (SyntaxError, ValueError):
            pass  # lxml, then pyoxigraph again, name the problem below
    root = parse_xml(data, "EDM document")
    rdf_tag = f"{{{RDF}}}RDF"
    found = [root] if root.tag == rdf_tag else list(root.iter(rdf_tag))
    if not found:
        raise RecordError(f"not EDM RDF/XML: no rdf:RDF element (the root is <{etree.QName(root).localname}>)")
    for block in found:
        xml = etree.tostring(block)
        try:
            yield xml, list(parse(xml, RdfFormat.RDF_XML, base_iri=base))
        except (SyntaxError, ValueError) as exc:
            raise RecordError(f"EDM document is not valid RDF/XML: {exc}") from None


def parse_edm(data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]:
    """One Record per edm:ProvidedCHO of an EDM RDF/XML document (or of each rdf:RDF in an OAI-PMH page)."""
    for xml, triples in _rdf_blocks(data, source_url):
        g = _Graph(triples)
        chos = [s for s in g.by_subject if isinstance(s, NamedNode) and g.typed(s, EDM + "ProvidedCHO")]
        if not chos:
            yield Rejected(source_url, "no edm:ProvidedCHO in this RDF", xml.decode("utf-8", "replace"))
        for cho in chos:
            try:
                record = _record(g, cho, source_url, provider)
                record.check()
            except RecordError as exc:
                yield Rejected(source_url, f"{cho.value}: {exc}", xml.decode("utf-8", "replace"))
                continue
            yield record
