"""OAI-PMH 2.0 at /oai, harvested end to end with the sickle client and checked element by element.

No copy of the OAI-PMH XML schema can be had offline (no PyPI or Debian
package ships it), so `check_response` checks the structure the schema
prescribes explicitly: element order, required children, datestamp
granularity, identifiers, the resumptionToken's attributes, error codes.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from lxml import etree
from rdflib.compare import isomorphic
from sickle import Sickle

from loaders.collection import sample_records
from loaders.runner import RejectLog, load_records
from ontology.mapping import Uris
from ontology.record import Record, Text
from portal.oai.tokens import SALT
from sparql.objects import delete_object
from sparql.store import Store
from tests.conftest import BASE
from tests.endpoint.conftest import SMALL, object_count

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
      "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
O = "{http://www.openarchives.org/OAI/2.0/}"
UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ERRORS = {"badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat", "idDoesNotExist",
          "noRecordsMatch", "noMetadataFormats", "noSetHierarchy"}
PAGE = 20


def check_header(h: etree._Element) -> None:
    assert h.tag == O + "header" and set(h.attrib) <= {"status"} and h.get("status") in (None, "deleted")
    kids = [c.tag for c in h]
    assert kids[:2] == [O + "identifier", O + "datestamp"] and set(kids[2:]) <= {O + "setSpec"}
    assert re.match(r"^oai:[a-z0-9.\-]+:[a-z0-9]+-[a-z0-9-]+$", h[0].text)  # type: ignore[arg-type]
    assert UTC.match(h[1].text)  # type: ignore[arg-type]


def check_response(xml: bytes, verb: str | None) -> etree._Element:
    """The OAI-PMH envelope and the verb's element, as OAI-PMH.xsd prescribes them; returns the root."""
    root = etree.fromstring(xml)
    assert root.tag == O + "OAI-PMH"
    assert "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd" in root.get(
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation", "")
    tags = [c.tag for c in root]
    assert tags[:2] == [O + "responseDate", O + "request"] and UTC.match(root[0].text)  # type: ignore[arg-type]
    assert root[1].text == f"{BASE}/oai"
    body = root[2:]
    if body[0].tag == O + "error":
        assert all(e.tag == O + "error" and e.get("code") in ERRORS and e.text for e in body)
        if body[0].get("code") in ("badVerb", "badArgument"):
            assert dict(root[1].attrib) == {}
        return root
    assert len(body) == 1 and body[0].tag == O + verb and root[1].get("verb") == verb
    el = body[0]
    if verb in ("ListIdentifiers", "ListRecords"):
        items = [c for c in el if c.tag != O + "resumptionToken"]
        assert items and all(c.tag == O + ("header" if verb == "ListIdentifiers" else "record") for c in items)
        tokens = [c for c in el if c.tag == O + "resumptionToken"]
        assert len(tokens) <= 1 and (not tokens or el[-1] is tokens[0])
        if tokens:
            assert set(tokens[0].attrib) <= {"completeListSize", "cursor", "expirationDate"}
            assert int(tokens[0].get("cursor")) >= 0 and int(tokens[0].get("completeListSize")) > 0  # type: ignore[arg-type]
            if tokens[0].text:
                assert UTC.match(tokens[0].get("expirationDate"))  # type: ignore[arg-type]
    for h in el.iter(O + "header"):
        check_header(h)
    for rec in el.iter(O + "record"):
        assert rec[0].tag == O + "header"
        if rec[0].get("status") == "deleted":
            assert len(rec) == 1
        else:
            assert rec[1].tag == O + "metadata" and len(rec[1]) == 1
    return root


@pytest.fixture(scope="module")
def oai(make_app: Callable[..., Flask], serve: Callable[[Flask], str]) -> tuple[Flask, str]:
    app = make_app(OAI_PAGE_SIZE=PAGE)
    return app, serve(app) + "/oai"


def get(url: str, **params: str) -> etree._Element:
    resp = requests.get(url, params=params, timeout=30)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    return check_response(resp.content, params.get("verb"))


def error_code(root: etree._Element) -> str | None:
    err = root.find("o:error", NS)
    return err.get("code") if err is not None else None


# -- harvesting ---------------------------------------------------------------------------------------------------
def test_sickle_harvests_the_whole_collection_in_both_formats(oai: tuple[Flask, str], sample_store: Store) -> None:
    _, url = oai
    sickle = Sickle(url, max_retries=0, timeout=30)
    total = object_count(sample_store)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    assert len(records) == total > 2 * PAGE  # several pages, joined by resumption tokens
    assert len({r.header.identifier for r in records}) == total
    assert all(r.metadata["title"] and r.metadata["identifier"][0].startswith(f"{BASE}/id/") for r in records)
    headers = list(sickle.ListIdentifiers(metadataPrefix="edm"))
    assert {h.identifier for h in headers} == {r.header.identifier for r in records}
    edm = list(sickle.ListRecords(metadataPrefix="edm"))
    assert len(edm) == total
    for rec in edm[:: max(1, total // 12)]:  # each a parseable EDM description equal to the object's graph
        oid = rec.header.identifier.rsplit(":", 1)[1]
        rdf = etree.tostring(rec.xml.find(".//o:metadata/rdf:RDF", NS))
        got = rdflib.Graph().parse(data=rdf, format="xml")
        triples = sample_store.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BASE}/graph/{oid}> {{ ?s ?p ?o FILTER(?s != <{BASE}/graph/{oid}>) }} }}",
            union_default_graph=False)
        expected = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")  # type: ignore[arg-type]
        assert isomorphic(got, expected)
        assert rec.xml.find(".//rdf:RDF/{http://www.europeana.eu/schemas/edm/}ProvidedCHO", NS) is not None


def test_every_page_of_a_harvest_is_well_formed(oai: tuple[Flask, str], sample_store: Store) -> None:
    _, url = oai
    root = get(url, verb="ListRecords", metadataPrefix="oai_dc")
    seen, cursors = 0, []
    while True:
        el = root.find("o:ListRecords", NS)
        seen += len(el.findall("o:record", NS))
        token = el.find("o:resumptionToken", NS)
        if token is None:
            break
        cursors.append(int(token.get("cursor")))
        assert int(token.get("completeListSize")) == object_count(sample_store)
        if not token.text:
            break
        root = get(url, verb="ListRecords", resumptionToken=token.text)
    assert seen == object_count(sample_store) and cursors == list(range(0, seen, PAGE))


def test_identify_list_metadata_formats_and_sets(oai: tuple[Flask, str], sample_store: Store) -> None:
    _, url = oai
    ident = get(url, verb="Identify").find("o:Identify", NS)
    assert [c.tag.removeprefix(O) for c in ident][:8] == [
        "repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp", "deletedRecord",
        "granularity"][:8]
    assert ident.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert ident.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert ident.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    earliest = sample_store.query("SELECT (MIN(?t) AS ?m) WHERE { GRAPH ?g { ?g <http://www.w3.org/ns/prov#generatedAtTime> ?t } }",
                                  union_default_graph=False)[0]["m"].value  # type: ignore[index,union-attr]
    assert ident.findtext("o:earliestDatestamp", namespaces=NS) == earliest
    assert "@" in ident.findtext("o:adminEmail", namespaces=NS)

    formats = get(url, verb="ListMetadataFormats").findall(".//o:metadataPrefix", NS)
    assert [f.text for f in formats] == ["oai_dc", "edm"]
    one = get(url, verb="ListMetadataFormats", identifier="oai:meros:local-berckenrode-amsterdam-map")
    assert len(one.findall(".//o:metadataFormat", NS)) == 2

    sets = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
            for s in get(url, verb="ListSets").iter(O + "set")}
    assert {"provider:gallica", "genre:map", "genre:manuscript", "type:IMAGE", "type:TEXT"} <= set(sets)
    assert all(sets.values())


@pytest.mark.parametrize("spec, where", [
    ("provider:gallica", "FILTER(STRSTARTS(STR(?c), '%s/id/gallica-'))" % BASE),
    ("genre:map", "?c <http://purl.org/dc/elements/1.1/type> 'map'"),
    ("type:IMAGE", "?c <http://www.europeana.eu/schemas/edm/type> 'IMAGE'"),
])
def test_selective_harvest_by_set(oai: tuple[Flask, str], sample_store: Store, spec: str, where: str) -> None:
    _, url = oai
    expected = int(sample_store.query(  # type: ignore[index,union-attr]
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <http://www.europeana.eu/schemas/edm/ProvidedCHO> . {where} }}"
    )[0]["n"].value)
    headers = list(Sickle(url, max_retries=0).ListIdentifiers(metadataPrefix="oai_dc", set=spec))
    assert len(headers) == expected > 0
    assert all(spec in h.setSpecs for h in headers)


def test_from_and_until(oai: tuple[Flask, str]) -> None:
    _, url = oai
    first = get(url, verb="ListIdentifiers", metadataPrefix="oai_dc").findtext(".//o:datestamp", namespaces=NS)
    day = first[:10]
    size = lambda root: int(root.find(".//o:resumptionToken", NS).get("completeListSize"))  # noqa: E731
    everything = size(get(url, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    assert size(get(url, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": day, "until": day})) == everything
    assert size(get(url, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": first})) == everything
    assert error_code(get(url, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2000-01-01")) == "noRecordsMatch"
    assert error_code(get(url, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2999-01-01T00:00:00Z"})) \
        == "noRecordsMatch"


def test_get_record_by_oai_identifier_and_post(oai: tuple[Flask, str]) -> None:
    _, url = oai
    root = get(url, verb="GetRecord", identifier="oai:meros:local-berckenrode-amsterdam-map", metadataPrefix="oai_dc")
    titles = root.findall(".//oai_dc:dc/dc:title", NS)
    assert titles and titles[0].text.startswith("Amstelredamum")
    posted = requests.post(url, data={"verb": "GetRecord", "identifier": "oai:meros:local-berckenrode-amsterdam-map",
                                      "metadataPrefix": "edm"}, timeout=30)
    assert check_response(posted.content, "GetRecord").find(".//rdf:RDF", NS) is not None


# -- errors -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("params, code", [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "Identify", "set": "x"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "edm"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-02-30"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01", "until": "2021-01-01T00:00:00Z"},
     "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01", "until": "2020-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "shelf:3"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": "oai:meros:local-berckenrode-amsterdam-map"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": "oai:meros:local-berckenrode-amsterdam-map", "metadataPrefix": "mods"},
     "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": "oai:meros:gallica-nothing", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "GetRecord", "identifier": "urn:isbn:123", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "oai:meros:nope-nope"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "provider:nosuchlibrary"}, "noRecordsMatch"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
])
def test_every_error_code_of_the_protocol(oai: tuple[Flask, str], params: dict[str, str], code: str) -> None:
    _, url = oai
    resp = requests.get(url, params=params, timeout=30)
    assert resp.status_code == 200
    assert error_code(check_response(resp.content, None)) == code


def test_tokens_survive_a_restart_expire_and_belong_to_their_verb(oai: tuple[Flask, str],
                                                                  make_app: Callable[..., Flask]) -> None:
    app, url = oai
    first = get(url, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(".//o:resumptionToken", NS).text
    restarted = make_app(OAI_PAGE_SIZE=PAGE).test_client()  # same SECRET_KEY, nothing shared in memory
    page2 = check_response(restarted.get("/oai", query_string={"verb": "ListIdentifiers", "resumptionToken": token}).data,
                           "ListIdentifiers")
    direct = get(url, verb="ListIdentifiers", resumptionToken=token)
    ids = lambda root: [h.text for h in root.iter(O + "identifier")]  # noqa: E731
    assert ids(page2) == ids(direct) and len(ids(page2)) == PAGE
    other_key = make_app(OAI_PAGE_SIZE=PAGE, SECRET_KEY="another").test_client()
    assert error_code(etree.fromstring(other_key.get(
        "/oai", query_string={"verb": "ListIdentifiers", "resumptionToken": token}).data)) == "badResumptionToken"
    assert error_code(get(url, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"

    class Yesterday(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 2 * 86400

    old = URLSafeTimedSerializer("test", salt=SALT, signer=Yesterday).dumps(
        URLSafeTimedSerializer("test", salt=SALT).loads(token))
    expired = get(url, verb="ListIdentifiers", resumptionToken=old)
    assert error_code(expired) == "badResumptionToken" and "expired" in expired.findtext("o:error", namespaces=NS)


# -- datestamps and deletions ---------------------------------------------------------------------------------------
def _load(store: Store, records: list[Record], when: str, tmp: Path) -> None:
    load_records(store, records, uris=Uris(BASE), jurisdiction="KZ", images_dir=tmp / "images",
                 rejects=RejectLog(None), now=datetime.fromisoformat(when.replace("Z", "+00:00")))


def test_datestamps_follow_changes_and_deletions_are_reported(small_store: Store, make_app: Callable[..., Flask],
                                                              tmp_path: Path) -> None:
    client = make_app(store=small_store, OAI_PAGE_SIZE=PAGE).test_client()

    def oai(**params: str) -> etree._Element:
        return check_response(client.get("/oai", query_string=params).data, params.get("verb"))

    records = [r for r, _ in zip((x for x in sample_records() if isinstance(x, Record)), range(SMALL))]
    _load(small_store, records, "2031-01-01T00:00:00Z", tmp_path)  # the same records again: nothing changes
    assert error_code(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2031-01-01"})) == "noRecordsMatch"

    changed = replace(records[3], titles=[Text("A corrected title", "en")])
    _load(small_store, [changed], "2032-05-06T07:08:09Z", tmp_path)
    since = oai(verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2032-01-01"})
    assert [h.text for h in since.iter(O + "identifier")] == [f"oai:meros:{changed.id}"]
    assert since.findtext(".//o:datestamp", namespaces=NS) == "2032-05-06T07:08:09Z"
    assert since.findtext(".//dc:title", namespaces=NS) == "A corrected title"

    gone = records[5]
    genre = delete_object(small_store, Uris(BASE), gone.id, deleted_at="2033-02-03T04:05:06Z").genre
    deleted = oai(verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2033-01-01T00:00:00Z"})
    header = deleted.find(".//o:header", NS)
    assert header.get("status") == "deleted" and header.findtext("o:datestamp", namespaces=NS) == "2033-02-03T04:05:06Z"
    assert deleted.find(".//o:metadata", NS) is None
    assert f"provider:{gone.provider}" in [s.text for s in header.findall("o:setSpec", NS)]
    if genre:
        assert f"genre:{genre.replace(' ', '-')}" in [s.text for s in header.findall("o:setSpec", NS)]
    record = oai(verb="GetRecord", identifier=f"oai:meros:{gone.id}", metadataPrefix="edm")
    assert record.find(".//o:header", NS).get("status") == "deleted"
    everything = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert int(everything.find(".//o:resumptionToken", NS).get("completeListSize")) == SMALL  # live + deleted
    # loaded again, it is live again with a new datestamp
    _load(small_store, [gone], "2034-01-01T00:00:00Z", tmp_path)
    back = oai(verb="GetRecord", identifier=f"oai:meros:{gone.id}", metadataPrefix="oai_dc")
    assert back.find(".//o:header", NS).get("status") is None
    assert back.findtext(".//o:datestamp", namespaces=NS) == "2034-01-01T00:00:00Z"
