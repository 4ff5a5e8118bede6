"""What sources really send when things go wrong, through the harvesters: nothing lost, clear words, no trace.

The bad answers are the real samples cut or re-encoded in tests/fixtures/malformed/ (its README says how).
"""
from __future__ import annotations

from sparql.store import open_store

from .conftest import MALFORMED, Meros, ReplayServer, object_ids, select

MAPS = 'dc.title all "Carte Nouvelle France Port Breton"'
SRU = {"operation": "searchRetrieve", "query": MAPS}
PAGE2 = {"verb": "ListRecords", "resumptionToken": "eur-oai_dc-page2"}


def oai(meros: Meros, replay: ReplayServer, *extra: str) -> tuple[int, str, str]:
    return meros("oai", replay.url("oai/eur") + "/oai", "--no-progress", *extra)


def gallica(meros: Meros, replay: ReplayServer, source: str = MAPS, *extra: str) -> tuple[int, str, str]:
    return meros("gallica", source, "--base-url", replay.url("gallica"), "--rate", "1000/1", "--no-progress", *extra)


def test_truncated_xml_stops_keeps_the_page_and_resumes_there(replay: ReplayServer, meros: Meros) -> None:
    replay.script("oai/eur", "/oai", PAGE2, {"file": "oai_listrecords_eur_truncated.xml", "malformed": True})
    code, out, err = oai(meros, replay)
    assert code == 1 and "not well-formed XML" in err and "run the same command again" in err
    assert "Traceback" not in err
    [entry] = meros.rejected()
    assert entry["raw"] == (MALFORMED / "oai_listrecords_eur_truncated.xml").read_bytes().decode("utf-8")
    assert "page not readable" in entry["reason"]
    assert meros.checkpoints()[0]["run"]["cursor"] == {"token": "eur-oai_dc-page2"}
    with open_store(str(meros.store_dir)) as store:
        assert len(object_ids(store)) == 4  # page 1 is safe in the store
    replay.reset()  # the repository is well again
    code, out, err = oai(meros, replay)
    assert code == 0, err
    assert "resuming" in out and "16 loaded" in out
    assert replay.requests("oai/eur")[0].query == PAGE2


def test_an_html_error_page_instead_of_xml(replay: ReplayServer, meros: Meros) -> None:
    replay.script("gallica", "/SRU", SRU, {"file": "html_error_page_503.html", "malformed": True,
                                           "content_type": "text/html"})
    code, out, err = gallica(meros, replay)
    assert code == 1
    assert "an HTML page, not XML (an error page?): Gallica - Service momentanément indisponible" in err
    assert "HTML page" in meros.rejected()[0]["reason"]


def test_an_html_error_page_with_a_503_status_is_retried(replay: ReplayServer, meros: Meros) -> None:
    replay.script("gallica", "/SRU", SRU, {"file": "html_error_page_503.html", "malformed": True, "status": 503},
                  {"file": "sru/sru_maps_carte_nouvelle_france_2records.xml"})
    code, out, err = gallica(meros, replay, MAPS, "--metadata-only")
    assert code == 0, err
    assert "2 loaded" in out and [h.status for h in replay.requests("gallica", "/SRU")] == [503, 200]


def test_bytes_in_another_encoding_than_declared_are_refused_not_garbled(replay: ReplayServer, meros: Meros) -> None:
    replay.script("gallica", "/SRU", SRU, {"file": "gallica_sru_maps_cp1252_bytes_declared_utf8.xml",
                                           "malformed": True})
    code, out, err = gallica(meros, replay)
    assert code == 1 and "Invalid bytes in character encoding" in err
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == set()


def test_utf8_declared_as_latin1_is_read_as_the_utf8_it_is(replay: ReplayServer, meros: Meros) -> None:
    replay.script("gallica", "/services/OAIRecord", {"ark": "btv1b10870266z"},
                  {"file": "gallica_oairecord_map_utf8_bytes_declared_iso8859_1.xml", "malformed": True})
    code, out, err = gallica(meros, replay, "ark:/12148/btv1b10870266z")
    assert code == 0, err
    with open_store(str(meros.store_dir)) as store:
        rights = select(store, "<http://127.0.0.1:5000/id/gallica-btv1b10870266z#aggregation> meros:sourceRights ?v")
        assert "conditions spécifiques d'utilisation - Société de Géographie" in rights


def test_an_empty_sru_result_is_one_request_and_no_error(replay: ReplayServer, meros: Meros) -> None:
    code, out, err = gallica(meros, replay, 'dc.title all "Colonie libre Port-Breton Bureau de Paris"')
    assert code == 0, err
    assert "0 loaded, 0 replaced, 0 unchanged, 0 rejected; 1 page, 1 request" in out


def test_a_record_without_a_title_is_rejected_and_the_page_goes_on(replay: ReplayServer, meros: Meros) -> None:
    replay.script("oai/eur", "/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                  {"file": "oai_listrecords_eur_second_record_without_title.xml", "malformed": True})
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--no-progress")
    assert code == 0, err
    assert "15 loaded, 0 replaced, 0 unchanged, 1 rejected" in out
    [entry] = meros.rejected()
    assert entry["reason"] == "eur:1765/309: no title" and "<identifier>hdl:1765/309</identifier>" in entry["raw"]


def test_429_then_success(replay: ReplayServer, meros: Meros) -> None:
    replay.script("oai/eur", "/oai", PAGE2, {"status": 429, "headers": {"Retry-After": "1"}, "body": "slow down"},
                  {"file": "ListRecords-page2.xml"})
    code, out, err = oai(meros, replay)
    assert code == 0, err
    assert "16 loaded" in out and "retrying in 1.0 s" in err
    hits = replay.requests("oai/eur")
    assert [h.status for h in hits] == [200, 429, 200, 200, 200] and hits[2].at - hits[1].at >= 0.95


def test_500_twice_then_success(replay: ReplayServer, meros: Meros) -> None:
    replay.script("oai/eur", "/oai", PAGE2, {"status": 500, "body": "Internal Server Error"},
                  {"status": 500, "body": "Internal Server Error"}, {"file": "ListRecords-page2.xml"})
    code, out, err = oai(meros, replay)
    assert code == 0, err
    assert "16 loaded" in out and "4 pages, 6 requests" in out
    assert [h.status for h in replay.requests("oai/eur")][:4] == [200, 500, 500, 200]


def test_a_source_that_keeps_failing_stops_with_the_place_kept(replay: ReplayServer, meros: Meros) -> None:
    meros.extra["MEROS_HTTP_RETRIES"] = "2"
    replay.script("oai/eur", "/oai", PAGE2, {"status": 500, "body": "Internal Server Error"})
    code, out, err = oai(meros, replay)
    assert code == 1 and "500 Internal Server Error after 3 attempts" in err
    assert meros.checkpoints()[0]["run"]["cursor"] == {"token": "eur-oai_dc-page2"}
