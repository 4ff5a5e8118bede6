"""`meros load oai`: real OAI-PMH responses replayed over HTTP: paging, sets, formats, incremental, errors."""
from __future__ import annotations

from sparql.store import open_store

from .conftest import RECORDED, Meros, ReplayServer, object_ids, select, state


def test_follows_resumption_tokens_page_by_page(replay: ReplayServer, meros: Meros) -> None:
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--no-progress")
    assert code == 0, err
    assert "16 loaded, 0 replaced, 0 unchanged, 0 rejected" in out
    asked = [h.query for h in replay.requests("oai/eur")]
    assert asked == [{"verb": "ListRecords", "metadataPrefix": "oai_dc"}] + [
        {"verb": "ListRecords", "resumptionToken": f"eur-oai_dc-page{n}"} for n in (2, 3, 4)]
    with open_store(str(meros.store_dir)) as store:
        ids = object_ids(store)
        assert len(ids) == 16 and "eur-1765-308" in ids and all(i.startswith("eur-1765-") for i in ids)
        # provenance names the repository's own GetRecord URL, not the mirror it was harvested from
        derived = select(store, "GRAPH <http://127.0.0.1:5000/graph/eur-1765-308> { ?g prov:wasDerivedFrom ?v }")
        assert derived == ["http://dspace.ubib.eur.nl/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier=hdl:1765/308"]


def test_paged_harvest_equals_the_real_single_page_harvest(replay: ReplayServer, meros: Meros, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The four cut pages hold exactly the real 16-record page: both harvests end in the same store."""
    assert meros("oai", replay.url("oai/eur") + "/oai", "--no-progress")[0] == 0
    with open_store(str(meros.store_dir)) as store:
        paged = state(store)
    other = Meros(tmp_path / "other", meros.monkeypatch, meros.capsys)
    code, out, err = other("oai", replay.url("oai/eur") + "/oai", "--from", "2003-04-10", "--no-progress")
    assert code == 0, err
    with open_store(str(other.store_dir)) as store:
        assert state(store) == paged


def test_the_next_run_is_incremental_with_updates_and_deletions(replay: ReplayServer, meros: Meros) -> None:
    url = replay.url("oai/eur") + "/oai"
    assert meros("oai", url, "--no-progress")[0] == 0
    assert meros.checkpoints()[0]["last_datestamp"] == "2003-04-30"  # the repository's responseDate, by day
    replay.reset()
    code, out, err = meros("oai", url, "--no-progress")
    assert code == 0, err
    assert replay.requests("oai/eur")[0].query == {"verb": "ListRecords", "metadataPrefix": "oai_dc",
                                                    "from": "2003-04-30"}
    assert "0 loaded, 1 replaced, 0 unchanged, 0 rejected, 1 deleted" in out
    assert "incremental harvest" in out
    with open_store(str(meros.store_dir)) as store:
        ids = object_ids(store)
        assert "eur-1765-309" not in ids and len(ids) == 15
        from ontology.mapping import Uris
        from sparql.objects import tombstone

        stone = tombstone(store, Uris("http://127.0.0.1:5000"), "eur-1765-309")  # for OAI-PMH deletedRecord, 410
        assert stone is not None and stone.deleted_at.startswith("20")
        assert "hersenonderzoek" in select(store, "<http://127.0.0.1:5000/id/eur-1765-308> dc:subject/skos:prefLabel ?v")
    replay.reset()
    code, out, err = meros("oai", url, "--no-progress")  # nothing changed since: noRecordsMatch
    assert code == 0, err
    assert replay.requests("oai/eur")[0].query["from"] == "2003-05-07"
    assert "0 loaded, 0 replaced, 0 unchanged, 0 rejected" in out


def test_mods_records_of_a_set(replay: ReplayServer, meros: Meros) -> None:
    code, out, err = meros("oai", replay.url("oai/harvard") + "/oai", "--prefix", "mods", "--set", "botanicals",
                           "--no-progress")
    assert code == 0, err
    assert "10 loaded" in out
    assert replay.requests("oai/harvard")[0].query == {"verb": "ListRecords", "metadataPrefix": "mods",
                                                        "set": "botanicals"}
    with open_store(str(meros.store_dir)) as store:
        ids = object_ids(store)
        assert len(ids) == 10 and all(i.startswith("harvard-") for i in ids)
        formats = select(store, "GRAPH ?g { ?g meros:sourceFormat ?v }")
        assert set(formats) == {"oai-pmh-mods"}


def test_getrecord_of_a_bare_librarycloud_record_shares_the_mods_records_id(replay: ReplayServer,
                                                                            meros: Meros) -> None:
    """The oai_dc and the MODS description of one Harvard book are one object (HOLLIS 006197642)."""
    url = replay.url("oai/harvard") + "/oai?verb=GetRecord&identifier=990061976420203941&metadataPrefix=oai_dc"
    code, out, err = meros("oai", url, "--no-progress")
    assert code == 0, err
    first = RECORDED / "files" / "mods" / "central_asia" / "mods"
    code, out, err = meros("mods", str(first / "mods_harvard_ihp_006197642_musayyab_namah_tashkent_1900_chg.xml"),
                           "--no-progress")
    assert code == 0 and "0 loaded, 1 replaced" in out, out + err
    with open_store(str(meros.store_dir)) as store:
        assert object_ids(store) == {"harvard-006197642"}


def test_an_unsupported_format_stops_with_the_repositorys_error(replay: ReplayServer, meros: Meros) -> None:
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--prefix", "marc21", "--no-progress")
    assert code == 1
    assert "cannotDisseminateFormat" in err and "marc21 is not supported" in err and "Traceback" not in err


def test_an_expired_resumption_token_says_how_to_start_again(replay: ReplayServer, meros: Meros) -> None:
    page1 = (RECORDED / "oai/eur/ListRecords-page1.xml").read_text(encoding="utf-8")
    replay.script("oai/eur", "/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                  {"body": page1.replace("eur-oai_dc-page2", "eur-oai_dc-expired"), "content_type": "text/xml"})
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--no-progress")
    assert code == 1
    assert "no longer knows resumption token" in err and "--restart" in err
    with open_store(str(meros.store_dir)) as store:
        assert len(object_ids(store)) == 4  # the first page was stored before the token failed
    replay.reset()
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--restart", "--no-progress")
    assert code == 0, err
    assert "12 loaded, 0 replaced, 4 unchanged" in out


def test_an_unknown_format_name_is_refused_before_any_request(replay: ReplayServer, meros: Meros) -> None:
    code, out, err = meros("oai", replay.url("oai/eur") + "/oai", "--prefix", "dcterms", "--no-progress")
    assert code == 1 and "valid: oai_dc, mods, marc21, marcxml, edm" in err
    assert replay.requests("oai/eur") == []
