"""Read one object back from the store as a plain view, for the portal and the IIIF layer; withdraw one.

One query fetches the object's whole named graph (an IRI lookup: fractions of
a millisecond); the view is assembled in Python, so pages never run joins.
A withdrawn object leaves a tombstone graph (for OAI-PMH and HTTP 410).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pyoxigraph import Literal, NamedNode, Triple

from ontology.errors import NotFound
from ontology.mapping import Uris
from ontology.record import Text
from ontology.vocab import NS, XSD_DATETIME

from .store import Store


@dataclass
class AgentView:
    uri: str
    name: str
    birth: int | None = None
    death: int | None = None


@dataclass
class PlaceView:
    uri: str
    name: str
    lat: float | None = None
    lon: float | None = None


@dataclass
class ImageView:
    resource: str
    service: str | None = None
    service_type: str | None = None
    profile: str | None = None
    width: int | None = None
    height: int | None = None
    image_id: str | None = None  # set for local scans served by our Image API
    label: str | None = None


@dataclass
class ObjectView:
    id: str
    uri: str
    titles: list[Text]
    edm_type: str
    provider_key: str
    genre: str | None = None
    creators: list[AgentView] = field(default_factory=list)
    contributors: list[AgentView] = field(default_factory=list)
    date: str | None = None
    edtf: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    languages: list[str] = field(default_factory=list)
    subjects: list[tuple[str, str]] = field(default_factory=list)  # (uri, label)
    places: list[PlaceView] = field(default_factory=list)
    descriptions: list[Text] = field(default_factory=list)
    publisher: str | None = None
    identifiers: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    data_provider: str | None = None
    provider: str | None = None
    is_shown_at: str | None = None
    source_manifest: str | None = None
    rights_statement: str | None = None
    rights_status: str = "restricted"
    rights_reason: list[Text] = field(default_factory=list)
    public_domain_from: int | None = None
    source_rights: list[Text] = field(default_factory=list)
    images: list[ImageView] = field(default_factory=list)
    thumbnail: str | None = None
    source_url: str | None = None
    source_format: str | None = None
    generated_at: str | None = None

    def title(self, langs: list[str] | tuple[str, ...] = ()) -> str:
        return best_text(self.titles, langs) or self.id


def best_text(texts: list[Text], langs: list[str] | tuple[str, ...] = ()) -> str | None:
    """The text in the first preferred language (by primary subtag), else an untagged one, else any."""
    for lang in langs:
        for t in texts:
            if t.lang and t.lang.split("-")[0].lower() == lang:
                return t.value
    for t in texts:
        if not t.lang:
            return t.value
    return texts[0].value if texts else None


def _text(term: object) -> Text:
    assert isinstance(term, Literal)
    return Text(term.value, term.language)


def _int(term: object) -> int | None:
    try:
        return int(term.value)  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return None


def get_object(store: Store, uris: Uris, object_id: str) -> ObjectView:
    """The object's view, or NotFound."""
    g, cho, agg = uris.graph(object_id), uris.cho(object_id), uris.aggregation(object_id)
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g.value}> {{ ?s ?p ?o }} }}", union_default_graph=False)
    assert isinstance(rows, list)
    if not rows:
        raise NotFound(f"no object with id {object_id!r}")
    props: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        props[row["s"].value][row["p"].value].append(row["o"])  # type: ignore[union-attr]
    c, a = props[cho.value], props[agg.value]

    def first(p: dict[str, list[object]], pred: NamedNode) -> str | None:
        vals = p.get(pred.value)
        return vals[0].value if vals else None  # type: ignore[attr-defined]

    def agents(pred: NamedNode) -> list[AgentView]:
        out = []
        for node in c.get(pred.value, []):
            ap = props[node.value]  # type: ignore[attr-defined]
            out.append(AgentView(node.value, first(ap, NS.skos.prefLabel) or "",  # type: ignore[attr-defined]
                                 _int((ap.get(NS.rdaGr2.dateOfBirth.value) or [None])[0]),
                                 _int((ap.get(NS.rdaGr2.dateOfDeath.value) or [None])[0])))
        return out

    places = []
    for node in c.get(NS.dcterms.spatial.value, []):
        pp = props[node.value]  # type: ignore[attr-defined]
        lat, lon = first(pp, NS.wgs84.lat), first(pp, NS.wgs84.long)
        places.append(PlaceView(node.value, first(pp, NS.skos.prefLabel) or "",  # type: ignore[attr-defined]
                                float(lat) if lat else None, float(lon) if lon else None))
    images = []
    for pred in (NS.edm.isShownBy, NS.edm.hasView):
        for node in a.get(pred.value, []):
            wp = props[node.value]  # type: ignore[attr-defined]
            service = first(wp, NS.svcs.has_service)
            sp = props.get(service, {}) if service else {}
            images.append(ImageView(
                resource=node.value, service=service,  # type: ignore[attr-defined]
                service_type=first(sp, NS.meros.serviceType), profile=first(sp, NS.doap.implements),
                width=_int((wp.get(NS.ebucore.width.value) or [None])[0]),
                height=_int((wp.get(NS.ebucore.height.value) or [None])[0]),
                image_id=first(wp, NS.meros.imageId), label=first(wp, NS.rdfs.label)))
    gp = props[g.value]
    return ObjectView(
        id=object_id, uri=cho.value,
        titles=[_text(t) for t in c.get(NS.dc.title.value, [])],
        edm_type=first(c, NS.edm.type) or "TEXT",
        provider_key=object_id.split("-", 1)[0],
        genre=first(c, NS.dc.type),
        creators=agents(NS.dc.creator), contributors=agents(NS.dc.contributor),
        date=first(c, NS.dc.date), edtf=first(c, NS.dcterms.created),
        year_from=_int((c.get(NS.meros.yearFrom.value) or [None])[0]),
        year_to=_int((c.get(NS.meros.yearTo.value) or [None])[0]),
        languages=[t.value for t in c.get(NS.dc.language.value, [])],  # type: ignore[attr-defined]
        subjects=[(n.value, first(props[n.value], NS.skos.prefLabel) or "")  # type: ignore[attr-defined]
                  for n in c.get(NS.dc.subject.value, [])],
        places=places,
        descriptions=[_text(t) for t in c.get(NS.dc.description.value, [])],
        publisher=first(c, NS.dc.publisher),
        identifiers=[t.value for t in c.get(NS.dc.identifier.value, [])],  # type: ignore[attr-defined]
        same_as=[t.value for t in c.get(NS.owl.sameAs.value, [])],  # type: ignore[attr-defined]
        data_provider=first(a, NS.edm.dataProvider), provider=first(a, NS.edm.provider),
        is_shown_at=first(a, NS.edm.isShownAt), source_manifest=first(a, NS.meros.sourceManifest),
        rights_statement=first(a, NS.edm.rights), rights_status=first(a, NS.meros.rightsStatus) or "restricted",
        rights_reason=[_text(t) for t in a.get(NS.meros.rightsReason.value, [])],
        public_domain_from=_int((a.get(NS.meros.publicDomainFrom.value) or [None])[0]),
        source_rights=[_text(t) for t in a.get(NS.meros.sourceRights.value, [])],
        images=images, thumbnail=first(a, NS.edm.object),
        source_url=first(gp, NS.prov.wasDerivedFrom), source_format=first(gp, NS.meros.sourceFormat),
        generated_at=first(gp, NS.prov.generatedAtTime),
    )


# -- withdrawn objects: tombstones ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Tombstone:
    """What is kept of a withdrawn object, so harvesters learn of the deletion (OAI-PMH deletedRecord=persistent)."""

    id: str
    deleted_at: str  # xsd:dateTime, e.g. 2025-01-31T12:00:00Z
    genre: str | None = None
    edm_type: str | None = None


def tombstone_graph(uris: Uris, object_id: str) -> NamedNode:
    """`BASE/graph/deleted/{id}`: one small graph per withdrawn object (never an object id: those have no '/')."""
    return NamedNode(f"{uris.base}/graph/deleted/{object_id}")


def tombstone_graphs(store: Store, uris: Uris, object_ids: list[str], deleted_at: str) -> dict[NamedNode, list[Triple]]:
    """The tombstone graph of each live object among `object_ids`, to write in the same batch that drops them.

    The triples describe the object's graph IRI, not the object, so queries
    over the union default graph never see a withdrawn object's genre or
    type; they keep what OAI-PMH sets need (provider from the id, genre, type).
    """
    if not object_ids:
        return {}
    values = " ".join(f"<{uris.graph(oid).value}>" for oid in object_ids)
    rows = store.query(
        f"SELECT ?g ?type ?genre WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?cho <{NS.edm.type.value}> ?type "
        f"OPTIONAL {{ ?cho <{NS.dc.type.value}> ?genre }} }} }}", union_default_graph=False)
    stamp = Literal(deleted_at, datatype=XSD_DATETIME)
    out: dict[NamedNode, list[Triple]] = {}
    for row in rows:  # type: ignore[union-attr]
        g = row["g"]  # type: ignore[index]
        oid = g.value.rsplit("/", 1)[-1]  # type: ignore[union-attr]
        triples = [Triple(g, NS.prov["invalidatedAtTime"], stamp), Triple(g, NS.dcterms["type"], row["type"])]  # type: ignore[arg-type,index]
        if "genre" in row:  # type: ignore[operator]
            triples.append(Triple(g, NS.meros.genre, row["genre"]))  # type: ignore[arg-type,index]
        out[tombstone_graph(uris, oid)] = triples
    return out


def delete_object(store: Store, uris: Uris, object_id: str, *, deleted_at: str | None = None) -> Tombstone:
    """Withdraw an object: drop its named graph and record a tombstone graph saying when (and its sets).

    Re-loading the object later makes it live again (a live graph wins over
    its tombstone). NotFound if there is no such object.
    """
    stamp = deleted_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    tombstones = tombstone_graphs(store, uris, [object_id], stamp)
    if not tombstones:
        raise NotFound(f"no object with id {object_id!r}")
    # the tombstone first: a remote store replaces graph by graph, and a live object with a tombstone stays live
    store.replace_graphs({**tombstones, uris.graph(object_id): []})
    triples = next(iter(tombstones.values()))
    genre = next((t.object.value for t in triples if t.predicate == NS.meros.genre), None)
    edm_type = next(t.object.value for t in triples if t.predicate == NS.dcterms["type"])
    return Tombstone(object_id, stamp, genre, edm_type)


def tombstone(store: Store, uris: Uris, object_id: str) -> Tombstone | None:
    """The tombstone of a withdrawn object, or None (never deleted, or live again)."""
    rows = store.query(
        f"SELECT ?t ?type ?genre WHERE {{ GRAPH <{tombstone_graph(uris, object_id).value}> {{ "
        f"?g <{NS.prov['invalidatedAtTime'].value}> ?t "
        f"OPTIONAL {{ ?g <{NS.dcterms['type'].value}> ?type }} OPTIONAL {{ ?g <{NS.meros.genre.value}> ?genre }} }} "
        f"FILTER NOT EXISTS {{ GRAPH <{uris.graph(object_id).value}> {{ ?s ?p ?o }} }} }}",
        union_default_graph=False)
    if not rows:
        return None
    row = rows[0]  # type: ignore[index]
    return Tombstone(object_id, row["t"].value, row["genre"].value if "genre" in row else None,  # type: ignore[index,union-attr,operator]
                     row["type"].value if "type" in row else None)  # type: ignore[index,union-attr,operator]
