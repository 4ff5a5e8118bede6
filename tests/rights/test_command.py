"""`meros rights` as an operator runs it: a subprocess on a demo store (and on a real `oxigraph serve`)."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Triple

from loaders.collection import ROOT, sample_records
from loaders.csv import parse_csv
from loaders.runner import RejectLog, load_records
from ontology.mapping import DECISION_PREDICATES, Uris
from ontology.validate import validate
from ontology.vocab import NS
from sparql.objects import ObjectView, get_object
from sparql.queries import bind
from sparql.store import open_store

MEROS = [sys.executable, "-m", "portal.cli"]
REPO = Path(__file__).parents[2]
BASE = "http://127.0.0.1:5000"
URIS = Uris(BASE)
AUEZOV, GULOM, DULATULY = "curated-auezov-abai-zholy", "curated-gulom-shum-bola", "curated-dulatuly-oyan-qazaq"


def env(tmp: Path, store: str | None = None) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("MEROS_")}
    out.update({"MEROS_STORE": store or str(tmp / "store"), "MEROS_IMAGES": str(tmp / "images"),
                "MEROS_REJECTS": str(tmp / "rejects.jsonl"), "MEROS_JURISDICTION": "KZ", "PYTHONPATH": str(REPO)})
    return out


def meros(tmp: Path, *args: str, store: str | None = None, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*MEROS, *args], env=env(tmp, store), capture_output=True, text=True, timeout=120)
    if ok:
        assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store made by `meros demo --no-serve`: the bundled collection, decided under KZ this year."""
    tmp = tmp_path_factory.mktemp("rights-demo")
    meros(tmp, "demo", "--no-serve")
    return tmp


def objects(tmp: Path, *ids: str) -> dict[str, ObjectView]:
    with open_store(str(tmp / "store"), read_only=True) as store:
        return {i: get_object(store, URIS, i) for i in ids}


def graph_of(tmp: Path, object_id: str) -> set[Triple]:
    with open_store(str(tmp / "store"), read_only=True) as store:
        rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{URIS.graph(object_id).value}> {{ ?s ?p ?o }} }}",
                           union_default_graph=False)
    return {Triple(r["s"], r["p"], r["o"]) for r in rows}  # type: ignore[union-attr,index,arg-type]


def not_decision(triples: set[Triple]) -> set[Triple]:
    skip = {NS.meros.contentHash, NS.prov.generatedAtTime}
    return {t for t in triples if t.predicate.value not in DECISION_PREDICATES and t.predicate not in skip}


def test_year_and_jurisdiction_change_statuses_and_only_the_rights_triples(demo: Path) -> None:
    meros(demo, "rights", "--year", "2026")
    before = graph_of(demo, AUEZOV)
    assert objects(demo, AUEZOV)[AUEZOV].rights_status == "restricted"

    done = meros(demo, "rights", "--year", "2032")
    assert "New in the public domain in 2032: curated-auezov-abai-zholy" in done.stdout
    assert "1 newly open" in done.stdout
    auezov = objects(demo, AUEZOV)[AUEZOV]
    assert (auezov.rights_status, auezov.public_domain_from) == ("open", 2032)
    assert auezov.rights_statement == "http://creativecommons.org/publicdomain/mark/1.0/"
    after = graph_of(demo, AUEZOV)
    assert not_decision(after) == not_decision(before) and after != before  # only the decision was rewritten
    with open_store(str(demo / "store"), read_only=True) as store:
        new = store.query(bind("new_in_public_domain", year="2032", limit="10"))
    assert [r["cho"].value for r in new] == [URIS.cho(AUEZOV).value]  # type: ignore[index,union-attr]

    done = meros(demo, "rights", "--jurisdiction", "UZ", "--year", "2026", "--review")
    listed = {line.split()[0]: line for line in done.stdout.splitlines()[2:]}
    assert "transition:" in listed[GULOM]
    views = objects(demo, GULOM, DULATULY)
    assert views[GULOM].rights_status == "restricted" and views[DULATULY].rights_status == "restricted"
    with open_store(str(demo / "store"), read_only=True) as store:
        assert store.query(f"ASK {{ <{URIS.aggregation(GULOM).value}> <{NS.meros.jurisdiction.value}> \"UZ\" ; "
                           f"<{NS.meros.reviewNeeded.value}> ?why }}")

    meros(demo, "rights", "--jurisdiction", "FR", "--year", "2026")
    assert objects(demo, DULATULY)[DULATULY].rights_status == "open"  # no rehabilitation rule in France
    conforms, report = validate(graph_of(demo, DULATULY))  # the rewritten graph still fits the EDM profile
    assert conforms, report


def test_conflicts_lists_objects_whose_source_and_computation_disagree(demo: Path) -> None:
    done = meros(demo, "rights", "--jurisdiction", "US", "--year", "2026", "--conflicts")
    listed = [line.split()[0] for line in done.stdout.splitlines()[2:]]
    assert "gallica-btv1b10870266z" in listed  # "restricted use", public domain under US rules
    assert "gallica-bpt6k633680c" in listed  # "domaine public", 1934: protected in the US until 2029
    assert GULOM not in listed and len(listed) == len(set(listed))
    assert "(%d conflicts" % len(listed) in done.stdout.splitlines()[0]


def test_overrides_decide_and_a_bad_file_changes_nothing(demo: Path, tmp_path: Path) -> None:
    meros(demo, "rights", "--year", "2026")
    good = tmp_path / "overrides.csv"
    good.write_text("id,statement,reason,curator\n"
                    f"{AUEZOV},PDM,Rights released by the heirs,A. Seitkali\n", encoding="utf-8")
    meros(demo, "rights", "--year", "2026", "--overrides", str(good))
    auezov = objects(demo, AUEZOV)[AUEZOV]
    assert auezov.rights_status == "open"
    assert any(t.lang == "kk" and "A. Seitkali" in t.value for t in auezov.rights_reason)

    for bad, message in (("id,statement,reason,curator\nnobody-here,PDM,why,A\n", "not in the store: nobody-here"),
                         ("id,statement,reason,curator\n" + AUEZOV + ",InC,,A\n", "line 2: no reason")):
        path = tmp_path / "bad.csv"
        path.write_text(bad, encoding="utf-8")
        done = meros(demo, "rights", "--year", "2026", "--overrides", str(path), ok=False)
        assert done.returncode == 1 and message in done.stderr
        assert objects(demo, AUEZOV)[AUEZOV].rights_status == "open"  # nothing was changed

    done = meros(demo, "rights", "--overrides", str(tmp_path / "missing.csv"), ok=False)
    assert done.returncode == 1 and "cannot read the overrides file" in done.stderr
    done = meros(demo, "rights", "--jurisdiction", "XX", ok=False)
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_dry_run_writes_nothing(demo: Path) -> None:
    meros(demo, "rights", "--year", "2026")
    before = graph_of(demo, AUEZOV)
    done = meros(demo, "rights", "--year", "2040", "--dry-run")
    assert "Nothing written" in done.stdout and "newly open" in done.stdout
    assert graph_of(demo, AUEZOV) == before


def test_after_meros_rights_the_next_load_sees_every_graph_unchanged(demo: Path) -> None:
    meros(demo, "rights", "--year", "2032")
    meros(demo, "rights")  # back to this year's decisions under KZ, as the demo's load made them
    with open_store(str(demo / "store")) as store:
        report = load_records(store, sample_records(), uris=URIS, jurisdiction="KZ", images_dir=demo / "images",
                              rejects=RejectLog(None))
    assert report.loaded == 0 and report.replaced == 0 and report.unchanged > 100


@pytest.fixture()
def remote(tmp_path: Path) -> Iterator[str]:
    """A real `oxigraph serve` holding the curated Kazakh and Uzbek works."""
    from tests.sparql.conftest import free_port, oxigraph_binary, wait_until_answering

    port = free_port()
    log = tmp_path / "oxigraph.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind",
                                 f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_answering(base, proc, log)
        csv_file = ROOT / "central_asia" / "curated" / "works_kk_uz.csv"
        with open_store(base) as store:
            load_records(store, parse_csv(csv_file.read_bytes(), "file:works_kk_uz.csv", provider="curated"),
                         uris=URIS, jurisdiction="KZ")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_recompute_on_a_remote_store(remote: str, tmp_path: Path) -> None:
    done = meros(tmp_path, "rights", "--year", "2032", store=remote)
    assert "14 objects" in done.stdout and "New in the public domain in 2032: curated-auezov-abai-zholy" in done.stdout
    with open_store(remote) as store:
        assert get_object(store, URIS, AUEZOV).rights_status == "open"
    meros(tmp_path, "rights", "--year", "2026", store=remote)
    with open_store(remote) as store:
        assert get_object(store, URIS, AUEZOV).rights_status == "restricted"
