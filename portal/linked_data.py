"""Linked Data: persistent URIs that dereference (303 by Accept), RDF descriptions, VoID and the dumps list.

`/id/{id}` and `/id/agent|place|concept/{slug}` are names, not documents: they
answer 303 See Other to the HTML page or to the RDF document the client
asked for (`Vary: Accept`). Documents are read from the store as they are now.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, send_file
from pyoxigraph import NamedNode, Triple

from ontology.errors import MerosError, NotFound
from ontology.vocab import NS, PREFIXES, XSD_DATETIME, XSD_INTEGER
from sparql.objects import best_text, tombstone
from sparql.queries import named_query
from sparql.store import Store

from .commands.dump import read_manifest

bp = Blueprint("linked_data", __name__)

# extension → (media type, pyoxigraph format)
RDF_DOCS: dict[str, tuple[str, ox.RdfFormat]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
# media type a client may send → extension ("" is the HTML page); the order breaks ties, HTML first
OFFERS: dict[str, str] = {"text/html": "", "application/xhtml+xml": "", "text/turtle": "ttl",
                          "application/ld+json": "jsonld", "application/n-triples": "nt", "application/rdf+xml": "rdf",
                          "application/json": "jsonld", "text/n3": "ttl", "application/x-turtle": "ttl",
                          "application/xml": "rdf", "text/xml": "rdf", "text/plain": "nt"}
KINDS = {"agent": "Agent", "place": "Place", "concept": "Concept"}
# how an object points at an agent, place or concept
LINKS = (NS.dc.creator, NS.dc.contributor, NS.dc.subject, NS.dcterms.spatial)
VOID_TTL = 60.0  # seconds the VoID counts are reused
VALID_ID = re.compile(r"^[a-z0-9]+-[a-z0-9-]+$")


class NotAcceptable(MerosError):
    status = 406


class Gone(MerosError):
    status = 410


def _m():  # type: ignore[no-untyped-def]
    from .app import meros

    return meros()


def choose_extension(offers: dict[str, str] | None = None) -> str:
    """The document the client wants: "" (HTML) or an RDF extension; HTML for */* or no Accept; 406 if none fits."""
    offers = offers or OFFERS
    accept = request.accept_mimetypes
    if not accept:
        return next(iter(offers.values()))
    best = accept.best_match(list(offers))
    if best is None:
        raise NotAcceptable("None of the accepted media types is available; this resource is served as "
                            + ", ".join(sorted(set(offers))) + ".")
    return offers[best]


def see_other(location: str) -> Response:
    resp = redirect(location, code=303)
    resp.vary.add("Accept")
    return resp


def rdf_response(triples: list[Triple], ext: str) -> Response:
    mt, fmt = RDF_DOCS[ext]
    body = ox.serialize(list(dict.fromkeys(triples)), format=fmt, prefixes=None if ext == "nt" else PREFIXES)
    resp = Response(body, mimetype=mt)
    if ext != "rdf":
        resp.charset = "utf-8"
    return resp


# -- objects ---------------------------------------------------------------------------------------------------
def _exists(object_id: str) -> bool:
    m = _m()
    return bool(m.store.query(f"ASK {{ GRAPH <{m.uris.graph(object_id).value}> {{ ?s ?p ?o }} }}",
                              union_default_graph=False))


def _check_object(object_id: str) -> None:
    """404 for an id that never existed (or cannot be one), 410 for a withdrawn one."""
    if VALID_ID.match(object_id):
        if _exists(object_id):
            return
        gone = tombstone(_m().store, _m().uris, object_id)
        if gone is not None:
            raise Gone(f"The object {object_id!r} was withdrawn on {gone.deleted_at}; its identifier is not reused.")
    raise NotFound(f"no object with id {object_id!r}")


@bp.get("/id/<object_id>")
def object_uri(object_id: str) -> Response:
    _check_object(object_id)
    ext = choose_extension()
    return see_other(f"/item/{object_id}" + (f".{ext}" if ext else ""))


@bp.get("/item/<object_id>.<any(ttl, jsonld, nt, rdf):ext>")
def object_document(object_id: str, ext: str) -> Response:
    _check_object(object_id)
    m = _m()
    g = m.uris.graph(object_id)
    triples = m.store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g.value}> {{ ?s ?p ?o }} }}",
                            union_default_graph=False)
    resp = rdf_response(triples, ext)  # type: ignore[arg-type]
    resp.headers["Link"] = f'<{m.uris.cho(object_id).value}>; rel="describes", </item/{object_id}>; rel="alternate"; ' \
                           'type="text/html"'
    return resp


# -- agents, places, concepts --------------------------------------------------------------------------------------
def _resource_iri(kind: str, slug: str) -> NamedNode:
    # Flask hands us the decoded path; the IRI keeps the percent-encoding `slug()` made (upper-case hex).
    return NamedNode(f"{_m().uris.base}/id/{kind}/{quote(slug, safe='-_')}")


def _describe(iri: NamedNode) -> tuple[list[Triple], list[Triple]]:
    """The resource's own triples and the objects' links to it (both deduplicated across object graphs)."""
    store = _m().store
    own = store.query(f"CONSTRUCT {{ <{iri.value}> ?p ?o }} WHERE {{ <{iri.value}> ?p ?o }}")
    links = " ".join(f"<{p.value}>" for p in LINKS)
    incoming = store.query(f"CONSTRUCT {{ ?cho ?p <{iri.value}> }} WHERE {{ VALUES ?p {{ {links} }} "
                           f"?cho ?p <{iri.value}> }} LIMIT 5000")
    return list(dict.fromkeys(own)), list(dict.fromkeys(incoming))  # type: ignore[arg-type]


@bp.get("/id/<any(agent, place, concept):kind>/<slug>")
def resource_uri(kind: str, slug: str) -> Response:
    own, _ = _describe(_resource_iri(kind, slug))
    if not own:
        raise NotFound(f"no {kind} {slug!r}")
    ext = choose_extension()
    return see_other(f"/{kind}/{quote(slug, safe='-_')}" + (f".{ext}" if ext else ""))


@bp.get("/<any(agent, place, concept):kind>/<slug>.<any(ttl, jsonld, nt, rdf):ext>")
def resource_document(kind: str, slug: str, ext: str) -> Response:
    own, incoming = _describe(_resource_iri(kind, slug))
    if not own:
        raise NotFound(f"no {kind} {slug!r}")
    return rdf_response(own + incoming, ext)


@bp.get("/<any(agent, place, concept):kind>/<slug>")
def resource_page(kind: str, slug: str) -> str:
    iri = _resource_iri(kind, slug)
    own, incoming = _describe(iri)
    if not own:
        raise NotFound(f"no {kind} {slug!r}")
    props: dict[str, list[Any]] = {}
    for t in own:
        props.setdefault(t.predicate.value, []).append(t.object)
    label = next((o.value for o in props.get(NS.skos.prefLabel.value, [])), slug)
    objects = sorted({t.subject.value for t in incoming})
    titles = _titles(objects[:500])
    langs = [lang.split("-")[0].lower() for lang in request.accept_languages.values() if lang] + ["en"]
    return render_template(
        "linked_resource.html", kind=kind, iri=iri.value, label=label, props=props, ns=NS,
        objects=[(o.rsplit("/id/", 1)[-1], best_text(titles.get(o, []), langs) or o) for o in objects[:500]],
        total=len(objects), search_param={"agent": "creator", "place": "place", "concept": "subject"}[kind],
        documents=[(ext, mt) for ext, (mt, _) in RDF_DOCS.items()], slug=quote(slug, safe="-_"),
    )


def _titles(object_uris: list[str]) -> dict[str, list[Any]]:
    from ontology.record import Text

    if not object_uris:
        return {}
    values = " ".join(f"<{u}>" for u in object_uris)
    rows = _m().store.query(f"SELECT DISTINCT ?c ?t WHERE {{ VALUES ?c {{ {values} }} ?c <{NS.dc.title.value}> ?t }}")
    out: dict[str, list[Any]] = {}
    for r in rows:  # type: ignore[union-attr]
        out.setdefault(r["c"].value, []).append(Text(r["t"].value, r["t"].language))  # type: ignore[index,union-attr]
    return out


# -- VoID and dumps -----------------------------------------------------------------------------------------------
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
VOCABULARIES = ("edm", "ore", "dc", "dcterms", "skos", "rdaGr2", "wgs84", "owl", "prov", "svcs", "ebucore", "meros")


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


def void_triples(store: Store, base: str, manifest: dict[str, Any]) -> list[Triple]:
    """The dataset as VoID: counts, classes, one subset per provider, examples, the endpoint, the dumps."""
    v = lambda local: NamedNode(VOID + local)  # noqa: E731
    doc, ds = NamedNode(f"{base}/void"), NamedNode(f"{base}/void#meros")
    classes = store.query("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class")
    counts = {r["class"].value: int(r["n"].value) for r in classes}  # type: ignore[index,union-attr]
    examples = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c a <{NS.edm.ProvidedCHO.value}> }} LIMIT 3")
    t = [
        Triple(doc, NS.rdf.type, v("DatasetDescription")),
        Triple(doc, NS.dcterms["title"], ox.Literal("VoID description of Meros", language="en")),
        Triple(doc, NS.foaf["primaryTopic"], ds),
        Triple(ds, NS.rdf.type, v("Dataset")),
        Triple(ds, NS.dcterms["title"], ox.Literal("Meros", language="en")),
        Triple(ds, NS.dcterms["description"], ox.Literal(
            "Digitised manuscripts, maps, books, periodicals, photographs and sound from libraries, museums and "
            "archives, in the Europeana Data Model: one named graph per object, with its rights status.",
            language="en")),
        Triple(ds, NS.dcterms["license"], NamedNode("http://creativecommons.org/publicdomain/zero/1.0/")),
        Triple(ds, NS.foaf["homepage"], NamedNode(f"{base}/")),
        Triple(ds, v("sparqlEndpoint"), NamedNode(f"{base}/sparql")),
        Triple(ds, v("uriSpace"), ox.Literal(f"{base}/id/")),
        Triple(ds, v("triples"), _int(store.count())),
        Triple(ds, v("entities"), _int(counts.get(NS.edm.ProvidedCHO.value, 0))),
        Triple(ds, v("classes"), _int(len(counts))),
        Triple(ds, v("rootResource"), NamedNode(f"{base}/")),
    ]
    t += [Triple(ds, v("feature"), NamedNode(FORMATS + f)) for f in ("Turtle", "N-Triples", "JSON-LD", "RDF_XML")]
    t += [Triple(ds, v("vocabulary"), NamedNode(PREFIXES[p])) for p in VOCABULARIES]
    t += [Triple(ds, v("exampleResource"), r["c"]) for r in examples]  # type: ignore[index,misc]
    for cls, n in sorted(counts.items()):
        part = NamedNode(f"{base}/void#class-{quote(cls.rsplit('/', 1)[-1].rsplit('#', 1)[-1], safe='')}")
        t += [Triple(ds, v("classPartition"), part), Triple(part, v("class"), NamedNode(cls)),
              Triple(part, v("entities"), _int(n))]
    names = {r["p"].value: r["name"].value for r in store.query(  # type: ignore[index,union-attr]
        "SELECT ?p (SAMPLE(?n) AS ?name) WHERE { ?a <http://www.europeana.eu/schemas/edm/aggregatedCHO> ?c ; "
        "<http://www.europeana.eu/schemas/edm/dataProvider> ?n . "
        'BIND(STRBEFORE(STRAFTER(STR(?c), "/id/"), "-") AS ?p) } GROUP BY ?p')}
    for r in store.query(named_query("counts_by_provider")):  # type: ignore[union-attr]
        key = r["provider"].value  # type: ignore[index]
        sub = NamedNode(f"{base}/void#provider-{quote(key, safe='')}")
        t += [Triple(ds, v("subset"), sub), Triple(sub, NS.rdf.type, v("Dataset")),
              Triple(sub, NS.dcterms["title"], ox.Literal(names.get(key, key))),
              Triple(sub, v("entities"), _int(int(r["n"].value))),  # type: ignore[index]
              Triple(sub, v("uriRegexPattern"), ox.Literal(f"^{re.escape(base)}/id/{re.escape(key)}-"))]
    for f in manifest.get("files", []):
        dump = NamedNode(f"{base}/dumps/{f['name']}")
        t += [Triple(ds, v("dataDump"), dump), Triple(dump, NS.dcterms["format"], ox.Literal(f["media_type_inner"])),
              Triple(dump, v("triples"), _int(f["triples"]))]
    if manifest.get("created"):
        t.append(Triple(ds, NS.dcterms["modified"], ox.Literal(manifest["created"], datatype=XSD_DATETIME)))
    return t


VOID_OFFERS = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt",
               "application/rdf+xml": "rdf", "text/n3": "ttl", "application/json": "jsonld", "text/plain": "nt"}


@bp.get("/void")
@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description (Turtle unless the client asks for another RDF format); counts cached a minute."""
    ext = choose_extension(VOID_OFFERS)
    app_ext = current_app.extensions.setdefault("meros.void_cache", {})
    cached = app_ext.get("triples")
    if cached is None or time.monotonic() - cached[0] > VOID_TTL:
        m = _m()
        cached = (time.monotonic(), void_triples(m.store, m.uris.base, read_manifest(Path(m.settings["DUMPS"]))))
        app_ext["triples"] = cached
    return rdf_response(cached[1], ext)


@bp.get("/dumps/")
def dumps() -> Response | str:
    m = _m()
    manifest = read_manifest(Path(m.settings["DUMPS"]))
    files = manifest.get("files", [])
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        return jsonify({"created": manifest.get("created"), "objects": manifest.get("objects"),
                        "files": [{**f, "url": f"{m.uris.base}/dumps/{f['name']}"} for f in files]})
    return render_template("dumps.html", manifest=manifest, files=files, base=m.uris.base)


@bp.get("/dumps/<name>")
def dump_file(name: str) -> Response:
    m = _m()
    folder = Path(m.settings["DUMPS"])
    entry = next((f for f in read_manifest(folder).get("files", []) if f["name"] == name), None)
    if entry is None or not (folder / name).is_file():  # only files the manifest lists: a request never becomes a path
        raise NotFound(f"no dump named {name!r}; see /dumps/")
    return send_file(folder / name, mimetype="application/gzip", as_attachment=True, download_name=name,
                     conditional=True, etag=entry["sha256"])


@bp.after_request
def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
